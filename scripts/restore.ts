/*
 * `npm run restore -- FILE [--force]`: unpacks a backup made by `npm run backup` into PGLITE_DIR,
 * which must be empty (or, with --force, is moved aside first; never deleted), then walks every
 * plan's log as `npm run audit:verify` does. Refused while a server has the directory open.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase } from "~/infra/db.server";
import { getEnv } from "~/infra/env.server";
import { EmbeddedBackupError, restoreEmbeddedDatabase } from "~/infra/embedded-backup.server";
import { reportEventChains } from "~/models/plan-event.server";

const USAGE = "Usage: npm run restore -- FILE [--force]   (into PGLITE_DIR; --force moves a database already there aside)";

try {
  const { values, positionals } = parseArgs({ options: { force: { type: "boolean" }, help: { type: "boolean" } }, allowPositionals: true });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 1) throw new EmbeddedBackupError("Name one backup file to restore.");
  const env = getEnv();
  if (env.DATABASE_URL) {
    console.error("DATABASE_URL is set: restore PostgreSQL with `pg_restore` (docs/deploy.md, Backups). This command restores the embedded database.");
    process.exit(2);
  }
  if (!fs.existsSync(positionals[0])) throw new EmbeddedBackupError(`No such file: ${positionals[0]}`);
  const { dataDir, movedAside } = await restoreEmbeddedDatabase(fs.readFileSync(positionals[0]), env.PGLITE_DIR, { force: values.force });
  if (movedAside) console.log(`Moved the database that was there to ${movedAside}.`);
  console.log(`Restored ${positionals[0]} into ${dataDir}.`);
  const database = await openDatabase({ pgliteDir: dataDir });
  try {
    process.exitCode = (await reportEventChains(database.db)) ? 0 : 1;
  } finally {
    await database.close();
  }
} catch (error) {
  if (!(error instanceof EmbeddedBackupError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"))) throw error;
  console.error((error as Error).message);
  console.error(USAGE);
  process.exit(1);
}
