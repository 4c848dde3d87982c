import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../app/utils/db.server";
import { verifyEventChains } from "../../app/models/plan-event.server";
import { seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";

describe.each(testDatabaseTargets())("the tamper-evident log on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, "2026-11-30");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("finds every chain of the seeded demo intact", async () => {
    const result = await verifyEventChains(database.db);
    expect(result.plans).toBe(12);
    expect(result.events).toBeGreaterThan(12);
    expect(result.problems).toEqual([]);
  });

  it("refuses UPDATE and DELETE on the log at the database itself", async () => {
    await expect(sql`update plan_events set actor_name = 'x'`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from plan_events`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it("names exactly the altered and the deleted event when someone bypasses the trigger", async () => {
    // Both in the middle of a chain: plans with at least three events.
    const [altered, deleted] = await database.db
      .selectFrom("plan_events")
      .select(["id", "plan_id", "seq"])
      .where("seq", "=", 2)
      .where("plan_id", "in", (eb) => eb.selectFrom("plan_events").select("plan_id").where("seq", "=", 3))
      .orderBy("plan_id")
      .limit(2)
      .execute();
    // Only a database superuser can do this: switch the guard off, tamper, switch it back on.
    await sql`alter table plan_events disable trigger plan_events_no_update`.execute(database.db);
    await sql`update plan_events set actor_name = 'Someone else' where id = ${altered.id}`.execute(database.db);
    await sql`delete from plan_events where id = ${deleted.id}`.execute(database.db);
    await sql`alter table plan_events enable trigger plan_events_no_update`.execute(database.db);

    const { problems } = await verifyEventChains(database.db);
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(expect.objectContaining({ kind: "altered", eventId: altered.id, seq: 2 }));
    expect(problems).toContainEqual(expect.objectContaining({ kind: "missing", afterSeq: 1 }));
    expect(problems.find((p) => p.kind === "missing")!.message).toContain(deleted.plan_id);
  });

  it("names a deleted last event too, against the plan's recorded log head", async () => {
    const plan = await database.db.selectFrom("plans").select(["id", "last_event_seq"]).where("buyer_company", "=", "Vandelay Imports").executeTakeFirstOrThrow();
    await sql`alter table plan_events disable trigger plan_events_no_update`.execute(database.db);
    await sql`delete from plan_events where plan_id = ${plan.id} and seq = ${plan.last_event_seq}`.execute(database.db);
    await sql`alter table plan_events enable trigger plan_events_no_update`.execute(database.db);
    const { problems } = await verifyEventChains(database.db);
    expect(problems).toContainEqual(expect.objectContaining({ kind: "missing", afterSeq: plan.last_event_seq - 1 }));
  });
});
