/*
 * Starts the built portal for the browser tests on a fresh database with the demo seeded:
 * `tsx scripts/e2e-server.ts pglite 3401` or `... postgres 3402` (PostgreSQL from
 * TEST_DATABASE_URL / DATABASE_URL, in a new scratch database).
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { createScratchPostgres, postgresAdminUrl } from "../db/scratch";

const [kind, port] = process.argv.slice(2);
const dir = path.resolve(".cache/e2e", kind);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
process.env.PORT = port;
process.env.PGLITE_DIR = path.join(dir, "pglite");
process.env.NODE_ENV = "production";
process.env.LOG_REQUESTS = "off";
delete process.env.DATABASE_URL_FOR_APP;

if (kind === "postgres") {
  const adminUrl = postgresAdminUrl();
  if (!adminUrl) throw new Error("Set TEST_DATABASE_URL or DATABASE_URL to run the browser tests on PostgreSQL.");
  // Databases left by earlier runs (the browser tests end by killing this process).
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }) });
  const { rows } = await sql<{ datname: string }>`select datname from pg_database where datname like 'pt_e2e_%'`.execute(admin);
  for (const { datname } of rows) await sql.raw(`drop database if exists ${datname} with (force)`).execute(admin);
  await admin.destroy();
  const scratch = await createScratchPostgres(adminUrl, "pt_e2e");
  process.env.DATABASE_URL = scratch.url;
  process.env.SEED_DEMO = "always";
} else {
  delete process.env.DATABASE_URL;
  process.env.SEED_DEMO = "auto";
}

// The compiled server, as `npm start` runs it (npm test builds it first); the source without one.
const compiled = path.resolve("build/server/serve.js");
if (fs.existsSync(compiled)) await import(pathToFileURL(compiled).href);
else await import("../server/serve");
