import { CompiledQuery, type Kysely } from "kysely";
import type { DB } from "../db/types";

/*
 * The baselines `npm run bench` puts our code paths beside: the least the database must do for
 * the same result, with none of the app's checks. Benchmark use only; nothing in the app calls
 * these.
 */

/**
 * A buyer's "mark done" stripped to its two writes: set the date, append an event, one
 * transaction. No lock, no version check, no hash chain, no schedule: the physical floor of the
 * real write path (buyerSetDone). `seq` is the caller's: it must be free for the plan.
 */
export async function bareMarkDone(
  db: Kysely<DB>,
  input: { orgId: string; planId: string; milestoneId: string; completedOn: string | null; seq: number; actorName: string; stakeholderId: string },
) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("milestones")
      .set({ completed_on: input.completedOn })
      .where("org_id", "=", input.orgId)
      .where("id", "=", input.milestoneId)
      .execute();
    await trx
      .insertInto("plan_events")
      .values({
        org_id: input.orgId,
        plan_id: input.planId,
        seq: input.seq,
        actor_stakeholder_id: input.stakeholderId,
        actor_name: input.actorName,
        actor_side: "buyer",
        action: input.completedOn ? "milestone.completed" : "milestone.reopened",
        entity_type: "milestone",
        entity_id: input.milestoneId,
        changes: JSON.stringify({ completed_on: { before: null, after: input.completedOn } }),
        hash: "baseline",
      })
      .execute();
  });
}

/** The highest event number of a plan (0 without events). */
export async function lastEventSeq(db: Kysely<DB>, orgId: string, planId: string): Promise<number> {
  const row = await db
    .selectFrom("plan_events")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** Runs a statement captured from the app as it is: its SQL text and parameters, nothing else. */
export async function runCompiled(db: Kysely<DB>, query: { sql: string; parameters: readonly unknown[] }) {
  return db.executeQuery(CompiledQuery.raw(query.sql, [...query.parameters]));
}

/** The database server's own description ("PostgreSQL 15.4 on …"). */
export async function databaseVersion(db: Kysely<DB>): Promise<string> {
  const result = await db.executeQuery<{ version: string }>(CompiledQuery.raw("select version() as version"));
  return result.rows[0]?.version ?? "unknown";
}
