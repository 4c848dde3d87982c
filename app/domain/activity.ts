import { describeNewDevice, NEW_DEVICE_ACTION } from "~/domain/buyer-devices";
import { isValidISODate } from "~/domain/calendar";
import { formatDay } from "~/domain/dates";
import { lossReasonLabel, PLAN_STATUS_LABELS, type PlanStatus } from "~/domain/plan-outcome";
import { describeResourceEvent } from "~/domain/resources";
import { DECISION_ROLE_LABELS, STAKEHOLDER_MAPPED_ACTION, STAKEHOLDER_NOTES_ACTION, type DecisionRole } from "~/domain/stakeholder-map";

/*
 * The edit log as sentences: "Dana Lee (buyer) moved go-live from Mon 1 Mar to Mon 15 Mar".
 * Pure, so the plan page, emails and exports word events the same way.
 */
export interface ActivityEvent {
  action: string;
  actorName: string;
  actorSide: "buyer" | "seller" | "system";
  subject: string | null; // the milestone's or stakeholder's name, when the event is about one
  changes: Record<string, { before: unknown; after: unknown }>;
  reason: string | null;
}

const FIELD_NAMES: Record<string, string> = {
  title: "title",
  description: "description",
  owner_side: "owner side",
  owner_stakeholder_id: "owner",
  duration_days: "duration",
  lag_days: "lag",
  pinned_date: "pinned date",
  completed_on: "completion date",
  is_close: "close flag",
  depends_on: "dependencies",
  buyer_company: "company",
  value: "value",
  currency: "currency",
  crm_close_date: "CRM close date",
  status: "status",
  closed_on: "close date",
  loss_reason: "loss reason",
  close_note: "close note",
};

function show(value: unknown, today?: string): string {
  if (value === null || value === undefined || value === "") return "none";
  if (isValidISODate(value)) return formatDay(value, today);
  if (Array.isArray(value)) return value.length ? value.join(", ") : "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

export function actorLabel(e: Pick<ActivityEvent, "actorName" | "actorSide">): string {
  return e.actorSide === "system" ? e.actorName : `${e.actorName} (${e.actorSide})`;
}

export function describeActivity(e: ActivityEvent, today?: string): string {
  const who = actorLabel(e);
  const subject = e.subject ? `“${e.subject}”` : "a milestone";
  const c = e.changes;
  let text: string;
  switch (e.action) {
    case "plan.created":
      text = `${who} created the plan${c.cloned_from ? ` as a copy of “${show(c.cloned_from.after)}”` : ""} with go-live ${show(c.go_live?.after, today)}`;
      break;
    case "plan.cloned":
      text = `${who} cloned the plan into “${show(c.clone?.after)}”`;
      break;
    case "plan.go_live_changed":
      text = `${who} moved go-live from ${show(c.go_live?.before, today)} to ${show(c.go_live?.after, today)}`;
      break;
    case "plan.go_live_confirmed":
      text = `${who} confirmed the go-live date`;
      break;
    case "plan.status_changed":
      text = `${who} marked the plan ${show(c.status?.after)}`;
      break;
    case "plan.closed": {
      const outcome =
        c.status?.after === "won" ? "won" : c.status?.after === "lost" ? "lost" : c.status?.after === "no_decision" ? "closed without a decision" : "closed";
      const reason = lossReasonLabel(c.loss_reason?.after as string | null | undefined);
      const note = typeof c.close_note?.after === "string" && c.close_note.after ? ` (“${c.close_note.after}”)` : "";
      // A buyer's copy keeps neither reason nor note (buyer-view.ts): it reads "closed the plan as lost on …".
      text = `${who} closed the plan as ${outcome} on ${show(c.closed_on?.after, today)}${reason ? `: ${reason.toLowerCase()}` : ""}${note}`;
      break;
    }
    case "plan.reopened": {
      const was = typeof c.status?.before === "string" ? PLAN_STATUS_LABELS[c.status.before as PlanStatus] : undefined;
      text = `${who} reopened the plan${was ? ` (it was ${was.toLowerCase()}${c.closed_on?.before ? ` on ${show(c.closed_on.before, today)}` : ""})` : ""}`;
      break;
    }
    case "plan.owner_changed":
      text = `${who} changed the owner from ${show(c.owner?.before)} to ${show(c.owner?.after)}`;
      break;
    case "plan.calendar_changed":
      // The organisation's calendar (what changed is the reason) or this plan's buyer calendar.
      text =
        c.buyer_holidays || c.buyer_working_week
          ? `${who} set the buyer's calendar: ${show(c.buyer_holidays?.after)}, ${show(c.buyer_working_week?.after)}`
          : `${who} changed the holiday calendar`;
      break;
    case "milestone.added":
      text = `${who} added ${subject}`;
      break;
    case "milestone.removed":
      text = `${who} removed “${show(c.title?.before)}”`;
      break;
    case "milestone.completed":
      text = `${who} marked ${subject} done on ${show(c.completed_on?.after, today)}`;
      break;
    case "milestone.reopened":
      text = `${who} reopened ${subject}`;
      break;
    case "milestone.moved":
      text = `${who} moved ${subject} in the list`;
      break;
    case "stakeholder.added":
      text = `${who} added ${show(c.name?.after)} (${show(c.side?.after)}) to the plan`;
      break;
    case "stakeholder.removed":
      text = `${who} removed ${show(c.name?.before)} from the plan`;
      break;
    case STAKEHOLDER_MAPPED_ACTION:
      text = describeMapping(who, e.subject, c);
      break;
    case STAKEHOLDER_NOTES_ACTION:
      // The rep's read of a person stays on the map: the log says only that it changed.
      text = `${who} updated the private notes on ${e.subject ? subject : "a person"}`;
      break;
    case NEW_DEVICE_ACTION:
      text = describeNewDevice(who, c);
      break;
    case "share_link.created":
      text = `${who} shared a link with ${show(c.stakeholder?.after)}`;
      break;
    case "share_link.revoked":
      text = c.stakeholder?.before ? `${who} turned off ${show(c.stakeholder.before)}'s link` : `${who} turned off a link`;
      break;
    case "share_link.renewed":
      text = `${who} renewed a link until ${show(c.expires_at?.after, today)}`;
      break;
    case "comment.added": {
      // A comment on the plan itself has no subject; its text is what the reader came for.
      const body = c.body?.after;
      text = `${who} commented on ${e.subject ? subject : "the plan"}${typeof body === "string" && body ? `: “${body}”` : ""}`;
      break;
    }
    default: {
      const resource = e.action.startsWith("resource.") ? describeResourceEvent(who, e.action, c, e.subject) : null;
      if (resource) {
        text = resource;
        break;
      }
      const fields = Object.entries(c).map(
        ([field, { before, after }]) => `${FIELD_NAMES[field] ?? field.replace(/_/g, " ")} from ${show(before, today)} to ${show(after, today)}`,
      );
      const what = e.action.startsWith("milestone.") ? subject : "the plan";
      text = fields.length ? `${who} changed ${what}: ${fields.join("; ")}` : `${who} updated ${what}`;
    }
  }
  return e.reason ? `${text}: ${e.reason}` : text;
}

/** "Ana (seller) mapped “Dana”: role economic buyer; reports to Sam Lee". */
function describeMapping(who: string, name: string | null, c: ActivityEvent["changes"]): string {
  const parts: string[] = [];
  if (c.decision_role) {
    const role = c.decision_role.after as DecisionRole | null;
    parts.push(role ? `role ${DECISION_ROLE_LABELS[role]?.toLowerCase() ?? role}` : "role cleared");
  }
  if (c.reports_to) parts.push(c.reports_to.after ? `reports to ${show(c.reports_to.after)}` : `no longer reports to ${show(c.reports_to.before)}`);
  return `${who} mapped ${name ? `“${name}”` : "a person"}${parts.length ? `: ${parts.join("; ")}` : ""}`;
}
