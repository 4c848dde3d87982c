/*
 * `npm run backup [-- --out FILE]`: a consistent copy of the embedded database (PGlite), taken by
 * the running server when there is one, else by opening its directory here (ADR 033). On
 * PostgreSQL the copy is pg_dump's job: docs/deploy.md, "Backups".
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { getEnv } from "~/infra/env.server";
import { backupEmbeddedDatabase, EmbeddedBackupError } from "~/infra/embedded-backup.server";

const USAGE = "Usage: npm run backup [-- --out FILE]   (default FILE: backups/plan-together-<time>.tar.gz)";

try {
  const { values } = parseArgs({ options: { out: { type: "string" }, help: { type: "boolean" } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const env = getEnv();
  if (env.DATABASE_URL) {
    console.error("DATABASE_URL is set: back up PostgreSQL with `pg_dump -Fc` (docs/deploy.md, Backups). This command copies the embedded database.");
    process.exit(2);
  }
  const started = Date.now();
  const { archive, through } = await backupEmbeddedDatabase(env.PGLITE_DIR);
  const out = path.resolve(values.out ?? path.join("backups", `plan-together-${new Date().toISOString().replace(/[:.]/g, "-")}.tar.gz`));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Written beside and renamed, so a crash never leaves a half backup under the final name.
  fs.writeFileSync(`${out}.partial`, archive, { mode: 0o600 });
  fs.renameSync(`${out}.partial`, out);
  const who = through === "server" ? "the running server" : "this process (no server was running)";
  console.log(`Backed up ${path.resolve(env.PGLITE_DIR)} to ${out} (${(archive.length / 1e6).toFixed(1)} MB, by ${who}, ${Date.now() - started} ms).`);
} catch (error) {
  if (!(error instanceof EmbeddedBackupError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"))) throw error;
  console.error((error as Error).message);
  console.error(USAGE);
  process.exit(1);
}
