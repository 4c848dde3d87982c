/** How long a buyer link may work, in days (the rep picks one). */
export const LINK_DAY_CHOICES = [7, 30, 90, 180, 365] as const;

/** A link's state as the rep sees it; a revoked link stays revoked even after it would have expired. */
export function linkState(link: { revoked_at: Date | string | null; expires_at: Date | string }, now: Date): "active" | "expired" | "revoked" {
  if (link.revoked_at) return "revoked";
  return new Date(link.expires_at).getTime() > now.getTime() ? "active" : "expired";
}

const DAY_MS = 86_400_000;

/** The moment a go-live day is over (UTC): a link must still work then to carry the buyer through it. */
function endOfDay(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) + DAY_MS;
}

/** Does a live link stop working before its plan's go-live day is over? */
export function expiresBeforeGoLive(expiresAt: Date | string, goLive: string): boolean {
  return new Date(expiresAt).getTime() < endOfDay(goLive);
}

/**
 * How many days a new or renewed link should work, from `now`: the shortest choice that carries
 * it past go-live, never shorter than `atLeast`; the longest choice when go-live is further away
 * than that (the people card then keeps warning, so the rep renews nearer the time).
 */
export function linkDaysToOutlast(goLive: string, now: Date, atLeast = 0): (typeof LINK_DAY_CHOICES)[number] {
  const needed = endOfDay(goLive) - now.getTime();
  const fits = LINK_DAY_CHOICES.find((d) => d >= atLeast && d * DAY_MS > needed);
  return fits ?? LINK_DAY_CHOICES[LINK_DAY_CHOICES.length - 1];
}
