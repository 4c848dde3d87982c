/*
 * `npm start` / `npm run dev`: migrates (unless MIGRATE_ON_START=off), seeds the demo on the embedded database's first run,
 * and serves the portal. Stateless apart from the database, so several can run behind a balancer.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { migrateToLatest, pendingMigrations } from "../db/migrator";
import { loadSigningSecret } from "~/models/app-secrets.server";
import { DEMO_LOGINS, DEMO_PASSWORD, ensureDemoBuyerLink, seedDemo } from "../db/demo-seed";
import { todayIn } from "~/domain/dates";
import { closeDatabase, getDatabase } from "~/infra/db.server";
import { controlSocketPath, EmbeddedBackupError, serveEmbeddedBackups, type ControlSocket } from "~/infra/embedded-backup.server";
import { devMailboxEnabled, getEnv } from "~/infra/env.server";
import { startScheduleRefresher } from "~/jobs/schedule-refresher.server";
import { createHttpApp, httpOptionsFromEnv } from "./http";
import { startDispatcher } from "~/jobs/email-dispatcher.server";
import { startWebhookDispatcher } from "~/jobs/webhook-dispatcher.server";
import { createJobHealth } from "~/jobs/job-health.server";
import { serverInstanceId, startJobLeadership, type LeasedJob } from "~/jobs/job-leadership.server";

let env;
try {
  env = getEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const buildPath = path.resolve("build/index.js");
if (!fs.existsSync(buildPath)) {
  console.error("No server build found at build/index.js: run `npm run build` first (npm start does it for you).");
  process.exit(1);
}

// Before the embedded database opens: a second process on one data directory would corrupt it,
// and `npm run backup` asks the process holding it for a consistent copy (ADR 033).
let controlSocket: ControlSocket | null = null;
if (!env.DATABASE_URL) {
  try {
    controlSocket = await serveEmbeddedBackups(controlSocketPath(env.PGLITE_DIR), getDatabase);
  } catch (error) {
    if (!(error instanceof EmbeddedBackupError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
const database = await getDatabase();
if (env.MIGRATE_ON_START === "on") {
  await migrateToLatest(database.db);
} else {
  // A fleet migrates once per deploy (`npm run migrate`, ADR 031); a server started before that
  // step would fail its first requests on a missing column, so it does not start at all.
  const pending = await pendingMigrations(database.db);
  if (pending.length > 0) {
    console.error(
      `The database lacks ${pending.length} migration(s) this release needs (${pending.join(", ")}): run \`npm run migrate\` first, or start with MIGRATE_ON_START=on.`,
    );
    await closeDatabase();
    process.exit(1);
  }
}
await loadSigningSecret(database.db);

let demoNote = "";
// The demo goes into the embedded database by default, into PostgreSQL only when asked for.
if (env.SEED_DEMO === "always" || (database.kind === "pglite" && env.SEED_DEMO === "auto")) {
  const now = new Date();
  // With its generated year of closed deals: this is the demo people open (the browser tests too).
  const seeded = await seedDemo(database.db, todayIn("UTC", now), now, { history: true });
  const tokenFile = `${path.resolve(env.PGLITE_DIR)}.demo-buyer-link`;
  const remembered = seeded.buyerLinkToken ?? (fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, "utf8").trim() : null);
  const token = await ensureDemoBuyerLink(database.db, seeded.orgId, remembered, now);
  if (token) {
    // On PostgreSQL there may be no data directory yet: the file still goes beside PGLITE_DIR.
    fs.mkdirSync(path.dirname(tokenFile), { recursive: true });
    fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  }
  demoNote = [
    seeded.created ? "Seeded the demo organisation (Northwind Analytics)." : "Demo organisation: Northwind Analytics.",
    `  Sign in as ${DEMO_LOGINS.manager}, ${DEMO_LOGINS.rep1}, ${DEMO_LOGINS.rep2} or ${DEMO_LOGINS.admin}`,
    `  with the password "${DEMO_PASSWORD}".`,
    token ? `  A buyer's view (Dana Lee at Acme Logistics): http://localhost:${env.PORT}/s/${token}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

// `remix dev` restarts this process after every rebuild, so one import per process is enough.
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
// What the jobs below report: /healthz shows a job that keeps failing, the log says when it starts and stops.
const jobHealth = createJobHealth();
// Each periodic job runs on one server at a time, whichever holds its lease in the database (ADR 032).
// EMAIL_DISPATCHER=off keeps this process out of the race for the email jobs altogether.
const leasedJobs: LeasedJob[] = [
  ...(env.EMAIL_DISPATCHER === "on" ? (["email-scheduler", "email-dispatcher"] as const) : []),
  "webhook-dispatcher",
  "schedule-refresher",
];
// Only one process can open the embedded database: a holder left from an earlier run is gone.
const jobLeadership = startJobLeadership(database.db, {
  jobs: leasedJobs,
  instanceId: serverInstanceId(env.PORT),
  takeOver: database.kind === "pglite",
  health: jobHealth,
});
const app = createHttpApp({
  db: database.db,
  databaseKind: database.kind,
  build,
  ...httpOptionsFromEnv(env),
  devMailbox: devMailboxEnabled(env),
  jobHealth,
  jobLeadership,
  concurrency: {
    maxConcurrent: env.MAX_CONCURRENT_REQUESTS,
    maxQueued: env.MAX_QUEUED_REQUESTS,
    queueTimeoutMs: env.REQUEST_QUEUE_TIMEOUT_MS,
    retryAfterSeconds: 5,
  },
});

const server = app.listen(env.PORT, () => {
  const where =
    database.kind === "pglite"
      ? `the embedded database (${env.PGLITE_DIR})`
      : env.DATABASE_POOLER === "transaction"
        ? "PostgreSQL through a transaction pooler (no named prepared statements)"
        : "PostgreSQL";
  console.log(`Plan Together is running at http://localhost:${env.PORT} on ${where}.`);
  if (demoNote) console.log(demoNote);
  // Under `remix dev`, tell the dev server this build is live (it sets REMIX_DEV_ORIGIN).
  if (process.env.REMIX_DEV_ORIGIN) void broadcastDevReady(build);
});

// Sends the outbox (SMTP, or the dev mailbox without SMTP_URL) from the server leading the job.
// EMAIL_DISPATCHER=off leaves sending to other processes.
const dispatcher = env.EMAIL_DISPATCHER === "on" ? startDispatcher(database.db, { health: jobHealth, leadership: jobLeadership }) : null;
// Webhook deliveries go out through the same kind of outbox (SKIP LOCKED claims keep a change of leader safe).
const webhookDispatcher = startWebhookDispatcher(database.db, { health: jobHealth, leadership: jobLeadership });
// Stored schedules depend on the day: plans nobody touched since yesterday are re-projected.
const scheduleRefresher = startScheduleRefresher(database.db, undefined, { health: jobHealth, leadership: jobLeadership });

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: finishing in-flight requests…`);
  // Stop accepting, let in-flight requests finish, then close the database.
  // The dispatcher stops claiming at once and finishes the email in hand before the database closes;
  // then the leases go, so another server takes the jobs over at its next renewal, not a lease later.
  const dispatcherStopped = Promise.all([dispatcher?.stop(), webhookDispatcher.stop(), scheduleRefresher.stop()]).then(() => jobLeadership.stop());
  server.close(async () => {
    await dispatcherStopped;
    await closeDatabase();
    await controlSocket?.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    console.error("Requests still running after 10 s; stopping anyway.");
    process.exit(1);
  }, 10_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
