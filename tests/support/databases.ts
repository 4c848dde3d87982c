import { openDatabase, type Database } from "~/infra/db.server";
import { migrateToLatest } from "../../db/migrator";
import { citusAdminUrl, createScratchPostgres, postgresAdminUrl } from "../../db/scratch";

export { citusAdminUrl, postgresAdminUrl };

/*
 * Integration tests run once per database: always on an in-memory PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL (or DATABASE_URL) points at a server, and on Citus when TEST_CITUS_URL names a
 * coordinator. Each run gets a fresh database of its own, created here (on every node of a
 * cluster) and dropped afterwards.
 */
export interface TestDatabaseTarget {
  name: "pglite" | "postgres" | "citus";
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
  for (const [name, adminUrl] of [
    ["postgres", postgresAdminUrl()],
    ["citus", citusAdminUrl()],
  ] as const) {
    if (!adminUrl) continue;
    targets.push({
      name,
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
  // TEST_DATABASES=citus (a comma list) runs only those: `npm test` runs the cluster as a step of its own.
  const only = process.env.TEST_DATABASES?.split(",").map((name) => name.trim());
  return only ? targets.filter((t) => only.includes(t.name)) : targets;
}
