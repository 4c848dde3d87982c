import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Plan } from "../../db/types";
import { todayIn } from "~/domain/dates";
import { storeScheduleOnPlan } from "~/models/plan-schedule.server";
import { queueWebhooks } from "~/models/webhooks.server";

/*
 * Stored schedules depend on "today" (projections, overdue, slip). A plan nobody touched since
 * yesterday is re-projected by this job, so lists and the forecast stay true without computing
 * anything on read. Any app server may run it: each plan is claimed with SKIP LOCKED.
 */
const SYSTEM = { side: "system" as const, name: "Daily re-projection" };

export async function refreshStaleSchedules(db: Kysely<DB>, now: Date, batchSize = 200): Promise<number> {
  const orgs = await db.selectFrom("organisations").select(["id", "time_zone"]).execute();
  let refreshed = 0;
  for (const org of orgs) {
    const today = todayIn(org.time_zone, now);
    for (;;) {
      const done = await db.transaction().execute((trx) => refreshStaleBatch(trx, org.id, today, now, batchSize));
      refreshed += done;
      if (done < batchSize) break;
    }
  }
  return refreshed;
}

/**
 * One batch of an organisation's stale active plans, re-projected for `today` inside the caller's
 * transaction; the date history's rows are stamped `now`. The demo's generated history replays
 * this for its simulated days.
 */
export async function refreshStaleBatch(trx: Transaction<DB>, orgId: string, today: string, now: Date, batchSize = 200): Promise<number> {
  // The claimed rows are the plans as they were: what the webhooks compare the new dates to.
  const { rows } = await sql<Plan>`
    select * from plans
    where org_id = ${orgId} and status = 'active'
      and (schedule_computed_on is null or schedule_computed_on < ${today})
    order by id
    limit ${batchSize}
    for update skip locked`.execute(trx);
  for (const before of rows) {
    const { plan: after } = await storeScheduleOnPlan(trx, orgId, before.id, today, SYSTEM, "Re-projected for a new day", undefined, now);
    // A forecast date that moved only because time passed still reaches the CRM.
    await queueWebhooks(trx, { orgId, planId: before.id, actor: SYSTEM }, [], before, after, now);
  }
  return rows.length;
}
