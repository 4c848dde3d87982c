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
export function colleagueLimitMessage(addedLastHour: { plan: number; buyer: number }): string | null {
  if (addedLastHour.buyer >= COLLEAGUE_LIMITS.perBuyerPerHour) {
    return `You have added ${COLLEAGUE_LIMITS.perBuyerPerHour} colleagues in the last hour. Please wait a while, or ask your contact at the seller to add more.`;
  }
  if (addedLastHour.plan >= COLLEAGUE_LIMITS.perPlanPerHour) {
    return `Your team has added ${COLLEAGUE_LIMITS.perPlanPerHour} colleagues to this plan in the last hour. Please wait a while, or ask your contact at the seller to add more.`;
  }
  return null;
}

/** We email the invitation ourselves only within the inviting buyer's own email domain. */
export function mayEmailColleague(inviterEmail: string | null | undefined, colleagueEmail: string): boolean {
  return Boolean(inviterEmail) && emailDomain(inviterEmail!) === emailDomain(colleagueEmail);
}
