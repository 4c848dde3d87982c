import { spawnSync } from "node:child_process";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "~/infra/db.server";
import { parseEnv } from "~/infra/env.server";
import { migrateToLatest, migrationNames, pendingMigrations } from "../../db/migrator";
import { createScratchPostgres } from "../../db/scratch";
import { pagePath } from "../../bench/page-data";
import { seedPageBench } from "../../bench/seed";
import { postgresAdminUrl, testDatabaseTargets } from "../support/databases";
import { startTestServer } from "../support/http";
import { freePort, pgbouncerMissing, startPgBouncer, throughPooler, type PgBouncer } from "../support/pgbouncer";
import { startServer, stopGracefully } from "../support/server-process";

/*
 * Many servers, one database (issue 21, ADR 031): the app through Debian's PgBouncer in
 * transaction mode and directly, with a column added to plans while pages load, and migrations
 * started by two servers at once through the pooler. What a user would notice if it broke: pages
 * failing with "prepared statement … does not exist" or "cached plan must not change result type",
 * or a deploy whose migration step hangs or fails.
 */
const adminUrl = postgresAdminUrl();
const onPostgres = testDatabaseTargets().some((t) => t.name === "postgres");
const skipReason = !adminUrl || !onPostgres ? "no PostgreSQL to put a pooler in front of (TEST_DATABASE_URL)" : pgbouncerMissing();

const CLIENTS = 8;
const ROUNDS = 10;

describe.skipIf(skipReason !== null)(`through PgBouncer (transaction mode) and directly${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let bouncer: PgBouncer;
  beforeAll(async () => {
    bouncer = await startPgBouncer(adminUrl!, { poolSize: 3 });
  });
  afterAll(async () => {
    await bouncer?.stop();
  });

  describe.each([
    { mode: "through the pooler", pooled: true },
    { mode: "directly", pooled: false },
  ])("pages while a migration adds a column, $mode", ({ pooled }) => {
    let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
    let database: Database;
    beforeAll(async () => {
      scratch = await createScratchPostgres(adminUrl!);
      database = await openDatabase(
        pooled ? { databaseUrl: throughPooler(bouncer, scratch.url), pooler: "transaction" } : { databaseUrl: scratch.url, pooler: "none" },
      );
      await migrateToLatest(database.db);
    });
    afterAll(async () => {
      await database?.close();
      await scratch?.drop();
    });

    it(`loads the rep workspace and the buyer page from ${CLIENTS} clients without one error`, async () => {
      const data = await seedPageBench(database.db, [3, 5]);
      const server = await startTestServer(database.db, "postgres");
      // The release's migration comes from elsewhere (`npm run migrate`), on a connection of its own.
      const migrator = new pg.Client({ connectionString: scratch.url });
      await migrator.connect();
      const failures: string[] = [];
      let loads = 0;
      let migrated: Promise<unknown> | null = null;
      const load = async (page: "rep" | "buyer") => {
        const response = await fetch(server.origin + pagePath(page, data.demo.planId), {
          headers: { cookie: page === "buyer" ? data.demo.buyerCookie : data.repCookie },
        });
        const body = await response.text();
        if (response.status !== 200) failures.push(`${page} ${response.status}: ${body.slice(0, 160)}`);
        loads += 1;
        // Mid-run, once every server connection has run the pages' statements.
        if (loads === (CLIENTS * ROUNDS * 2) / 4) migrated = migrator.query("alter table plans add column pooler_probe text");
      };
      try {
        await Promise.all(
          Array.from({ length: CLIENTS }, async () => {
            for (let round = 0; round < ROUNDS; round++) {
              await load("rep");
              await load("buyer");
            }
          }),
        );
        await migrated;
      } finally {
        await migrator.end();
        await server.close();
      }
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns
        where table_name = 'plans' and column_name = 'pooler_probe'`.execute(database.db);
      expect(rows[0].n).toBe(1);
      expect({ loads, failures: failures.length, first: failures.slice(0, 3) }).toEqual({ loads: CLIENTS * ROUNDS * 2, failures: 0, first: [] });
    });
  });

  it("deploys like a fleet: a server with MIGRATE_ON_START=off refuses an unmigrated database, `npm run migrate` through the pooler, then it serves", async () => {
    const scratch = await createScratchPostgres(adminUrl!);
    const env = { DATABASE_URL: throughPooler(bouncer, scratch.url), DATABASE_POOLER: "transaction", MIGRATE_ON_START: "off", SEED_DEMO: "never" };
    const port = await freePort();
    try {
      const early = await startServer({ port, databaseUrl: env.DATABASE_URL, env }).then(
        async (server) => {
          await stopGracefully(server);
          return "started";
        },
        (error: Error) => error.message,
      );
      expect(early).toMatch(/lacks \d+ migration\(s\) this release needs .*run `npm run migrate` first/);
      const migrate = spawnSync(process.execPath, ["--import", "tsx", "db/migrate.ts"], { env: { ...process.env, ...env }, encoding: "utf8" });
      expect(migrate.stderr).toBe("");
      expect(migrate.status).toBe(0);
      expect(migrate.stdout).toMatch(/^Applied: /);
      const server = await startServer({ port, databaseUrl: env.DATABASE_URL, env });
      try {
        expect(server.output.join("\n")).toMatch(/through a transaction pooler/);
        expect((await fetch(`${server.origin}/login`)).status).toBe(200);
      } finally {
        await stopGracefully(server);
      }
    } finally {
      await scratch.drop();
    }
  });

  it("migrates once when two servers start their migrations at the same moment through the pooler", async () => {
    const scratch = await createScratchPostgres(adminUrl!);
    const servers = await Promise.all([0, 1].map(() => openDatabase({ databaseUrl: throughPooler(bouncer, scratch.url), pooler: "transaction" })));
    try {
      const applied = await Promise.all(servers.map((s) => migrateToLatest(s.db)));
      // Each migration ran on exactly one of them, and the other found nothing left to do.
      expect([...applied[0], ...applied[1]].sort()).toEqual(migrationNames());
      expect(applied.filter((a) => a.length === 0)).toHaveLength(1);
      const direct = await openDatabase({ databaseUrl: scratch.url });
      try {
        const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(direct.db);
        expect(rows.map((r) => r.name)).toEqual(migrationNames());
        // A session-level lock left on a server connection would stop the next deploy's migrations.
        const locks = await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`.execute(direct.db);
        expect(locks.rows[0].n).toBe(0);
        expect(await pendingMigrations(direct.db)).toEqual([]);
      } finally {
        await direct.close();
      }
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await scratch.drop();
    }
  });
});

describe("which migrations are pending (what a server started with MIGRATE_ON_START=off checks)", () => {
  it("lists every migration on an empty database and none once it is migrated", async () => {
    const database = await openDatabase({ memory: true });
    try {
      expect(await pendingMigrations(database.db)).toEqual(migrationNames());
      await migrateToLatest(database.db);
      expect(await pendingMigrations(database.db)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

describe.skipIf(!adminUrl || !onPostgres)("DATABASE_POOL_SIZE (what a fleet sizes against max_connections)", () => {
  it("is refused unless a positive whole number, and bounds the connections a server opens", async () => {
    expect(() => parseEnv({ DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => parseEnv({ DATABASE_POOL_SIZE: "many" })).toThrow(/DATABASE_POOL_SIZE/);
    expect(parseEnv({}).DATABASE_POOL_SIZE).toBe(10);

    const scratch = await createScratchPostgres(adminUrl!, "pt_test");
    const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 });
    try {
      const name = new URL(scratch.url).pathname.slice(1);
      // Six statements at once: with two connections four wait their turn, and no third connection opens.
      const busy = Promise.all(Array.from({ length: 6 }, () => sql`select pg_sleep(0.3)`.execute(database.db)));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      const { rows } = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
      await admin.end();
      await busy;
      expect(rows[0].n).toBe(2);
    } finally {
      await database.close();
      await scratch.drop();
    }
  });
});
