import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from "kysely";
import * as initial from "./migrations/20261128_001_initial";
import * as forecastIndexes from "./migrations/20261128_002_forecast_indexes";
import * as email from "./migrations/20261128_003_email";
import * as api from "./migrations/20261128_004_api";
import * as eventChainHead from "./migrations/20261128_005_event_chain_head";
import * as storedForecastFacts from "./migrations/20261202_006_stored_forecast_facts";
import * as buyerSessionDevices from "./migrations/20261204_007_buyer_session_devices";
import * as holidayCalendars from "./migrations/20261204_007_holiday_calendars";
import * as buyerActivity from "./migrations/20261204_014_buyer_activity";
import * as webhookFairness from "./migrations/20261204_017_webhook_fairness";
import * as appSecrets from "./migrations/20261204_018_app_secrets";
import * as oneAccountPerEmail from "./migrations/20261204_019_one_account_per_email";
import * as userDeactivation from "./migrations/20261204_021_user_deactivation";
import * as accountTokens from "./migrations/20261204_020_account_tokens";
import * as planOutcomes from "./migrations/20261205_026_plan_outcomes";
import * as forecastHistory from "./migrations/20261205_027_forecast_history";
import * as generatedHistory from "./migrations/20261205_028_generated_history";
import * as citus from "./migrations/20261205_029_citus";
import * as jobLeases from "./migrations/20261205_030_job_leases";
import * as branding from "./migrations/20261205_035_branding";
import * as engagement from "./migrations/20261205_033_engagement";
import * as resources from "./migrations/20261205_031_resources";
import * as stakeholderMap from "./migrations/20261205_032_stakeholder_map";
import * as sso from "./migrations/20261205_036_sso";
import * as chatAlerts from "./migrations/20261205_037_chat_alerts";
import * as buyerLocale from "./migrations/20261205_038_buyer_locale";
import { distributeOnCitus } from "./citus";
import { takeMigrationLock } from "./migration-lock";

/**
 * Migrations are listed in code rather than read from the folder: Kysely's FileMigrationProvider
 * imports `.ts` files with plain Node (fails under Vitest and in the built server).
 * Add each new migration here, with a sortable date prefix.
 */
const migrations: Record<string, Migration> = {
  "20261128_001_initial": initial,
  "20261128_002_forecast_indexes": forecastIndexes,
  "20261128_003_email": email,
  "20261128_004_api": api,
  "20261128_005_event_chain_head": eventChainHead,
  "20261202_006_stored_forecast_facts": storedForecastFacts,
  "20261204_007_buyer_session_devices": buyerSessionDevices,
  "20261204_007_holiday_calendars": holidayCalendars,
  "20261204_014_buyer_activity": buyerActivity,
  "20261204_017_webhook_fairness": webhookFairness,
  "20261204_018_app_secrets": appSecrets,
  "20261204_019_one_account_per_email": oneAccountPerEmail,
  "20261204_021_user_deactivation": userDeactivation,
  "20261204_020_account_tokens": accountTokens,
  "20261205_026_plan_outcomes": planOutcomes,
  "20261205_027_forecast_history": forecastHistory,
  "20261205_028_generated_history": generatedHistory,
  "20261205_029_citus": citus,
  "20261205_030_job_leases": jobLeases,
  "20261205_035_branding": branding,
  "20261205_033_engagement": engagement,
  "20261205_031_resources": resources,
  "20261205_032_stakeholder_map": stakeholderMap,
  "20261205_036_sso": sso,
  "20261205_037_chat_alerts": chatAlerts,
  "20261205_038_buyer_locale": buyerLocale,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Every migration this release knows, in the order they run. */
export function migrationNames(): string[] {
  return Object.keys(migrations).sort();
}

/**
 * The migrations this release knows that the database has not run. Migrations a newer release
 * already ran do not count: during a rolling deploy the old servers still running are fine.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const known = await new Migrator({ db, provider }).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Kysely's own lock is session-level (pg_advisory_lock); the transaction around the run holds ours. */
class CallerLocksAdapter extends PostgresAdapter {
  override async acquireMigrationLock() {}
  override async releaseMigrationLock() {}
}

/** Lends the Migrator the one connection the run's transaction is open on. */
class HeldConnectionDriver implements Driver {
  constructor(private readonly connection: DatabaseConnection) {}
  async init() {}
  async acquireConnection() {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error("the migration run is already one transaction");
  }
  async commitTransaction(): Promise<void> {
    throw new Error("the migration run is already one transaction");
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error("the migration run is already one transaction");
  }
  async releaseConnection() {}
  async destroy() {}
}

/**
 * Runs the pending migrations in ONE transaction that first takes the migration lock, so any
 * number of servers (or `npm run migrate` beside them) may start at once, directly or through a
 * transaction pooler: one migrates, the others wait and then find nothing to do. Kysely's Migrator
 * does the bookkeeping; it is handed the transaction's connection with its own lock and
 * transaction turned off, since it would take its session-level lock outside the transaction.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await db.getExecutor().provideConnection(async (connection): Promise<MigrationResultSet> => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    const held = new Kysely<any>({
      dialect: {
        createAdapter: () => new CallerLocksAdapter(),
        createDriver: () => new HeldConnectionDriver(connection),
        createQueryCompiler: () => new PostgresQueryCompiler(),
        createIntrospector: (k) => new PostgresIntrospector(k),
      },
    });
    await connection.executeQuery(CompiledQuery.raw("begin"));
    let result: MigrationResultSet;
    try {
      await takeMigrationLock(held);
      result = await new Migrator({ db: held, provider, disableTransactions: true }).migrateToLatest();
    } catch (caught) {
      await connection.executeQuery(CompiledQuery.raw("rollback"));
      throw caught;
    }
    await connection.executeQuery(CompiledQuery.raw(result.error ? "rollback" : "commit"));
    return result;
  });
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : "";
    throw new Error(`Migration failed${name}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const applied = (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  await distributeOnCitus(db);
  return applied;
}
