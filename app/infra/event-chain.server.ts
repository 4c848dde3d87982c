import { createHash } from "node:crypto";
import { eventHashInput, verifyChain, type PlanEventContent, type StoredEvent } from "~/domain/plan-events";

/** SHA-256, hex: the digest of the edit log's hash chain, and a logo's content address (ADR 039). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** An event's hash: it covers the previous event's hash and this event (app/domain/plan-events.ts). */
export function eventHash(prevHash: string | null, event: PlanEventContent): string {
  return sha256Hex(eventHashInput(prevHash, event));
}

/** Checks a plan's log: nothing altered, deleted or relinked (see verifyChain). */
export function verifyEventChain(events: StoredEvent[], head?: { planId: string; seq: number; hash: string | null }) {
  return verifyChain(sha256Hex, events, head);
}
