import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql, type CompiledQuery, type Dialect, type QueryCompiler } from "kysely";
import pg from "pg";
import type { DB } from "../../db/types";
import { PGliteDialect } from "~/infra/pglite-dialect.server";
import { getEnv } from "~/infra/env.server";
import { PreparingClient } from "~/infra/prepared-statements.server";

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** The embedded database only: its data directory as a gzipped tarball, consistent (ADR 033). */
  dumpDataDir?(): Promise<Blob>;
}

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

// The two drivers disagree on some types (pg: local-midnight Date for `date`, string for int8;
// PGlite: UTC Date, number). Both are told the same: dates stay 'YYYY-MM-DD', int8 is a number.
const asIsoDate = (value: string) => value;
const asNumber = (value: string) => Number(value);

/**
 * PostgreSQL text cannot hold U+0000, nor jsonb the \u0000 escape: a NUL typed or pasted into any
 * field made the insert fail with a 500. It means nothing in our text, so it is dropped from every
 * query parameter, on both databases, whatever the caller (found by the safety suite's fuzzer).
 */
export function withoutNul(value: unknown): unknown {
  if (typeof value !== "string" || !(value.includes("\u0000") || value.includes("\\u0000"))) return value;
  const text = value.replaceAll("\u0000", "");
  if (!text.includes("\\u0000")) return text;
  // JSON text (jsonb parameters arrive JSON.stringify-ed): drop the escape itself, only from JSON.
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  return text.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1");
}

class NulFreeDialect implements Dialect {
  constructor(private readonly inner: Dialect) {}
  createDriver() {
    return this.inner.createDriver();
  }
  createAdapter() {
    return this.inner.createAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return this.inner.createIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    const compiler = this.inner.createQueryCompiler();
    return {
      compileQuery(node, queryId): CompiledQuery {
        const compiled = compiler.compileQuery(node, queryId);
        return compiled.parameters.some((p) => withoutNul(p) !== p) ? { ...compiled, parameters: compiled.parameters.map(withoutNul) } : compiled;
      },
    };
  }
}

/**
 * What stands between the app and PostgreSQL (ADR 031). `transaction`: a pooler that hands each
 * transaction whichever server connection is free (PgBouncer's `pool_mode = transaction`), where a
 * statement prepared on one connection is unknown on the next, so nothing is sent as a named
 * prepared statement. `none` (a direct connection) and `session` keep them.
 */
export type DatabasePooler = "none" | "session" | "transaction";

export type OpenOptions = { databaseUrl: string; pooler?: DatabasePooler; poolSize?: number } | { pgliteDir: string } | { memory: true };

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if ("databaseUrl" in options) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // Statements that opt in run as named prepared statements (prepared-statements.server.ts).
      Client: options.pooler === "transaction" ? pg.Client : PreparingClient,
      types: {
        getTypeParser: ((oid: number, format?: string) => {
          if (oid === DATE_OID) return asIsoDate;
          if (oid === INT8_OID || oid === NUMERIC_OID) return asNumber;
          return pg.types.getTypeParser(oid, format as "text");
        }) as typeof pg.types.getTypeParser,
      },
    });
    let closing = false;
    // An idle connection the server drops (restart, failover) must not crash the process: the
    // pool discards it and opens a new one on the next query.
    pool.on("error", (error) => {
      if (!closing)
        console.error(JSON.stringify({ level: "warn", time: new Date().toISOString(), message: `idle database connection lost: ${error.message}` }));
    });
    const db = new Kysely<DB>({ dialect: new NulFreeDialect(new PostgresDialect({ pool })) });
    return {
      db,
      kind: "postgres",
      close: async () => {
        closing = true;
        await db.destroy();
      },
    };
  }

  let dataDir: string | undefined;
  if ("pgliteDir" in options) {
    dataDir = path.resolve(options.pgliteDir);
    // PGlite creates only the last path segment itself.
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  }
  const pglite = await PGlite.create({
    dataDir,
    parsers: { [DATE_OID]: asIsoDate, [INT8_OID]: asNumber, [NUMERIC_OID]: asNumber },
  });
  const db = new Kysely<DB>({ dialect: new NulFreeDialect(new PGliteDialect(pglite)) });
  return {
    db,
    kind: "pglite",
    // Holding the one connection means no transaction is open and no query runs while the files
    // are read; the checkpoint first puts every committed change into the data files, so the
    // copy starts without replaying the write-ahead log.
    dumpDataDir: () =>
      db.connection().execute(async (connection) => {
        await sql`checkpoint`.execute(connection);
        return pglite.dumpDataDir("gzip");
      }),
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** Options for the process-wide database, from the environment. */
export function databaseOptionsFromEnv(): OpenOptions {
  const env = getEnv();
  return env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, pooler: env.DATABASE_POOLER, poolSize: env.DATABASE_POOL_SIZE } : { pgliteDir: env.PGLITE_DIR };
}

// One instance per process, kept on globalThis: dev rebuilds re-evaluate this module, and a
// second PGlite on the same data directory would corrupt it.
const globalKey = Symbol.for("plan-together.database");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  const g = globalThis as GlobalWithDb;
  return (g[globalKey] ??= openDatabase(databaseOptionsFromEnv()));
}

/** Installs an already-open database as the process-wide one (the server and tests do this). */
export function setDatabase(database: Database) {
  (globalThis as GlobalWithDb)[globalKey] = Promise.resolve(database);
}

export async function getDb(): Promise<Kysely<DB>> {
  return (await getDatabase()).db;
}

export async function closeDatabase() {
  const g = globalThis as GlobalWithDb;
  const pending = g[globalKey];
  g[globalKey] = undefined;
  if (pending) await (await pending).close();
}
