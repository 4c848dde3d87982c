import { createHash } from "node:crypto";

/*
 * The edit log's event shape and its hash chain. Each event's hash covers the previous event's
 * hash and a canonical form of the event, so altering or deleting any entry breaks every hash
 * after it (see `npm run audit:verify`, planned in the safety issue).
 */
export type ActorSide = "buyer" | "seller" | "system";

export interface Actor {
  side: ActorSide;
  name: string;
  userId?: string | null;
  stakeholderId?: string | null;
}

export interface PlanEventContent {
  planId: string;
  seq: number;
  actor: Actor;
  action: string;
  entityType: "plan" | "milestone" | "stakeholder" | "share_link" | "comment";
  entityId: string | null;
  changes: Record<string, { before: unknown; after: unknown }>;
  reason: string | null;
  createdAt: string; // ISO 8601 UTC, millisecond precision
}

/** JSON with object keys sorted at every depth: the same event always serialises the same way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function eventHash(prevHash: string | null, event: PlanEventContent): string {
  const canonical = canonicalJson({
    ...event,
    actor: {
      side: event.actor.side,
      name: event.actor.name,
      userId: event.actor.userId ?? null,
      stakeholderId: event.actor.stakeholderId ?? null,
    },
  });
  return createHash("sha256").update(prevHash ?? "").update("\n").update(canonical).digest("hex");
}
