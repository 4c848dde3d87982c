import { NEW_DEVICE_ACTION } from "~/domain/buyer-devices";
import { formatDayShort } from "~/domain/dates";
import { TEST_EVENT } from "~/domain/webhook-events";
import { plural } from "~/domain/words";

/*
 * Slack and Microsoft Teams alerts (issue 24, item 2; ADR 045), pure: which alerts a change calls
 * for, what a channel's webhook URL must look like, and the message each kind of channel gets
 * (Slack Block Kit, a Teams Adaptive Card). A chat channel is a webhook endpoint of another kind:
 * the messages go through the webhook outbox and dispatcher. No Node import: the settings page
 * (browser code) lists the events and kinds from here.
 */

export const CHAT_KINDS = ["slack", "teams"] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];
export const CHAT_KIND_LABELS: Record<ChatKind, string> = { slack: "Slack", teams: "Microsoft Teams" };

export function isChatKind(value: unknown): value is ChatKind {
  return typeof value === "string" && (CHAT_KINDS as readonly string[]).includes(value);
}

export const CHAT_EVENTS = [
  "buyer.first_open",
  "plan.go_live_proposed",
  "plan.go_live_confirmed",
  "milestone.overdue",
  "plan.pushed_to_later_quarter",
  "plan.closed",
] as const;
export type ChatEventType = (typeof CHAT_EVENTS)[number];

export const CHAT_EVENT_LABELS: Record<ChatEventType, string> = {
  "buyer.first_open": "The buyer opened the plan for the first time",
  "plan.go_live_proposed": "The buyer proposed a go-live date",
  "plan.go_live_confirmed": "The buyer confirmed the go-live date",
  "milestone.overdue": "A buyer milestone became overdue",
  "plan.pushed_to_later_quarter": "The forecast close date moved into a later quarter",
  "plan.closed": "The plan was closed: won, lost or no decision",
};

export function isChatEvent(value: unknown): value is ChatEventType {
  return typeof value === "string" && (CHAT_EVENTS as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Channel addresses
// ---------------------------------------------------------------------------------------------

/**
 * Why a channel's webhook URL is not one its service hands out, or null. Slack: an incoming
 * webhook, https://hooks.slack.com/services/… (or /workflows/…, Workflow Builder's). Teams: the
 * "Workflows" app's Power Automate URLs (*.logic.azure.com, *.powerplatform.com, *.azure.com
 * regional hosts) or a connector URL on *.webhook.office.com (Microsoft retired the Office 365
 * connectors; their URLs stop working). `allowListed`: the host is one the operator allowed with
 * WEBHOOK_ALLOW_PRIVATE (a relay on their own network, the tests' local receiver): no host rule.
 */
export function chatUrlProblem(kind: ChatKind, raw: string, allowListed: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return kind === "slack" ? "Paste the Slack webhook URL, like https://hooks.slack.com/services/T…/B…/…." : "Paste the Teams workflow URL.";
  }
  if (allowListed) return null;
  const host = url.hostname.toLowerCase();
  if (url.protocol !== "https:") return "Use the https:// address the service gave you.";
  if (kind === "slack") {
    return host === "hooks.slack.com" && /^\/(services|workflows)\/\S+/.test(url.pathname)
      ? null
      : "That is not a Slack incoming webhook: it starts with https://hooks.slack.com/services/ (create one under your Slack app's Incoming Webhooks).";
  }
  const teamsHost = [".webhook.office.com", ".logic.azure.com", ".powerplatform.com", ".powerautomate.com"].some((suffix) => host.endsWith(suffix));
  return teamsHost
    ? null
    : 'That is not a Teams workflow URL: in Teams, add the Workflows app\'s "Post to a channel when a webhook request is received" and paste the URL it shows (on logic.azure.com or powerplatform.com).';
}

/**
 * A channel's URL as pages show it: the host and the first step of the path. The rest is the
 * secret that lets anyone post to the channel, so it is never shown again once saved.
 */
export function maskedChannelUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const first = url.pathname.split("/").filter(Boolean)[0];
    return `${url.host}${first ? `/${first}` : ""}/…`;
  } catch {
    return "…";
  }
}

// ---------------------------------------------------------------------------------------------
// Which alerts a change calls for
// ---------------------------------------------------------------------------------------------

/** What an alert says about its plan. */
export interface ChatPlan {
  id: string;
  title: string;
  buyerCompany: string;
  goLive: string;
  forecastCloseDate: string | null;
  ownerId: string;
}

/** The plan's facts before and after a change that alerts compare. */
export interface ChatPlanFacts {
  lastBuyerActivityAt: Date | string | null;
  closeDatePushes: number;
  overdueBuyerMilestones: number;
  forecastCloseDate: string | null;
}

export interface ChatCommandEvent {
  action: string;
  changes?: Record<string, { before: unknown; after: unknown }>;
}

export interface ChatAlert {
  type: ChatEventType | typeof TEST_EVENT;
  /** One line: what happened. Plain text (formatters escape it). */
  headline: string;
  plan: ChatPlan | null;
  /** Label and value pairs (plain text). */
  facts: Array<{ label: string; value: string }>;
  by: string | null;
}

const day = (iso: string | null) => (iso ? `${formatDayShort(iso)} (${iso})` : "none");
const outcomeWords: Record<string, string> = { won: "won", lost: "lost", no_decision: "closed with no decision" };

/**
 * The alerts of one change, in a fixed order. A buyer's first confirmed visit on a device is
 * logged as a new device; the first one on a plan no buyer had touched is "opened the plan for the
 * first time".
 */
export function chatAlertsFor(
  events: readonly ChatCommandEvent[],
  before: ChatPlanFacts,
  after: ChatPlanFacts,
  plan: ChatPlan,
  actor: { name: string; side: string },
): ChatAlert[] {
  const out: ChatAlert[] = [];
  const buyer = actor.side === "buyer";
  const by = actor.side === "system" ? null : actor.name;
  for (const e of events) {
    if (buyer && e.action === NEW_DEVICE_ACTION && before.lastBuyerActivityAt === null) {
      out.push({ type: "buyer.first_open", headline: `${actor.name} opened the plan for the first time`, plan, facts: [], by });
    } else if (buyer && e.action === "plan.go_live_changed") {
      const change = e.changes?.go_live;
      out.push({
        type: "plan.go_live_proposed",
        headline: `${actor.name} proposed a go-live date: ${day(plan.goLive)}`,
        plan,
        facts: [{ label: "Was", value: day(typeof change?.before === "string" ? change.before : null) }],
        by,
      });
    } else if (buyer && e.action === "plan.go_live_confirmed") {
      out.push({ type: "plan.go_live_confirmed", headline: `${actor.name} confirmed the go-live date: ${day(plan.goLive)}`, plan, facts: [], by });
    } else if (e.action === "plan.closed") {
      const c = e.changes ?? {};
      const outcome = String(c.status?.after ?? "");
      const facts = [{ label: "Closed on", value: day(typeof c.closed_on?.after === "string" ? c.closed_on.after : null) }];
      if (typeof c.loss_reason?.after === "string" && c.loss_reason.after) facts.push({ label: "Reason", value: c.loss_reason.after });
      if (typeof c.close_note?.after === "string" && c.close_note.after) facts.push({ label: "Note", value: c.close_note.after });
      out.push({ type: "plan.closed", headline: `The plan was ${outcomeWords[outcome] ?? "closed"}`, plan, facts, by });
    }
  }
  if (after.overdueBuyerMilestones > before.overdueBuyerMilestones) {
    out.push({
      type: "milestone.overdue",
      headline: `${plural(after.overdueBuyerMilestones, "buyer milestone")} overdue`,
      plan,
      facts: [{ label: "Go-live", value: day(plan.goLive) }],
      by: null,
    });
  }
  if (after.closeDatePushes > before.closeDatePushes) {
    out.push({
      type: "plan.pushed_to_later_quarter",
      headline: `The deal moved into a later quarter`,
      plan,
      facts: [
        { label: "Forecast close was", value: day(before.forecastCloseDate) },
        { label: "Forecast close now", value: day(after.forecastCloseDate) },
      ],
      by,
    });
  }
  return out;
}

/** The settings page's "send test message": sent once, counted with the webhooks' test events. */
export function chatTestAlert(by: string): ChatAlert {
  return { type: TEST_EVENT, headline: "Plan Together is connected to this channel", plan: null, facts: [{ label: "Sent by", value: by }], by: null };
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** Slack's own length limits: section text 3000, a context element 2000, a button's text 75. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * User text made inert for Slack mrkdwn: `&`, `<` and `>` become entities (Slack's documented
 * escaping), which also disarms `<!channel>`, `<@U…>` and `<https://…|links>`. Formatting
 * characters (`*_~\``) are made literal with a zero-width joiner: mrkdwn has no backslash escape.
 */
export function slackEscape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([*_~`])/g, "$1\u200d");
}

/**
 * User text made inert for an Adaptive Card TextBlock's markdown: the characters that start
 * emphasis, links, lists or headings are backslash-escaped, and `<` `>` are replaced with lookalike
 * angle brackets so no `<at>` mention tag can form (Teams mentions need the card's msteams entities
 * anyway, which we never send).
 */
export function teamsEscape(text: string): string {
  return text
    .replace(/([\\*_~`[\]()#+\-!|])/g, "\\$1")
    .replace(/</g, "‹")
    .replace(/>/g, "›");
}

function planLine(plan: ChatPlan) {
  return `${plan.buyerCompany} · ${plan.title}`;
}

/** Slack Block Kit: a section (what happened, the plan), its facts as fields, a context line, a button; `text` is the notification's fallback. */
export function slackMessage(alert: ChatAlert, planUrl: string | null): Record<string, unknown> {
  const fallback = alert.plan ? `${alert.headline}: ${planLine(alert.plan)}` : alert.headline;
  const headline = `*${slackEscape(alert.headline)}*`;
  const blocks: Array<Record<string, unknown>> = [
    {
      type: "section",
      text: { type: "mrkdwn", text: clip(alert.plan ? `${headline}\n${slackEscape(planLine(alert.plan))}` : headline, 3000) },
      ...(alert.facts.length
        ? { fields: alert.facts.slice(0, 10).map((f) => ({ type: "mrkdwn", text: clip(`*${slackEscape(f.label)}*\n${slackEscape(f.value)}`, 2000) })) }
        : {}),
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: clip(
            [
              alert.by ? `By ${slackEscape(alert.by)}` : null,
              alert.plan?.forecastCloseDate ? `Forecast close ${day(alert.plan.forecastCloseDate)}` : null,
              "Plan Together",
            ]
              .filter(Boolean)
              .join(" · "),
            2000,
          ),
        },
      ],
    },
  ];
  if (planUrl) {
    blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open the plan" }, url: planUrl, action_id: "open_plan" }] });
  }
  return { text: clip(slackEscape(fallback), 3000), blocks, unfurl_links: false, unfurl_media: false };
}

/** Teams: a message carrying one Adaptive Card 1.4 (TextBlocks, a FactSet, an Action.OpenUrl to the plan). */
export function teamsMessage(alert: ChatAlert, planUrl: string | null): Record<string, unknown> {
  const body: Array<Record<string, unknown>> = [{ type: "TextBlock", text: teamsEscape(alert.headline), weight: "Bolder", size: "Medium", wrap: true }];
  if (alert.plan) body.push({ type: "TextBlock", text: teamsEscape(planLine(alert.plan)), wrap: true, spacing: "Small" });
  const facts = [
    ...alert.facts,
    ...(alert.by ? [{ label: "By", value: alert.by }] : []),
    ...(alert.plan?.forecastCloseDate ? [{ label: "Forecast close", value: day(alert.plan.forecastCloseDate) }] : []),
  ];
  if (facts.length) body.push({ type: "FactSet", facts: facts.map((f) => ({ title: teamsEscape(f.label), value: teamsEscape(f.value) })) });
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          ...(planUrl ? { actions: [{ type: "Action.OpenUrl", title: "Open the plan", url: planUrl }] } : {}),
        },
      },
    ],
  };
}

export function chatMessage(kind: ChatKind, alert: ChatAlert, planUrl: string | null): Record<string, unknown> {
  return kind === "slack" ? slackMessage(alert, planUrl) : teamsMessage(alert, planUrl);
}
