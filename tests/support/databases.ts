import { openDatabase, type Database } from "~/infra/db.server";
import { migrateToLatest } from "../../db/migrator";
import { createScratchPostgres, postgresAdminUrl } from "../../db/scratch";

export { postgresAdminUrl };

/*
 * Integration tests run once per database: always on an in-memory PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL (or DATABASE_URL) points at a server. Each run gets a fresh database of its
 * own, created here and dropped afterwards.
 */
export interface TestDatabaseTarget {
  name: "pglite" | "postgres";
  open(): Promise<Database & { drop(): Promise<void> }>;
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
