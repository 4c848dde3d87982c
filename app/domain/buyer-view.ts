import { NEW_DEVICE_ACTION } from "~/domain/buyer-devices";
import { STAKEHOLDER_MAPPED_ACTION, STAKEHOLDER_NOTES_ACTION } from "~/domain/stakeholder-map";
/*
 * What the buyer's page shows: their open steps first, and the plan's history without the
 * seller's business (who got which link, the deal's value and CRM fields). Pure: the loader
 * passes rows in and sends only what comes out.
 */

/** Log actions that are the seller's own bookkeeping: never read for a buyer. */
// A device signing in changed nothing on the plan; the rep sees those on the people card. A clone
// is another buying unit's plan, not this buyer's business (ADR 040). The stakeholder map is the
// seller's reading of the buying side (ADR 036).
export const SELLER_ONLY_ACTIONS = [
  "share_link.created",
  "share_link.renewed",
  "share_link.revoked",
  NEW_DEVICE_ACTION,
  "plan.crm_updated",
  "plan.cloned",
  STAKEHOLDER_MAPPED_ACTION,
  STAKEHOLDER_NOTES_ACTION,
] as const;

/** Plan fields a buyer never sees, in any event's changes. */
// Why a deal was lost, in the seller's words, is the seller's own analysis (ADR 026).
const SELLER_ONLY_FIELDS = new Set([
  "value",
  "currency",
  "crm_close_date",
  "external_crm_id",
  "owner_id",
  "forecast_close_date",
  "loss_reason",
  "close_note",
  "cloned_from",
  "decision_role",
  "reports_to",
  "influence",
  "sentiment",
  "private_note_length",
]);

export interface LoggedChange {
  action: string;
  changes: Record<string, { before: unknown; after: unknown }>;
}

/**
 * The event as a buyer may read it, or null when nothing of it is theirs to see (a link handed
 * out, a CRM sync, an edit that only touched the deal's value).
 */
export function forBuyer<E extends LoggedChange>(event: E): E | null {
  if ((SELLER_ONLY_ACTIONS as readonly string[]).includes(event.action)) return null;
  const kept = Object.entries(event.changes ?? {}).filter(([field]) => !SELLER_ONLY_FIELDS.has(field));
  if (kept.length === Object.keys(event.changes ?? {}).length) return event;
  // An edit of the plan's seller-only fields and nothing else says nothing to the buyer.
  if (!kept.length) return null;
  return { ...event, changes: Object.fromEntries(kept) };
}

export interface StepCandidate {
  id: string;
  title: string;
  owner_side: "buyer" | "seller" | "joint";
  completed_on: string | null;
  due_date: string | null;
}

/** The buyer's open milestones (their side's and the joint ones), soonest due first; undated last. */
export function buyerNextSteps<M extends StepCandidate>(milestones: readonly M[]): M[] {
  return milestones
    .filter((m) => m.owner_side !== "seller" && !m.completed_on)
    .map((m, index) => ({ m, index }))
    .sort((a, b) => {
      if (a.m.due_date !== b.m.due_date) {
        if (!a.m.due_date) return 1;
        if (!b.m.due_date) return -1;
        return a.m.due_date < b.m.due_date ? -1 : 1;
      }
      return a.index - b.index;
    })
    .map(({ m }) => m);
}

/** "SO" for Sam Okafor, "P" for Priya: the avatar of someone without a photo. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "?";
  const first = words[0][0] ?? "";
  const last = words.length > 1 ? (words[words.length - 1][0] ?? "") : "";
  return (first + last).toUpperCase();
}
