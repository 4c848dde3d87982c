/*
 * Starts the built portal for the browser tests on a fresh database with the demo seeded:
 * `tsx scripts/e2e-server.ts pglite 3401`, `... postgres 3402` (PostgreSQL from TEST_DATABASE_URL /
 * DATABASE_URL) or `... citus 3403` (the Citus coordinator at TEST_CITUS_URL), each in a new scratch database.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { citusAdminUrl, createScratchPostgres, dropLeftoverScratch, postgresAdminUrl } from "../db/scratch";

const [kind, port] = process.argv.slice(2);
const dir = path.resolve(".cache/e2e", kind);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
process.env.PORT = port;
process.env.PGLITE_DIR = path.join(dir, "pglite");
process.env.NODE_ENV = "production";
process.env.LOG_REQUESTS = "off";
delete process.env.DATABASE_URL_FOR_APP;

if (kind === "postgres" || kind === "citus") {
  const adminUrl = kind === "citus" ? citusAdminUrl() : postgresAdminUrl();
  if (!adminUrl) throw new Error(`Set ${kind === "citus" ? "TEST_CITUS_URL" : "TEST_DATABASE_URL or DATABASE_URL"} to run the browser tests on ${kind}.`);
  // Databases left by earlier runs (the browser tests end by killing this process).
  await dropLeftoverScratch(adminUrl, "pt_e2e");
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
