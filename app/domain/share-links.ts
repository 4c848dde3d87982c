/** How long a buyer link may work, in days (the rep picks one). */
export const LINK_DAY_CHOICES = [7, 30, 90, 180, 365] as const;

/** A link's state as the rep sees it; a revoked link stays revoked even after it would have expired. */
export function linkState(link: { revoked_at: Date | string | null; expires_at: Date | string }, now: Date): "active" | "expired" | "revoked" {
  if (link.revoked_at) return "revoked";
  return new Date(link.expires_at).getTime() > now.getTime() ? "active" : "expired";
}
