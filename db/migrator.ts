import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
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
import { distributeOnCitus } from "./citus";

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
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
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
