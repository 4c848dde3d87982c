import { randomBytes } from "node:crypto";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { openDatabase, type Database } from "../../app/utils/db.server";
import { migrateToLatest } from "../../db/migrator";

/*
 * Integration tests run once per database: always on an in-memory PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL (or DATABASE_URL) points at a server. Each run gets a fresh database of its
 * own, created here and dropped afterwards.
 */
export interface TestDatabaseTarget {
  name: "pglite" | "postgres";
  open(): Promise<Database & { drop(): Promise<void> }>;
}

export function postgresAdminUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

function withDatabaseName(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, statement: string) {
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }) });
  try {
    await sql.raw(statement).execute(admin);
  } finally {
    await admin.destroy();
  }
}

export async function createScratchPostgres(adminUrl: string, prefix = "pt_test") {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `create database ${name}`);
  return {
    url: withDatabaseName(adminUrl, name),
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

export function testDatabaseTargets(): TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [
    {
      name: "pglite",
      async open() {
        const database = await openDatabase({ memory: true });
        await migrateToLatest(database.db);
        return { ...database, drop: database.close };
      },
    },
  ];
  const adminUrl = postgresAdminUrl();
  if (adminUrl) {
    targets.push({
      name: "postgres",
      async open() {
        const scratch = await createScratchPostgres(adminUrl);
        const database = await openDatabase({ databaseUrl: scratch.url });
        await migrateToLatest(database.db);
        return {
          ...database,
          drop: async () => {
            await database.close();
            await scratch.drop();
          },
        };
      },
    });
  }
  return targets;
}
