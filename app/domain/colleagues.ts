/*
 * Buyers add their colleagues to a plan, and each colleague gets a link of their own. The portal
 * must not become a way to make us email anyone (issue 17, item 6): additions are capped per hour,
 * and the invitation is emailed only to an address on the inviting buyer's own domain. Anyone
 * else still gets their link, which the buyer forwards: the buyer vouches for them, not our mail
 * server. The rep sees every addition in the plan's activity.
 */

/** At most this many colleagues an hour: per plan (all its buyers), and per buyer link. */
export const COLLEAGUE_LIMITS = { perPlanPerHour: 10, perBuyerPerHour: 5 } as const;

export function emailDomain(email: string): string {
  return email
    .slice(email.lastIndexOf("@") + 1)
    .trim()
    .toLowerCase();
}

/** Why one more colleague cannot be added now, or null when it can. */
/** Which limit a buyer has reached, if any: the buyer's page words it by its code (buyer.errors). */
export function colleagueLimit(addedLastHour: { plan: number; buyer: number }): { code: "colleagueLimitYou" | "colleagueLimitTeam"; limit: number } | null {
  if (addedLastHour.buyer >= COLLEAGUE_LIMITS.perBuyerPerHour) return { code: "colleagueLimitYou", limit: COLLEAGUE_LIMITS.perBuyerPerHour };
  if (addedLastHour.plan >= COLLEAGUE_LIMITS.perPlanPerHour) return { code: "colleagueLimitTeam", limit: COLLEAGUE_LIMITS.perPlanPerHour };
  return null;
}

/** The limit in English, for the API and the logs. */
export function colleagueLimitMessage(addedLastHour: { plan: number; buyer: number }): string | null {
  const reached = colleagueLimit(addedLastHour);
  if (!reached) return null;
  return reached.code === "colleagueLimitYou"
    ? `You have added ${reached.limit} colleagues in the last hour. Please wait a while, or ask your contact at the seller to add more.`
    : `Your team has added ${reached.limit} colleagues to this plan in the last hour. Please wait a while, or ask your contact at the seller to add more.`;
}

/** We email the invitation ourselves only within the inviting buyer's own email domain. */
export function mayEmailColleague(inviterEmail: string | null | undefined, colleagueEmail: string): boolean {
  return Boolean(inviterEmail) && emailDomain(inviterEmail!) === emailDomain(colleagueEmail);
}
