import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "~/infra/db.server";
import { migrateToLatest } from "../db/migrator";
import { loadSigningSecret } from "~/models/app-secrets.server";
import { createScratchPostgres } from "../db/scratch";

/**
 * A database the benchmark owns from start to end: a fresh PostgreSQL database created on the
 * server named by the admin URL (and dropped afterwards), or an embedded PGlite in a temporary
 * directory (removed afterwards). The same database is opened by the benchmark process while it
 * seeds and counts, and by the server child process while it is under load, never both at once on
 * PGlite (it is one process's files).
 */
export interface ScratchDatabase {
  kind: "postgres" | "pglite";
  /** Environment for a server process on this database (DATABASE_URL or PGLITE_DIR). */
  env: Record<string, string>;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export async function createScratchDatabase(adminUrl: string | undefined, label: string): Promise<ScratchDatabase> {
  if (adminUrl) {
    const scratch = await createScratchPostgres(adminUrl, `pt_bench_${label}`);
    return {
      kind: "postgres",
      env: { DATABASE_URL: scratch.url },
      open: () => openDatabase({ databaseUrl: scratch.url }),
      drop: scratch.drop,
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pt-bench-${label}-`));
  const pgliteDir = path.join(dir, "pglite");
  return {
    kind: "pglite",
    env: { PGLITE_DIR: pgliteDir },
    open: () => openDatabase({ pgliteDir }),
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Opens, migrates, runs `work`, closes: the database is free for a server process afterwards. */
export async function withDatabase<T>(scratch: ScratchDatabase, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await scratch.open();
  try {
    await migrateToLatest(database.db);
    await loadSigningSecret(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}
