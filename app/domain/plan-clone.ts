import { z } from "zod";
import type { OwnerSide } from "~/domain/owner-side";
import { newPlanSchema } from "~/domain/plan-validation";

/*
 * Cloning a plan for another buying unit of the same customer (ADR 040): what the copy takes from
 * the source. Pure, so the form, the API and the write path agree on it and a unit test can pin it.
 * The copy keeps the plan's shape (milestones, durations, lags, dependencies, owner sides) and
 * leaves behind what belongs to the source's deal: completion, pinned dates, share links.
 */

/** The clone form: the new plan's details as plan creation validates them, and whether to copy the people. */
export const cloneFormSchema = newPlanSchema.pick({ buyerCompany: true, title: true, value: true, currency: true, goLive: true }).extend({
  copyPeople: z.boolean().default(false),
});
export type CloneFormInput = z.infer<typeof cloneFormSchema>;

/** What a clone is asked for; what is left out stays as on the source plan (its owner too). */
export interface CloneRequest {
  title: string;
  goLive: string;
  copyPeople: boolean;
  buyerCompany?: string;
  value?: number;
  currency?: string;
  ownerId?: string;
}

export interface SourceMilestone {
  id: string;
  title: string;
  description: string;
  owner_side: OwnerSide;
  owner_stakeholder_id: string | null;
  duration_days: number;
  lag_days: number;
  is_close: boolean;
}

export interface SourcePerson {
  id: string;
  side: "buyer" | "seller";
  name: string;
  email: string;
  title: string;
  user_id: string | null;
  /** A deactivated teammate stays on the old plan but is not put on a new one (ADR 021). */
  deactivated: boolean;
}

/**
 * A plan's contents to create, keyed by the caller's handles: a template's or a source plan's
 * milestone ids. Milestones are inserted in the given order; an owner key names a person of
 * `people`.
 */
export interface PlanBlueprint {
  milestones: Array<{
    key: string;
    title: string;
    description: string;
    ownerSide: OwnerSide;
    ownerKey: string | null;
    durationDays: number;
    lagDays: number;
    isClose: boolean;
  }>;
  dependencies: Array<{ milestoneKey: string; dependsOnKey: string }>;
  people: Array<{ key: string; side: "buyer" | "seller"; name: string; email: string; title: string; userId: string | null }>;
}

/**
 * The blueprint of a plan's (or a template's) milestones in their order, dependencies and people.
 * People come only when asked for, without deactivated teammates; a milestone keeps its named
 * owner only when that person comes along.
 */
export function blueprintOf(
  source: {
    milestones: readonly SourceMilestone[];
    dependencies: ReadonlyArray<{ milestone_id: string; depends_on_id: string }>;
    people: readonly SourcePerson[];
  },
  copyPeople: boolean,
): PlanBlueprint {
  const people = copyPeople
    ? source.people.filter((p) => !p.deactivated).map((p) => ({ key: p.id, side: p.side, name: p.name, email: p.email, title: p.title, userId: p.user_id }))
    : [];
  const copied = new Set(people.map((p) => p.key));
  const milestoneIds = new Set(source.milestones.map((m) => m.id));
  return {
    milestones: source.milestones.map((m) => ({
      key: m.id,
      title: m.title,
      description: m.description,
      ownerSide: m.owner_side,
      ownerKey: m.owner_stakeholder_id && copied.has(m.owner_stakeholder_id) ? m.owner_stakeholder_id : null,
      durationDays: m.duration_days,
      lagDays: m.lag_days,
      isClose: m.is_close,
    })),
    dependencies: source.dependencies
      .filter((d) => milestoneIds.has(d.milestone_id) && milestoneIds.has(d.depends_on_id))
      .map((d) => ({ milestoneKey: d.milestone_id, dependsOnKey: d.depends_on_id })),
    people,
  };
}
