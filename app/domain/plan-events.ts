/*
 * The edit log's event shape and its hash chain. Each event's hash covers the previous event's
 * hash and a canonical form of the event, so altering or deleting any entry breaks every hash
 * after it (see `npm run audit:verify`). The digest itself (SHA-256) is computed in
 * app/infra/event-chain.server.ts and passed in: this module stays pure.
 */

/** A digest of text, hex-encoded: SHA-256 in the app (app/infra/event-chain.server.ts). */
export type Digest = (text: string) => string;
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

/** What an event's hash covers: the previous hash, a newline, and the event in canonical form. */
export function eventHashInput(prevHash: string | null, event: PlanEventContent): string {
  const canonical = canonicalJson({
    ...event,
    actor: {
      side: event.actor.side,
      name: event.actor.name,
      userId: event.actor.userId ?? null,
      stakeholderId: event.actor.stakeholderId ?? null,
    },
  });
  return `${prevHash ?? ""}\n${canonical}`;
}

export interface StoredEvent extends PlanEventContent {
  id: string;
  prevHash: string | null;
  hash: string;
}

export type ChainProblem =
  | { kind: "altered"; eventId: string; seq: number; message: string }
  | { kind: "missing"; afterSeq: number; message: string }
  | { kind: "relinked"; eventId: string; seq: number; message: string };

/**
 * Walks one plan's log in order and names every break: an event whose content no longer matches
 * its hash (altered), a gap in the sequence (deleted), or an event pointing at the wrong
 * predecessor (re-chained). Events after a break are checked against their own stored links, so
 * one tampered row is reported once rather than poisoning the rest.
 */
export function verifyChain(digest: Digest, events: StoredEvent[], head?: { planId: string; seq: number; hash: string | null }): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let expectedSeq = 1;
  let prev: StoredEvent | null = null;
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.seq !== expectedSeq) {
      problems.push({
        kind: "missing",
        afterSeq: expectedSeq - 1,
        message: `event ${expectedSeq}${e.seq - expectedSeq > 1 ? `–${e.seq - 1}` : ""} of plan ${e.planId} is missing (deleted)`,
      });
    } else if (prev && e.prevHash !== prev.hash) {
      problems.push({ kind: "relinked", eventId: e.id, seq: e.seq, message: `event ${e.seq} (${e.id}) of plan ${e.planId} does not follow event ${prev.seq}` });
    }
    const { id: _id, prevHash: _prev, hash: _hash, ...content } = e;
    if (digest(eventHashInput(e.prevHash, content)) !== e.hash) {
      problems.push({
        kind: "altered",
        eventId: e.id,
        seq: e.seq,
        message: `event ${e.seq} (${e.id}) of plan ${e.planId} was altered: "${e.action}" by ${e.actor.name}`,
      });
    }
    expectedSeq = e.seq + 1;
    prev = e;
  }
  // The plan row remembers where its log ends: events cut from the end leave no gap otherwise.
  if (head && head.seq > expectedSeq - 1) {
    problems.push({
      kind: "missing",
      afterSeq: expectedSeq - 1,
      message: `event ${expectedSeq}${head.seq > expectedSeq ? `–${head.seq}` : ""} of plan ${head.planId} is missing (deleted from the end)`,
    });
  } else if (head && prev && head.seq === prev.seq && head.hash !== prev.hash) {
    problems.push({
      kind: "altered",
      eventId: prev.id,
      seq: prev.seq,
      message: `event ${prev.seq} (${prev.id}) of plan ${head.planId} does not match the plan's recorded log head`,
    });
  }
  return problems;
}
