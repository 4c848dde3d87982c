/*
 * The stakeholder map of a plan's buying side: each buyer's role in the decision, whom they report
 * to, and the rep's private read of them (influence, sentiment, a note). Pure: the form's rules,
 * the reports-to checks, the org chart's layout and the economic buyer's signal (ADR 036). The
 * form's schema is in stakeholder-map-schema.ts: this module is on the buyer's page, which does
 * not ship zod.
 */

export const DECISION_ROLES = ["champion", "economic_buyer", "decision_maker", "technical_evaluator", "legal", "procurement", "security", "user"] as const;
export type DecisionRole = (typeof DECISION_ROLES)[number];
export const DECISION_ROLE_LABELS: Record<DecisionRole, string> = {
  champion: "Champion",
  economic_buyer: "Economic buyer",
  decision_maker: "Decision maker",
  technical_evaluator: "Technical evaluator",
  legal: "Legal",
  procurement: "Procurement",
  security: "Security",
  user: "User",
};

export const INFLUENCES = ["low", "medium", "high"] as const;
export type Influence = (typeof INFLUENCES)[number];
export const INFLUENCE_LABELS: Record<Influence, string> = { low: "Low", medium: "Medium", high: "High" };

export const SENTIMENTS = ["supporter", "neutral", "detractor"] as const;
export type Sentiment = (typeof SENTIMENTS)[number];
export const SENTIMENT_LABELS: Record<Sentiment, string> = { supporter: "Supporter", neutral: "Neutral", detractor: "Detractor" };

export const PRIVATE_NOTE_MAX = 2000;

/** The log actions of the map: the seller's own analysis, never read for a buyer (buyer-view.ts). */
export const STAKEHOLDER_MAPPED_ACTION = "stakeholder.mapped";
export const STAKEHOLDER_NOTES_ACTION = "stakeholder.notes_changed";

/** What a refused map form sends back: the values as typed and why, so the form shows them again. */
export interface MapFormFailure {
  stakeholderId: string;
  formError: string;
  fieldErrors: Partial<Record<string, string[]>>;
  values: { decisionRole: string; reportsToId: string; influence: string; sentiment: string; privateNote: string };
}

export interface MappedPerson {
  id: string;
  side: "buyer" | "seller";
  reports_to_id: string | null;
}

/**
 * Why `personId` may not report to `managerId`, or null when it may: the manager must be another
 * buyer on the plan, and the chain above them must not come back to the person.
 */
export function reportsToProblem(people: readonly MappedPerson[], personId: string, managerId: string | null): string | null {
  if (managerId === null) return null;
  if (managerId === personId) return "Someone cannot report to themselves.";
  const byId = new Map(people.map((p) => [p.id, p]));
  const manager = byId.get(managerId);
  if (!manager || manager.side !== "buyer") return "Pick someone on the buyer's side of this plan.";
  const seen = new Set<string>();
  for (let at: MappedPerson | undefined = manager; at; at = at.reports_to_id ? byId.get(at.reports_to_id) : undefined) {
    if (at.id === personId) return "That would make a loop: they already report, directly or not, to this person.";
    if (seen.has(at.id)) break;
    seen.add(at.id);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The org chart's layout
// ---------------------------------------------------------------------------------------------

export const CHART_BOX = { width: 176, height: 72, gapX: 16, gapY: 40, margin: 8 } as const;

export interface ChartBox {
  id: string;
  x: number;
  y: number;
  depth: number;
}

export interface ChartEdge {
  from: string;
  to: string;
  /** An elbow from the bottom middle of the manager's box to the top middle of the report's. */
  points: Array<[number, number]>;
}

export interface ChartLayout {
  boxes: ChartBox[];
  edges: ChartEdge[];
  width: number;
  height: number;
}

/**
 * Boxes for a forest of reports-to trees, top-down: each person's reports sit in the row below,
 * side by side, with the person centred over them; trees (several roots, or people whose manager
 * is not mapped) stand next to each other in the order given. Each leaf takes its own column, so
 * no two boxes overlap. A loop (which the command refuses) is cut where it is found.
 */
export function layoutOrgChart(people: ReadonlyArray<{ id: string; reports_to_id: string | null }>): ChartLayout {
  const { width: w, height: h, gapX, gapY, margin } = CHART_BOX;
  const ids = new Set(people.map((p) => p.id));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const p of people) {
    if (p.reports_to_id && ids.has(p.reports_to_id) && p.reports_to_id !== p.id) {
      children.set(p.reports_to_id, [...(children.get(p.reports_to_id) ?? []), p.id]);
    } else roots.push(p.id);
  }
  const boxes: ChartBox[] = [];
  const edges: ChartEdge[] = [];
  const placed = new Set<string>();
  let nextColumn = 0;
  let maxDepth = -1;

  /** Places a subtree; returns the x of its root's box. */
  const place = (id: string, depth: number): number => {
    placed.add(id);
    maxDepth = Math.max(maxDepth, depth);
    const kids = (children.get(id) ?? []).filter((k) => !placed.has(k));
    const y = margin + depth * (h + gapY);
    let x: number;
    if (!kids.length) {
      x = margin + nextColumn * (w + gapX);
      nextColumn += 1;
    } else {
      const xs = kids.map((k) => place(k, depth + 1));
      x = (xs[0] + xs[xs.length - 1]) / 2;
      for (const [i, k] of kids.entries()) {
        const midY = y + h + gapY / 2;
        edges.push({
          from: id,
          to: k,
          points: [
            [x + w / 2, y + h],
            [x + w / 2, midY],
            [xs[i] + w / 2, midY],
            [xs[i] + w / 2, y + h + gapY],
          ],
        });
      }
    }
    boxes.push({ id, x, y, depth });
    return x;
  };

  for (const root of roots) place(root, 0);
  // Everyone left is on a loop with no way in from a root: the first of each loop becomes a root.
  for (const p of people) if (!placed.has(p.id)) place(p.id, 0);

  const order = new Map(people.map((p, i) => [p.id, i]));
  boxes.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return {
    boxes,
    edges,
    width: nextColumn ? margin * 2 + nextColumn * w + (nextColumn - 1) * gapX : 0,
    height: maxDepth >= 0 ? margin * 2 + (maxDepth + 1) * h + maxDepth * gapY : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The economic buyer's signal on the forecast's at-risk list
// ---------------------------------------------------------------------------------------------

/** none: nobody mapped as economic buyer; unseen: named, but none of them has opened the plan. */
export type EconomicBuyerState = "none" | "unseen" | "seen";
