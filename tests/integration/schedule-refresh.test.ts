import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { refreshStaleSchedules } from "~/models/schedule-refresh.server";
import { storeScheduleOnPlan } from "~/models/plan-schedule.server";
import type { Conn } from "~/models/conn";
import { createWebhookEndpoint } from "~/models/webhooks.server";
import { seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";

describe.each(testDatabaseTargets())("the daily re-projection on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, "2026-11-30", new Date("2026-11-30T09:00:00Z"));
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("re-projects active plans once a new day has come, and leaves fresh ones alone", async () => {
    const sameDay = await refreshStaleSchedules(database.db, new Date("2026-11-30T18:00:00Z"));
    expect(sameDay).toBe(0);

    const orgId = (await database.db.selectFrom("organisations").select("id").executeTakeFirstOrThrow()).id;
    await createWebhookEndpoint(database.db, { orgId, url: "http://127.0.0.1:9/hook", events: ["plan.forecast_date_changed"], createdBy: null });
    const later = new Date("2027-01-20T09:00:00Z");
    const active = await database.db.selectFrom("plans").select("id").where("status", "=", "active").execute();
    expect(await refreshStaleSchedules(database.db, later, 4)).toBe(active.length);
    const plans = await database.db.selectFrom("plans").select(["status", "schedule_computed_on"]).execute();
    for (const p of plans) expect(p.schedule_computed_on).toBe(p.status === "active" ? "2027-01-20" : "2026-11-30");
    // Weeks later, work that was due is now overdue and plans slip.
    const overdue = await database.db.selectFrom("milestones").select("id").where("schedule_status", "=", "overdue").execute();
    expect(overdue.length).toBeGreaterThan(0);
    expect(await refreshStaleSchedules(database.db, later)).toBe(0);
    // Close dates that slid only because time passed still reach the CRM, once per plan.
    const moved = await database.db
      .selectFrom("plan_date_history")
      .select("plan_id")
      .where("actor_name", "=", "Daily re-projection")
      .where("field", "=", "forecast_close_date")
      .execute();
    const deliveries = await database.db.selectFrom("webhook_deliveries").select(["plan_id", "event_type"]).execute();
    expect(moved.length).toBeGreaterThan(0);
    expect(deliveries.map((d) => d.plan_id).sort()).toEqual(moved.map((m) => m.plan_id).sort());
    expect(new Set(deliveries.map((d) => d.event_type))).toEqual(new Set(["plan.forecast_date_changed"]));
  });

  it("stores, a batch at a time, what re-projecting each plan on its own would store", async () => {
    const { db } = database;
    // Another day, weeks on: most open milestones move, and close dates with them.
    const later = new Date("2027-02-15T09:00:00Z");
    const snapshot = async (db: Conn) => ({
      plans: await db.selectFrom("plans").selectAll().orderBy("id").execute(),
      milestones: await db.selectFrom("milestones").selectAll().orderBy("id").execute(),
      history: await db.selectFrom("plan_date_history").select(["plan_id", "field", "old_date", "new_date"]).orderBy("id").execute(),
    });
    const active = await db.selectFrom("plans").select(["id", "org_id"]).where("status", "=", "active").execute();
    // Batches of 3 plans: several batches, each after the last one's id.
    expect(await refreshStaleSchedules(db, later, 3)).toBe(active.length);
    const batched = await snapshot(db);
    expect(batched.milestones.some((m) => m.schedule_status === "overdue")).toBe(true);
    // Each plan on its own through the write path's store, for the same day: nothing left to move.
    await db
      .transaction()
      .execute(async (trx) => {
        for (const { id, org_id } of active) {
          await storeScheduleOnPlan(trx, org_id, id, "2027-02-15", { side: "system", name: "check" }, null, undefined, later);
        }
        expect(await snapshot(trx)).toEqual(batched);
        throw new Error("rollback");
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== "rollback") throw error;
      });
  });
});
