import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { countPushes } from "~/domain/forecast-pushes";
import { eventHash } from "~/infra/event-chain.server";
import { recountForecastFacts } from "~/models/forecast-facts.server";
import { createOrganisation } from "~/models/organisation.server";
import { createPlan } from "~/models/plan-create.server";
import { PlanVersionConflict, runPlanCommand, type PlanEventSpec } from "~/models/plan-command.server";
import { createTemplate } from "~/models/template.server";
import { createUser } from "~/models/user.server";
import { testDatabaseTargets } from "../support/databases";

const today = "2027-01-04";

describe.each(testDatabaseTargets())("the plan write path on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let orgId: string;
  let planId: string;
  const rep = { side: "seller" as const, name: "Sam Okafor", userId: "" };

  beforeAll(async () => {
    database = await target.open();
    const org = await createOrganisation(database.db, { name: "Write Path Co" });
    orgId = org.id;
    const user = await createUser(database.db, { orgId, email: "sam@wp.example", name: "Sam Okafor", role: "rep", passwordHash: "x" });
    rep.userId = user.id;
    const template = await database.db.transaction().execute((trx) =>
      createTemplate(trx, {
        orgId,
        name: "Spec example",
        milestones: [
          { key: "sign", title: "Signature", ownerSide: "buyer", durationDays: 0, isClose: true },
          { key: "train", title: "Training", ownerSide: "seller", durationDays: 3, dependsOn: ["sign"] },
        ],
      }),
    );
    const { plan } = await createPlan(
      database.db,
      { orgId, ownerId: user.id, buyerCompany: "Acme", title: "Rollout", value: 1000, currency: "USD", goLive: "2027-03-01", templateId: template.id },
      rep,
      today,
    );
    planId = plan.id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("backward-schedules a template from the go-live date and stores the results", async () => {
    const plan = await database.db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
    expect(plan.forecast_close_date).toBe("2027-02-23");
    expect(plan.projected_go_live).toBe("2027-03-01");
    expect(plan.slip_days).toBe(0);
    expect([plan.milestones_done, plan.milestones_total]).toEqual([0, 2]);
    const milestones = await database.db
      .selectFrom("milestones")
      .select(["title", "start_date", "due_date"])
      .where("plan_id", "=", planId)
      .orderBy("position")
      .execute();
    expect(milestones).toEqual([
      { title: "Signature", start_date: "2027-02-23", due_date: "2027-02-23" },
      { title: "Training", start_date: "2027-02-24", due_date: "2027-02-26" },
    ]);
  });

  it("logs a change with its before/after and bumps the version, in one go", async () => {
    const before = await database.db.selectFrom("plans").select("version").where("id", "=", planId).executeTakeFirstOrThrow();
    await runPlanCommand(database.db, { orgId, planId, actor: rep, today, expectedVersion: before.version }, async (trx) => {
      await trx.updateTable("plans").set({ go_live: "2027-03-15" }).where("org_id", "=", orgId).where("id", "=", planId).execute();
      return {
        value: null,
        events: [{ action: "plan.go_live_changed", entityType: "plan", entityId: planId, changes: { go_live: { before: "2027-03-01", after: "2027-03-15" } } }],
      };
    });
    const plan = await database.db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
    expect(plan.version).toBe(before.version + 1);
    expect(plan.forecast_close_date).toBe("2027-03-09");
    const last = await database.db.selectFrom("plan_events").selectAll().where("plan_id", "=", planId).orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(last).toMatchObject({
      action: "plan.go_live_changed",
      actor_side: "seller",
      actor_name: "Sam Okafor",
      changes: { go_live: { before: "2027-03-01", after: "2027-03-15" } },
    });
    const history = await database.db
      .selectFrom("plan_date_history")
      .select(["old_date", "new_date", "created_at"])
      .where("plan_id", "=", planId)
      .where("field", "=", "forecast_close_date")
      .orderBy("created_at")
      .execute();
    expect(history.at(-1)).toMatchObject({ old_date: "2027-02-23", new_date: "2027-03-09" });
    // One change, one moment: the date history, the log entry and the plan's update agree.
    expect(new Date(history.at(-1)!.created_at).toISOString()).toBe(new Date(last.created_at).toISOString());
    expect(new Date(plan.updated_at).toISOString()).toBe(new Date(last.created_at).toISOString());
  });

  it("rejects a stale edit and writes nothing", async () => {
    const { version } = await database.db.selectFrom("plans").select("version").where("id", "=", planId).executeTakeFirstOrThrow();
    const eventsBefore = await database.db
      .selectFrom("plan_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("plan_id", "=", planId)
      .executeTakeFirstOrThrow();
    await expect(
      runPlanCommand(database.db, { orgId, planId, actor: rep, today, expectedVersion: version - 1 }, async (trx) => {
        await trx.updateTable("plans").set({ title: "Stale" }).where("id", "=", planId).execute();
        return { value: null, events: [{ action: "plan.updated", entityType: "plan", entityId: planId }] };
      }),
    ).rejects.toBeInstanceOf(PlanVersionConflict);
    const plan = await database.db.selectFrom("plans").select(["title", "version"]).where("id", "=", planId).executeTakeFirstOrThrow();
    expect(plan).toEqual({ title: "Rollout", version });
    const eventsAfter = await database.db
      .selectFrom("plan_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("plan_id", "=", planId)
      .executeTakeFirstOrThrow();
    expect(eventsAfter.n).toBe(eventsBefore.n);
  });

  it("rolls the whole change back when the schedule cannot be computed", async () => {
    const before = await database.db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
    const [a, b] = await database.db.selectFrom("milestones").select("id").where("plan_id", "=", planId).orderBy("position").execute();
    await expect(
      runPlanCommand(database.db, { orgId, planId, actor: rep, today, expectedVersion: before.version }, async (trx) => {
        // b already depends on a: a depending on b closes a cycle.
        await trx.insertInto("milestone_dependencies").values({ org_id: orgId, plan_id: planId, milestone_id: a.id, depends_on_id: b.id }).execute();
        return { value: null, events: [{ action: "milestone.dependency_added", entityType: "milestone", entityId: a.id }] };
      }),
    ).rejects.toMatchObject({ name: "PlanInputError", fieldErrors: { dependsOn: [expect.stringMatching(/would go round in a loop/)] } });
    const after = await database.db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
    expect(after.version).toBe(before.version);
    const deps = await database.db.selectFrom("milestone_dependencies").select("milestone_id").where("plan_id", "=", planId).execute();
    expect(deps).toHaveLength(1);
  });

  it("chains the log: each hash covers the previous one, and history cannot be rewritten", async () => {
    const events = await database.db.selectFrom("plan_events").selectAll().where("plan_id", "=", planId).orderBy("seq").execute();
    expect(events.length).toBeGreaterThanOrEqual(2);
    let prev: string | null = null;
    for (const e of events) {
      expect(e.prev_hash).toBe(prev);
      const recomputed = eventHash(prev, {
        planId: e.plan_id,
        seq: e.seq,
        actor: { side: e.actor_side, name: e.actor_name, userId: e.actor_user_id, stakeholderId: e.actor_stakeholder_id },
        action: e.action,
        entityType: e.entity_type,
        entityId: e.entity_id,
        changes: e.changes,
        reason: e.reason,
        createdAt: new Date(e.created_at).toISOString(),
      });
      expect(e.hash).toBe(recomputed);
      prev = e.hash;
    }
    // The plan row holds the head: the last event's seq and hash, written with the change.
    const head = await database.db.selectFrom("plans").select(["last_event_seq", "last_event_hash"]).where("id", "=", planId).executeTakeFirstOrThrow();
    expect(head).toEqual({ last_event_seq: events.at(-1)!.seq, last_event_hash: prev });
    await expect(database.db.updateTable("plan_events").set({ actor_name: "Someone else" }).where("id", "=", events[0].id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(database.db.deleteFrom("plan_events").where("id", "=", events[0].id).execute()).rejects.toThrow(/append-only/);
  });

  it("chains several events of one change in order, and the head moves past all of them", async () => {
    const before = await database.db
      .selectFrom("plans")
      .select(["version", "last_event_seq", "last_event_hash"])
      .where("id", "=", planId)
      .executeTakeFirstOrThrow();
    await runPlanCommand(database.db, { orgId, planId, actor: rep, today, expectedVersion: before.version }, async () => ({
      value: null,
      events: <PlanEventSpec[]>[
        { action: "plan.updated", entityType: "plan", entityId: planId, changes: { title: { before: "Rollout", after: "Rollout" } } },
        { action: "plan.updated", entityType: "plan", entityId: planId, changes: { value: { before: 1000, after: 1000 } } },
      ],
    }));
    const added = await database.db
      .selectFrom("plan_events")
      .select(["seq", "prev_hash", "hash"])
      .where("plan_id", "=", planId)
      .where("seq", ">", before.last_event_seq)
      .orderBy("seq")
      .execute();
    expect(added.map((e) => e.seq)).toEqual([before.last_event_seq + 1, before.last_event_seq + 2]);
    expect(added[0].prev_hash).toBe(before.last_event_hash);
    expect(added[1].prev_hash).toBe(added[0].hash);
    const head = await database.db.selectFrom("plans").select(["last_event_seq", "last_event_hash"]).where("id", "=", planId).executeTakeFirstOrThrow();
    expect(head).toEqual({ last_event_seq: added[1].seq, last_event_hash: added[1].hash });
  });

  it("keeps the forecast's stored facts with the schedule: quarter pushes and overdue buyer milestones", async () => {
    const moveGoLive = async (goLive: string, on = today) => {
      const { version } = await database.db.selectFrom("plans").select("version").where("id", "=", planId).executeTakeFirstOrThrow();
      await runPlanCommand(database.db, { orgId, planId, actor: rep, today: on, expectedVersion: version }, async (trx) => {
        await trx.updateTable("plans").set({ go_live: goLive }).where("org_id", "=", orgId).where("id", "=", planId).execute();
        return { value: null, events: [{ action: "plan.go_live_changed", entityType: "plan", entityId: planId }] };
      });
      return database.db
        .selectFrom("plans")
        .select(["forecast_close_date", "close_date_pushes", "overdue_buyer_milestones"])
        .where("id", "=", planId)
        .executeTakeFirstOrThrow();
    };
    const start = await moveGoLive("2027-03-01");
    expect(start.forecast_close_date).toBe("2027-02-23"); // Q1 (calendar quarters: the organisation's fiscal year starts in January)
    expect((await moveGoLive("2027-05-03")).close_date_pushes).toBe(start.close_date_pushes + 1); // into Q2: a push
    expect((await moveGoLive("2027-05-17")).close_date_pushes).toBe(start.close_date_pushes + 1); // within Q2: not one
    expect((await moveGoLive("2027-03-01")).close_date_pushes).toBe(start.close_date_pushes + 1); // pulled back into Q1: not one
    const pushed = await moveGoLive("2027-07-19"); // from Q1 straight into Q3: one push, however far
    expect(pushed.forecast_close_date).toBe("2027-07-13");
    expect(pushed.close_date_pushes).toBe(start.close_date_pushes + 2);

    // The stored count is the domain's count over the recorded history, and a recount agrees.
    const history = await database.db
      .selectFrom("plan_date_history")
      .select(["old_date as oldDate", "new_date as newDate"])
      .where("plan_id", "=", planId)
      .where("field", "=", "forecast_close_date")
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    expect(countPushes(history, 1)).toBe(pushed.close_date_pushes);
    await database.db.updateTable("plans").set({ close_date_pushes: 99, overdue_buyer_milestones: 99 }).where("id", "=", planId).execute();
    await recountForecastFacts(database.db, orgId);
    const recounted = await database.db
      .selectFrom("plans")
      .select(["close_date_pushes", "overdue_buyer_milestones"])
      .where("id", "=", planId)
      .executeTakeFirstOrThrow();
    expect(recounted).toEqual({ close_date_pushes: pushed.close_date_pushes, overdue_buyer_milestones: 0 });

    // Seen from a day after the buyer's signature was due (2027-07-13), it is an overdue buyer milestone.
    const late = await moveGoLive("2027-07-19", "2027-08-02");
    expect(late.overdue_buyer_milestones).toBe(1);
    expect((await moveGoLive("2027-07-19")).overdue_buyer_milestones).toBe(0);
  });
});
