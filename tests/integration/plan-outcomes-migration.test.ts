import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/dates";
import type { Database } from "~/infra/db.server";
import * as planOutcomes from "../../db/migrations/20261205_026_plan_outcomes";
import { seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { daysAfter, testToday } from "../support/dates";

/*
 * Migration 026 on data made before it: won and lost plans get the day they closed from their last
 * logged status change, or else from their last update; open plans get none; the checks then hold.
 */
// Not on Citus: 026 always runs before the tables are distributed, on a new cluster and on a
// database moved onto one alike (ADR 030), so running it on distributed tables tests nothing real.
describe.each(testDatabaseTargets())("migration 026 (plan outcomes) on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  const today = testToday();

  beforeAll(async () => {
    if (target.name === "citus") return;
    database = await target.open();
    await seedDemo(database.db, todayIn("UTC", new Date()));
  });
  afterAll(async () => {
    await database?.drop();
  });

  it.skipIf(target.name === "citus")("dates won and lost plans from their log, or their last update, and leaves open plans undated", async () => {
    const db = database.db;
    const idOf = async (company: string) => (await db.selectFrom("plans").select("id").where("buyer_company", "=", company).executeTakeFirstOrThrow()).id;
    const [won, lost, paused] = [await idOf("Umbrella Retail"), await idOf("Stark Manufacturing"), await idOf("Wayne Financial")];
    // Back to the schema before 026, with history as it was written then.
    await planOutcomes.down(db as Kysely<unknown>);
    const wonOn = daysAfter(today, -12);
    const lostUpdated = daysAfter(today, -30);
    // The log refuses rewrites (a trigger); this test stands in for history written before 026.
    await sql`alter table plan_events disable trigger plan_events_no_update`.execute(db);
    await sql`update plan_events set action = 'plan.status_changed', created_at = ${`${wonOn}T12:00:00Z`}::timestamptz where plan_id = ${won} and action = 'plan.closed'`.execute(
      db,
    );
    await sql`delete from plan_events where plan_id = ${lost} and changes ? 'status'`.execute(db);
    await sql`alter table plan_events enable trigger plan_events_no_update`.execute(db);
    await sql`update plans set updated_at = ${`${lostUpdated}T23:30:00Z`}::timestamptz where id = ${lost}`.execute(db);

    await planOutcomes.up(db as Kysely<unknown>);
    const rows = await db.selectFrom("plans").select(["id", "status", "closed_on"]).where("id", "in", [won, lost, paused]).execute();
    const of = (id: string) => rows.find((r) => r.id === id);
    expect(of(won)).toMatchObject({ status: "won", closed_on: wonOn });
    expect(of(lost)).toMatchObject({ status: "lost", closed_on: lostUpdated });
    expect(of(paused)).toMatchObject({ status: "paused", closed_on: null });
    // And the check stands guard from now on: no closed plan without its day, no open plan with one.
    await expect(db.updateTable("plans").set({ status: "won" }).where("id", "=", paused).execute()).rejects.toThrow(/plans_closed_on_iff_closed/);
    await expect(db.updateTable("plans").set({ loss_reason: "budget" }).where("id", "=", won).execute()).rejects.toThrow(/plans_loss_reason_if_lost/);
  });
});
