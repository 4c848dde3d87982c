import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import { findBuyer } from "~/models/buyer-access.server";
import { buyerSetDone } from "~/models/buyer-commands.server";
import { loadBuyerPlanPage } from "~/models/plan-page.server";
import { loadPlanContents, loadPlanWorkspace } from "~/models/plan-page.server";
import type { Database } from "~/infra/db.server";
import { isPreparedStatement, PREPARED, PREPARED_MARKER } from "~/infra/prepared-statements.server";
import { seedPageBench } from "../../bench/seed";
import { postgresAdminUrl, testDatabaseTargets } from "../support/databases";

/*
 * Opted-in statements run as named prepared statements on PostgreSQL (docs/decisions/007): planned
 * once per connection, then a generic plan. What a user would notice if it broke: the buyer page
 * paying for planning again, or every page failing after a migration added a column.
 */
const postgres = testDatabaseTargets().find((t) => t.name === "postgres");

describe.skipIf(!postgresAdminUrl() || !postgres)("prepared statements on PostgreSQL", () => {
  let database: Database & { drop(): Promise<void> };
  let data: Awaited<ReturnType<typeof seedPageBench>>;
  beforeAll(async () => {
    database = await postgres!.open();
    data = await seedPageBench(database.db, [10, 30]);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("prepares the buyer page's statement once per connection and stops planning it", async () => {
    const token = /=([^;]+)/.exec(data.demo.buyerCookie)![1];
    const { title } = await database.db.selectFrom("plans").select("title").where("id", "=", data.demo.planId).executeTakeFirstOrThrow();
    const { titles, statements } = await database.db.connection().execute(async (connection) => {
      const titles: string[] = [];
      for (let run = 0; run < 8; run++) {
        const page = await loadBuyerPlanPage(connection, data.demo.planId, token, new Date());
        titles.push(page?.plan.title ?? "no page");
      }
      await sql`select count(*) from plans`.execute(connection); // not opted in: never prepared
      const { rows } = await sql<{ statement: string; generic_plans: number; custom_plans: number }>`
        select statement, generic_plans, custom_plans from pg_prepared_statements`.execute(connection);
      return { titles, statements: rows };
    });
    expect(titles).toEqual(Array(8).fill(title));
    const buyerPage = statements.filter((s) => s.statement.includes("page_buyer"));
    expect(buyerPage).toHaveLength(1);
    expect(buyerPage[0].custom_plans + buyerPage[0].generic_plans).toBe(8);
    // PostgreSQL tries five custom plans, then keeps the generic one: no more planning.
    expect(buyerPage[0].generic_plans).toBeGreaterThanOrEqual(3);
    expect(statements.every((s) => isPreparedStatement(s.statement))).toBe(true);
  });

  it("names its columns in every prepared statement, so a column added by a migration changes no result type", async () => {
    const token = /=([^;]+)/.exec(data.demo.buyerCookie)![1];
    const [viewer] = await database.db
      .selectFrom("users")
      .select(["id", "org_id as orgId", "role"])
      .where("org_id", "=", data.orgId)
      .where("role", "=", "admin")
      .execute();
    const statements = await database.db.connection().execute(async (connection) => {
      await loadBuyerPlanPage(connection, data.demo.planId, token, new Date());
      await loadPlanWorkspace(connection, viewer, data.demo.planId);
      const buyer = await findBuyer(connection, data.sized[0].planId, data.sized[0].buyerCookie.split("=")[1], new Date());
      const milestone = (await loadPlanContents(connection, buyer!.org_id, data.sized[0].planId)).milestones[0];
      await buyerSetDone(connection, buyer!, todayIn("UTC", new Date()), "star-check", milestone.id, milestone.version, true);
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(connection);
      return rows.map((r) => r.statement);
    });
    expect(statements.length).toBeGreaterThanOrEqual(5);
    // Comments (the marker) and count(*) aside, a `*` is a row whose shape a migration can change.
    const withStar = statements.filter((s) =>
      s
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replaceAll("count(*)", "")
        .includes("*"),
    );
    expect(withStar).toEqual([]);
  });

  it("prepares the write path's lock, milestone bump and schedule read, and edits on after a column is added to plans", async () => {
    const now = new Date();
    const today = todayIn("UTC", now);
    const planId = data.sized[1].planId;
    const result = await database.db.connection().execute(async (connection) => {
      const buyer = await findBuyer(connection, planId, data.sized[1].buyerCookie.split("=")[1], now);
      const milestone = (await loadPlanContents(connection, buyer!.org_id, planId)).milestones[0];
      let version = milestone.version;
      const edit = async (i: number) => {
        await buyerSetDone(connection, buyer!, today, `prepared-${i}`, milestone.id, version, i % 2 === 0);
        version += 1;
      };
      for (let i = 0; i < 6; i++) await edit(i);
      const { rows: prepared } = await sql<{ statement: string; generic_plans: number }>`
        select statement, generic_plans from pg_prepared_statements`.execute(connection);
      // A release adds a column to plans while this connection keeps its prepared statements.
      await sql`alter table plans add column prepared_probe int`.execute(connection);
      let afterColumn: string | null = null;
      try {
        await edit(6);
      } catch (error) {
        afterColumn = error instanceof Error ? error.message : String(error);
      }
      await sql`alter table plans drop column prepared_probe`.execute(connection);
      const events = await connection
        .selectFrom("plan_events")
        .select("request_id")
        .where("plan_id", "=", planId)
        .where("request_id", "like", "prepared-%")
        .execute();
      return { prepared, afterColumn, events: events.length };
    });
    const named = (needle: string) => result.prepared.filter((s) => s.statement.includes(needle));
    expect(named('from "plans"')).toHaveLength(1); // the lock
    expect(named("update milestones m set")).toHaveLength(1); // the bump
    expect(named("select p.id, p.go_live")).toHaveLength(1); // the schedule read
    expect(named("select p.id, p.go_live")[0].generic_plans).toBeGreaterThan(0);
    expect(result.afterColumn).toBeNull();
    expect(result.events).toBe(7);
  });

  it("keeps answering after a migration changes the columns a prepared statement returns", async () => {
    await sql`create table prepared_probe (id int primary key, label text not null)`.execute(database.db);
    await sql`insert into prepared_probe values (1, 'first')`.execute(database.db);
    const rows = await database.db.connection().execute(async (connection) => {
      const read = () => sql<Record<string, unknown>>`${PREPARED}select t.* from prepared_probe t order by t.id`.execute(connection);
      await read();
      await sql`alter table prepared_probe add column added int not null default 7`.execute(connection);
      // Without a fresh preparation PostgreSQL answers "cached plan must not change result type".
      const outside = (await read()).rows;
      await sql`alter table prepared_probe drop column added`.execute(connection);
      const inTransaction = await connection
        .transaction()
        .execute((trx) => sql`${PREPARED}select t.* from prepared_probe t order by t.id`.execute(trx))
        .then(
          () => ({ error: null as string | null }),
          (error: Error) => ({ error: error.message }),
        );
      const after = (await read()).rows;
      return { outside, inTransaction, after };
    });
    expect(rows.outside).toEqual([{ id: 1, label: "first", added: 7 }]);
    // In a transaction the statement cannot be run again: the cause is reported, not "transaction aborted".
    expect(rows.inTransaction.error).toMatch(/cached plan must not change result type/);
    expect(rows.after).toEqual([{ id: 1, label: "first" }]);
  });
});

describe.each(testDatabaseTargets())("opted-in statements on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("answer like any statement (the marker is only a comment)", async () => {
    const { rows } = await sql<{ n: number }>`${PREPARED}select ${41}::int + 1 as n`.execute(database.db);
    expect(rows).toEqual([{ n: 42 }]);
  });
});

describe("which statements opt in", () => {
  it("takes the marker at the head of a statement (raw sql, or after a builder's select), never from deep inside", () => {
    expect(isPreparedStatement(`${PREPARED_MARKER} select 1`)).toBe(true);
    expect(isPreparedStatement(`select ${PREPARED_MARKER} "s"."id" from "sessions" as "s"`)).toBe(true);
    expect(isPreparedStatement(`insert into comments (body) values ('${"x".repeat(60)} ${PREPARED_MARKER}')`)).toBe(false);
    expect(isPreparedStatement("select 1")).toBe(false);
  });
});
