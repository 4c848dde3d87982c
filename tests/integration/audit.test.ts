import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { verifyEventChains } from "~/models/plan-event.server";
import { findLiveShareLink } from "~/models/share-link.server";
import { ensureDemoBuyerLink, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { testToday } from "../support/dates";

describe.each(testDatabaseTargets())("the tamper-evident log on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let orgId: string;
  beforeAll(async () => {
    database = await target.open();
    ({ orgId } = await seedDemo(database.db, testToday())); // as of the test's own today: ensureDemoBuyerLink below runs on the real clock
  });
  afterAll(async () => {
    await database?.drop();
  });

  /**
   * Tampers with the log as only a database superuser could (its guard trigger switched off), runs
   * `check`, then puts the touched events back exactly as they were: no other test sees the
   * damage, so the tests pass in any order.
   */
  async function tampering(eventIds: string[], tamper: () => Promise<void>, check: () => Promise<void>) {
    // Citus alters a distributed table's triggers only when asked to (on its shards too); elsewhere
    // the setting is an unused placeholder.
    const guard = (state: "enable" | "disable") =>
      database.db.transaction().execute(async (trx) => {
        await sql`set local citus.enable_unsafe_triggers = on`.execute(trx);
        await sql.raw(`alter table plan_events ${state} trigger plan_events_no_update`).execute(trx);
      });
    const ids = sql.join(eventIds);
    await sql`create table tampered_events_backup as select * from plan_events where id in (${ids})`.execute(database.db);
    try {
      await guard("disable");
      try {
        await tamper();
      } finally {
        await guard("enable");
      }
      await check();
    } finally {
      await guard("disable");
      await sql`delete from plan_events where id in (${ids})`.execute(database.db);
      await sql`insert into plan_events select * from tampered_events_backup`.execute(database.db);
      await guard("enable");
      await sql`drop table tampered_events_backup`.execute(database.db);
    }
    expect((await verifyEventChains(database.db)).problems).toEqual([]);
  }

  it("finds every chain of the seeded demo intact", async () => {
    const result = await verifyEventChains(database.db);
    expect(result.plans).toBe(12);
    expect(result.events).toBeGreaterThan(12);
    expect(result.problems).toEqual([]);
  });

  it("logs the demo's printed buyer link on its plan like any change, and reuses it while it works", async () => {
    const now = new Date();
    const token = await ensureDemoBuyerLink(database.db, orgId, null, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const link = await findLiveShareLink(database.db, token!, now);
    expect(link).toBeTruthy();
    const last = await database.db
      .selectFrom("plan_events")
      .select(["action", "entity_id", "actor_name", "actor_side", "seq"])
      .where("plan_id", "=", link!.plan_id)
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: "share_link.created", entity_id: link!.id, actor_name: "Demo setup", actor_side: "system" });
    const plan = await database.db.selectFrom("plans").select(["last_event_seq"]).where("id", "=", link!.plan_id).executeTakeFirstOrThrow();
    expect(plan.last_event_seq).toBe(last.seq);
    // Every chain, this one included, still verifies.
    expect((await verifyEventChains(database.db)).problems).toEqual([]);
    // A restart with the remembered link keeps it and logs nothing new.
    expect(await ensureDemoBuyerLink(database.db, orgId, token, now)).toBe(token);
    const after = await database.db.selectFrom("plans").select(["last_event_seq"]).where("id", "=", link!.plan_id).executeTakeFirstOrThrow();
    expect(after.last_event_seq).toBe(last.seq);
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
    await tampering(
      [altered.id, deleted.id],
      async () => {
        await sql`update plan_events set actor_name = 'Someone else' where id = ${altered.id}`.execute(database.db);
        await sql`delete from plan_events where id = ${deleted.id}`.execute(database.db);
      },
      async () => {
        const { problems } = await verifyEventChains(database.db);
        expect(problems).toHaveLength(2);
        expect(problems).toContainEqual(expect.objectContaining({ kind: "altered", eventId: altered.id, seq: 2 }));
        expect(problems).toContainEqual(expect.objectContaining({ kind: "missing", afterSeq: 1 }));
        expect(problems.find((p) => p.kind === "missing")!.message).toContain(deleted.plan_id);
      },
    );
  });

  it("names a deleted last event too, against the plan's recorded log head", async () => {
    const plan = await database.db
      .selectFrom("plans")
      .select(["id", "last_event_seq"])
      .where("buyer_company", "=", "Vandelay Imports")
      .executeTakeFirstOrThrow();
    const last = await database.db
      .selectFrom("plan_events")
      .select("id")
      .where("plan_id", "=", plan.id)
      .where("seq", "=", plan.last_event_seq)
      .executeTakeFirstOrThrow();
    await tampering(
      [last.id],
      async () => {
        await sql`delete from plan_events where id = ${last.id}`.execute(database.db);
      },
      async () => {
        const { problems } = await verifyEventChains(database.db);
        expect(problems).toContainEqual(expect.objectContaining({ kind: "missing", afterSeq: plan.last_event_seq - 1 }));
      },
    );
  });
});
