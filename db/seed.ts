/*
 * `npm run seed`: seeds the demo organisation into the configured database (idempotent).
 * `npm run seed -- --plans 100000 [--reps 50] [--managers 5]`: instead builds the separate large
 * "Bulk Test Org" for the forecast benchmark (see db/bulk-seed.ts), with a progress bar on stderr.
 */
import { databaseOptionsFromEnv, openDatabase } from "~/infra/db.server";
import { todayIn } from "~/domain/dates";
import { migrateToLatest } from "./migrator";
import { loadSigningSecret } from "~/models/app-secrets.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "./demo-seed";
import { analyzeBulk, progressBar, seedBulk } from "./bulk-seed";

const USAGE = "Usage: npm run seed [-- --plans N [--reps N] [--managers N]]";

/** `--plans 1000` or `--plans=1000`; only the flags we know, each a whole number ≥ 1. */
function parseArgs(argv: string[]): { plans?: number; reps?: number; managers?: number } {
  const out: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(plans|reps|managers)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`Unknown argument "${argv[i]}". ${USAGE}`);
    const raw = match[2] ?? argv[++i];
    const n = Number(String(raw ?? "").replace(/[_,]/g, ""));
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${match[1]} needs a whole number of at least 1. ${USAGE}`);
    out[match[1]] = n;
  }
  if ((out.reps || out.managers) && !out.plans) throw new Error(`--reps and --managers go with --plans. ${USAGE}`);
  return out;
}

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}

const database = await openDatabase(databaseOptionsFromEnv());
try {
  await migrateToLatest(database.db);
  await loadSigningSecret(database.db);
  const now = new Date();
  const where = database.kind === "pglite" ? "the embedded database" : "PostgreSQL";
  if (args.plans) {
    const started = performance.now();
    const bar = progressBar("Seeding plans");
    const result = await seedBulk(database.db, {
      plans: args.plans,
      reps: args.reps,
      managers: args.managers,
      today: todayIn("UTC", now),
      now,
      onProgress: bar.update,
    });
    bar.finish();
    const loaded = performance.now();
    process.stderr.write("Updating statistics (vacuum analyze)…\n");
    await analyzeBulk(database.db);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `Seeded "Bulk Test Org" (${result.orgId}) into ${where}: ${result.plans.toLocaleString("en-US")} plans, ` +
        `${result.milestones.toLocaleString("en-US")} milestones, ${result.dependencies.toLocaleString("en-US")} dependencies, ` +
        `${result.history.toLocaleString("en-US")} date changes, ${result.users} users in ${seconds.toFixed(1)}s ` +
        `(load ${((loaded - started) / 1000).toFixed(1)}s, vacuum analyze ${((performance.now() - loaded) / 1000).toFixed(1)}s).`,
    );
    console.log(`Logins (password "${result.logins.password}"): ${result.logins.admin}, ${result.logins.manager}, ${result.logins.rep}`);
  } else {
    const result = await seedDemo(database.db, todayIn("UTC", now), now, { history: true });
    if (!result.created) {
      console.log("The demo organisation is already there; nothing changed.");
    } else {
      console.log(`Seeded the demo organisation into ${where}.`);
      console.log(`Logins (password "${DEMO_PASSWORD}"): ${Object.values(DEMO_LOGINS).join(", ")}`);
      if (result.buyerLinkToken) console.log(`Buyer link path: /s/${result.buyerLinkToken}`);
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
