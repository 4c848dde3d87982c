import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../../db/types";
import { todayIn } from "~/domain/dates";
import { storeSchedulesOnPlans } from "~/models/plan-schedule.server";
import { queueWebhooksForMany } from "~/models/webhooks.server";

/*
 * Stored schedules depend on "today" (projections, overdue, slip). A plan nobody touched since
 * yesterday is re-projected by this job, so lists and the forecast stay true without computing
 * anything on read. Any app server may run it: each plan is claimed with SKIP LOCKED.
 *
 * A batch is three statements whatever its size (ADR 043): the claim, the schedule states of its
 * plans, and one write of everything that moved; then the webhooks, one insert for the batch. An
 * organisation is walked in the order of its plans' ids, each batch after the last id of the one
 * before, so no claim rereads the plans already done, and no batch holds more than its plans:
 * the job's memory does not grow with the organisation.
 */
const SYSTEM = { side: "system" as const, name: "Daily re-projection" };
const REASON = "Re-projected for a new day";

/** `afterBatch` is told after each committed batch, with the plans refreshed so far (the benchmark reads the job's memory there). */
export async function refreshStaleSchedules(db: Kysely<DB>, now: Date, batchSize = 200, afterBatch?: (refreshed: number) => void): Promise<number> {
  const orgs = await db.selectFrom("organisations").select(["id", "time_zone"]).execute();
  let refreshed = 0;
  for (const org of orgs) {
    const today = todayIn(org.time_zone, now);
    let after: string | null = null;
    for (;;) {
      const batch = await db.transaction().execute((trx) => refreshStaleBatch(trx, org.id, today, now, batchSize, after));
      refreshed += batch.plans;
      afterBatch?.(refreshed);
      if (batch.plans < batchSize) break;
      after = batch.lastId;
    }
  }
  return refreshed;
}

/**
 * One batch of an organisation's stale active plans (the first `batchSize` by id after `after`),
 * re-projected for `today` inside the caller's transaction; the date history's rows are stamped
 * `now`. The demo's generated history replays this for its simulated days.
 */
export async function refreshStaleBatch(
  trx: Transaction<DB>,
  orgId: string,
  today: string,
  now: Date,
  batchSize = 200,
  after: string | null = null,
): Promise<{ plans: number; lastId: string | null }> {
  const { rows } = await sql<{ id: string }>`
    select id from plans
    where org_id = ${orgId} and status = 'active'
      and (schedule_computed_on is null or schedule_computed_on < ${today})
      ${after ? sql`and id > ${after}` : sql``}
    order by id
    limit ${batchSize}
    for update skip locked`.execute(trx);
  const ids = rows.map((r) => r.id);
  const stored = await storeSchedulesOnPlans(trx, orgId, ids, today, SYSTEM, REASON, now);
  // A forecast date that moved only because time passed still reaches the CRM.
  await queueWebhooksForMany(trx, orgId, SYSTEM, stored, now);
  return { plans: ids.length, lastId: ids.at(-1) ?? null };
}
