import { describeNewDevice, NEW_DEVICE_ACTION } from "~/domain/buyer-devices";
import { isValidISODate } from "~/domain/calendar";
import { ENGLISH } from "~/domain/i18n/english";
import type { Translator } from "~/domain/i18n/translate";
import { lossReasonLabel } from "~/domain/plan-outcome";
import { describeResourceEvent } from "~/domain/resources";
import { DECISION_ROLE_LABELS, STAKEHOLDER_MAPPED_ACTION, STAKEHOLDER_NOTES_ACTION, type DecisionRole } from "~/domain/stakeholder-map";

/*
 * The edit log as sentences: "Dana Lee (buyer) moved go-live from Mon 1 Mar to Mon 15 Mar".
 * Pure, so the plan page, emails and exports word events the same way; the words are the buyer
 * messages' `activity` part (en.ts for English), so the buyer's page reads them in its language.
 */
export interface ActivityEvent {
  action: string;
  actorName: string;
  actorSide: "buyer" | "seller" | "system";
  subject: string | null; // the milestone's or stakeholder's name, when the event is about one
  changes: Record<string, { before: unknown; after: unknown }>;
  reason: string | null;
}

/** Fields the log names, with a message each; another field shows its column name. */
const FIELDS = new Set([
  "title",
  "description",
  "owner_side",
  "owner_stakeholder_id",
  "duration_days",
  "lag_days",
  "pinned_date",
  "completed_on",
  "is_close",
  "depends_on",
  "buyer_company",
  "value",
  "currency",
  "crm_close_date",
  "status",
  "closed_on",
  "loss_reason",
  "close_note",
]);

const STATUSES = new Set(["active", "paused", "won", "lost", "no_decision"]);

/** A logged value in words: a day in the reader's format, a list, yes/no, or the value as stored. */
function show(words: Translator, value: unknown, today?: string): string {
  const { t } = words;
  if (value === null || value === undefined || value === "") return t("activity.none");
  if (isValidISODate(value)) return words.day(value, today);
  if (Array.isArray(value)) return value.length ? value.join(", ") : t("activity.none");
  if (typeof value === "boolean") return t(value ? "activity.yes" : "activity.no");
  return String(value);
}

function statusWord(words: Translator, status: unknown): string {
  return typeof status === "string" && STATUSES.has(status) ? words.t(`activity.status.${status}`) : show(words, status);
}

/** A milestone's side as a value in a sentence ("owner side from seller to joint"). */
function sideWord(words: Translator, side: unknown): string {
  return side === "buyer" || side === "seller" || side === "joint" ? words.t(`activity.side.${side}`) : show(words, side);
}

export function actorLabel(e: Pick<ActivityEvent, "actorName" | "actorSide">, words: Translator = ENGLISH): string {
  return e.actorSide === "system" ? e.actorName : words.t(`activity.actor.${e.actorSide}`, { name: e.actorName });
}

/**
 * One logged event as a sentence in the reader's language: the buyer's on their page (a
 * translator from buyer-locale), English on the rep's pages and emails (the default). Events only
 * the seller ever reads (links, devices, clones, the stakeholder map) stay English.
 */
export function describeActivity(e: ActivityEvent, today?: string, words: Translator = ENGLISH): string {
  const { t } = words;
  const who = actorLabel(e, words);
  const quote = (text: string) => t("activity.quoted", { text });
  const subject = e.subject ? quote(e.subject) : t("activity.aMilestone");
  const c = e.changes;
  const day = (value: unknown) => show(words, value, today);
  let text: string;
  switch (e.action) {
    case "plan.created":
      text = c.cloned_from
        ? t("activity.createdCopy", { who, source: show(words, c.cloned_from.after), date: day(c.go_live?.after) })
        : t("activity.created", { who, date: day(c.go_live?.after) });
      break;
    case "plan.cloned":
      text = `${who} cloned the plan into “${show(words, c.clone?.after)}”`;
      break;
    case "plan.go_live_changed":
      text = t("activity.goLiveMoved", { who, before: day(c.go_live?.before), after: day(c.go_live?.after) });
      break;
    case "plan.go_live_confirmed":
      text = t("activity.goLiveConfirmed", { who });
      break;
    case "plan.status_changed":
      text = t("activity.statusChanged", { who, status: statusWord(words, c.status?.after) });
      break;
    case "plan.closed": {
      const outcome = c.status?.after;
      const key = outcome === "won" ? "closedWon" : outcome === "lost" ? "closedLost" : outcome === "no_decision" ? "closedNoDecision" : "closed";
      text = t(`activity.${key}`, { who, date: day(c.closed_on?.after) });
      // The reason and note are the seller's (a buyer's copy keeps neither, buyer-view.ts); the label is English.
      const reason = lossReasonLabel(c.loss_reason?.after as string | null | undefined);
      if (reason) text = t("activity.withReason", { text, reason: reason.toLowerCase() });
      if (typeof c.close_note?.after === "string" && c.close_note.after) text = t("activity.withNote", { text, note: c.close_note.after });
      break;
    }
    case "plan.reopened": {
      const was = typeof c.status?.before === "string" ? statusWord(words, c.status.before) : undefined;
      text = !was
        ? t("activity.reopened", { who })
        : c.closed_on?.before
          ? t("activity.reopenedWasOn", { who, status: was, date: day(c.closed_on.before) })
          : t("activity.reopenedWas", { who, status: was });
      break;
    }
    case "plan.owner_changed":
      text = t("activity.ownerChanged", { who, before: show(words, c.owner?.before), after: show(words, c.owner?.after) });
      break;
    case "plan.calendar_changed":
      // The organisation's calendar (what changed is the reason) or this plan's buyer calendar.
      text =
        c.buyer_holidays || c.buyer_working_week
          ? t("activity.buyerCalendar", { who, holidays: show(words, c.buyer_holidays?.after), week: show(words, c.buyer_working_week?.after) })
          : t("activity.holidayCalendar", { who });
      break;
    case "milestone.added":
      text = t("activity.milestoneAdded", { who, subject });
      break;
    case "milestone.removed":
      text = t("activity.milestoneRemoved", { who, title: quote(show(words, c.title?.before)) });
      break;
    case "milestone.completed":
      text = t("activity.milestoneDone", { who, subject, date: day(c.completed_on?.after) });
      break;
    case "milestone.reopened":
      text = t("activity.milestoneReopened", { who, subject });
      break;
    case "milestone.moved":
      text = t("activity.milestoneMoved", { who, subject });
      break;
    case "stakeholder.added":
      text =
        c.side?.after === "buyer" || c.side?.after === "seller"
          ? t(c.side.after === "buyer" ? "activity.personAddedBuyer" : "activity.personAddedSeller", { who, name: show(words, c.name?.after) })
          : `${who} added ${show(words, c.name?.after)} (${show(words, c.side?.after)}) to the plan`;
      break;
    case "stakeholder.removed":
      text = t("activity.personRemoved", { who, name: show(words, c.name?.before) });
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
      text = `${who} shared a link with ${show(words, c.stakeholder?.after)}`;
      break;
    case "share_link.revoked":
      text = c.stakeholder?.before ? `${who} turned off ${show(words, c.stakeholder.before)}'s link` : `${who} turned off a link`;
      break;
    case "share_link.renewed":
      text = `${who} renewed a link until ${day(c.expires_at?.after)}`;
      break;
    case "comment.added": {
      // A comment on the plan itself has no subject; its text is what the reader came for.
      const body = typeof c.body?.after === "string" ? c.body.after : "";
      text = e.subject
        ? t(body ? "activity.commentedText" : "activity.commented", { who, subject, body })
        : t(body ? "activity.commentedPlanText" : "activity.commentedPlan", { who, body });
      break;
    }
    default: {
      const resource = e.action.startsWith("resource.") ? describeResourceEvent(who, e.action, c, e.subject, words) : null;
      if (resource) {
        text = resource;
        break;
      }
      const fields = Object.entries(c).map(([field, { before, after }]) =>
        t("activity.fieldChange", {
          field: FIELDS.has(field) ? t(`activity.field.${field}`) : field.replace(/_/g, " "),
          before: field === "owner_side" ? sideWord(words, before) : day(before),
          after: field === "owner_side" ? sideWord(words, after) : day(after),
        }),
      );
      const onMilestone = e.action.startsWith("milestone.");
      text = fields.length
        ? t(onMilestone ? "activity.changedMilestone" : "activity.changedPlan", { who, subject, changes: fields.join("; ") })
        : t(onMilestone ? "activity.updatedMilestone" : "activity.updatedPlan", { who, subject });
    }
  }
  return e.reason ? t("activity.withReason", { text, reason: e.reason }) : text;
}

/** "Ana (seller) mapped “Dana”: role economic buyer; reports to Sam Lee". */
function describeMapping(who: string, name: string | null, c: ActivityEvent["changes"]): string {
  const parts: string[] = [];
  if (c.decision_role) {
    const role = c.decision_role.after as DecisionRole | null;
    parts.push(role ? `role ${DECISION_ROLE_LABELS[role]?.toLowerCase() ?? role}` : "role cleared");
  }
  if (c.reports_to)
    parts.push(c.reports_to.after ? `reports to ${show(ENGLISH, c.reports_to.after)}` : `no longer reports to ${show(ENGLISH, c.reports_to.before)}`);
  return `${who} mapped ${name ? `“${name}”` : "a person"}${parts.length ? `: ${parts.join("; ")}` : ""}`;
}
