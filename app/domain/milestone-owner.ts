import { isUuid } from "~/domain/ids";

/*
 * The milestone form's Owner select offers two kinds of people: those already on the plan
 * (their stakeholder id) and the seller's own team (a user id, prefixed), so a rep can own a
 * milestone without first adding themselves to the plan.
 */
export const TEAM_OWNER_PREFIX = "user:";

export function teamOwnerValue(userId: string) {
  return `${TEAM_OWNER_PREFIX}${userId}`;
}

/** The user id a team choice names; null for anything else, "invalid" for a malformed one. */
export function teamOwnerUserId(value: unknown): string | null | "invalid" {
  if (typeof value !== "string" || !value.startsWith(TEAM_OWNER_PREFIX)) return null;
  const id = value.slice(TEAM_OWNER_PREFIX.length);
  return isUuid(id) ? id : "invalid";
}
