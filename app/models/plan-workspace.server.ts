import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import type { ActorSide } from "../domain/plan-events";
import { stakeholderIsDeactivatedUser } from "./milestone-owner.server";

/** Everything a plan page shows, in a fixed number of queries whatever the plan's size. */
export async function loadPlanContents(db: Kysely<DB>, orgId: string, planId: string) {
  const [milestones, dependencies, stakeholders] = await Promise.all([
    db
      .selectFrom("milestones")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .orderBy("position")
      .orderBy("created_at")
      .execute(),
    db
      .selectFrom("milestone_dependencies")
      .select(["milestone_id", "depends_on_id"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .execute(),
    db
      .selectFrom("stakeholders as s")
      .selectAll("s")
      // A deactivated teammate stays on the plan (their past work) but is no longer offered as an owner.
      .select(stakeholderIsDeactivatedUser().as("user_deactivated"))
      .where("s.org_id", "=", orgId)
      .where("s.plan_id", "=", planId)
      .orderBy("s.side")
      .orderBy("s.name")
      .execute(),
  ]);
  const dependsOn = new Map<string, string[]>();
  for (const d of dependencies) dependsOn.set(d.milestone_id, [...(dependsOn.get(d.milestone_id) ?? []), d.depends_on_id]);
  return {
    milestones: milestones.map((m) => ({ ...m, depends_on: dependsOn.get(m.id) ?? [] })),
    stakeholders,
  };
}

export type PlanMilestone = Awaited<ReturnType<typeof loadPlanContents>>["milestones"][number];

/** The plan's edit log, newest first, with the name of what each event is about. */
export async function listPlanActivity(db: Kysely<DB>, orgId: string, planId: string, options: { side?: ActorSide; limit?: number } = {}) {
  let query = db
    .selectFrom("plan_events as e")
    .leftJoin("milestones as m", (j) => j.onRef("m.org_id", "=", "e.org_id").onRef("m.id", "=", "e.entity_id"))
    .leftJoin("stakeholders as s", (j) => j.onRef("s.org_id", "=", "e.org_id").onRef("s.id", "=", "e.entity_id"))
    .select(["e.id", "e.seq", "e.action", "e.actor_name", "e.actor_side", "e.changes", "e.reason", "e.created_at", "e.entity_type"])
    .select((eb) => eb.fn.coalesce("m.title", "s.name").as("subject"))
    .where("e.org_id", "=", orgId)
    .where("e.plan_id", "=", planId);
  if (options.side) query = query.where("e.actor_side", "=", options.side);
  return query.orderBy("e.seq", "desc").limit(options.limit ?? 100).execute();
}

