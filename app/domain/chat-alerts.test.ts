import { describe, expect, it } from "vitest";
import {
  chatAlertsFor,
  chatUrlProblem,
  maskedChannelUrl,
  slackEscape,
  slackMessage,
  teamsEscape,
  teamsMessage,
  type ChatPlan,
  type ChatPlanFacts,
} from "~/domain/chat-alerts";

const plan: ChatPlan = {
  id: "00000000-0000-4000-8000-000000000001",
  title: "Rollout <!channel>",
  buyerCompany: "Acme & Sons",
  goLive: "2027-03-03",
  forecastCloseDate: "2027-01-29",
  ownerId: "u1",
};
const facts = (over: Partial<ChatPlanFacts> = {}): ChatPlanFacts => ({
  lastBuyerActivityAt: null,
  closeDatePushes: 0,
  overdueBuyerMilestones: 0,
  forecastCloseDate: "2027-01-29",
  ...over,
});
const buyer = { name: "Dana Lee", side: "buyer" };
const rep = { name: "Sam Okafor", side: "seller" };
const NEW_DEVICE = "share_link.new_device";

describe("which chat alerts a change calls for", () => {
  it("the buyer's first visit alerts once; a later device or a seller's action does not", () => {
    const events = [{ action: NEW_DEVICE }];
    expect(chatAlertsFor(events, facts(), facts(), plan, buyer).map((a) => a.type)).toEqual(["buyer.first_open"]);
    expect(chatAlertsFor(events, facts({ lastBuyerActivityAt: new Date() }), facts(), plan, buyer)).toEqual([]);
    expect(chatAlertsFor([{ action: "plan.go_live_changed" }], facts(), facts(), plan, rep)).toEqual([]);
  });

  it("a buyer's go-live proposal and confirmation, a close, an overdue buyer milestone and a quarter push", () => {
    const proposed = chatAlertsFor(
      [{ action: "plan.go_live_changed", changes: { go_live: { before: "2027-02-01", after: "2027-03-03" } } }],
      facts(),
      facts(),
      plan,
      buyer,
    );
    expect(proposed.map((a) => a.type)).toEqual(["plan.go_live_proposed"]);
    expect(proposed[0].facts).toEqual([{ label: "Was", value: "1 Feb 2027 (2027-02-01)" }]);
    expect(chatAlertsFor([{ action: "plan.go_live_confirmed" }], facts(), facts(), plan, buyer)[0].type).toBe("plan.go_live_confirmed");
    const closed = chatAlertsFor(
      [
        {
          action: "plan.closed",
          changes: {
            status: { before: "active", after: "lost" },
            closed_on: { before: null, after: "2027-01-10" },
            loss_reason: { before: null, after: "price" },
          },
        },
      ],
      facts(),
      facts(),
      plan,
      rep,
    );
    expect(closed[0]).toMatchObject({ type: "plan.closed", headline: "The plan was lost", by: "Sam Okafor" });
    const daily = { name: "Daily re-projection", side: "system" };
    const overdue = chatAlertsFor([], facts({ overdueBuyerMilestones: 1 }), facts({ overdueBuyerMilestones: 2 }), plan, daily);
    expect(overdue).toMatchObject([{ type: "milestone.overdue", headline: "2 buyer milestones overdue", by: null }]);
    // One fewer overdue (one was done) says nothing.
    expect(chatAlertsFor([], facts({ overdueBuyerMilestones: 2 }), facts({ overdueBuyerMilestones: 1 }), plan, daily)).toEqual([]);
    const pushed = chatAlertsFor([], facts(), facts({ closeDatePushes: 1, forecastCloseDate: "2027-05-03" }), plan, rep);
    expect(pushed.map((a) => a.type)).toEqual(["plan.pushed_to_later_quarter"]);
    expect(pushed[0].facts.map((f) => f.value)).toEqual(["29 Jan 2027 (2027-01-29)", "3 May 2027 (2027-05-03)"]);
  });
});

describe("channel addresses", () => {
  it("takes Slack's incoming webhooks and Teams' workflow URLs, nothing that merely looks like them", () => {
    expect(chatUrlProblem("slack", "https://hooks.slack.com/services/T0/B0/abc", false)).toBeNull();
    expect(chatUrlProblem("slack", "https://hooks.slack.com.evil.example/services/T0/B0/abc", false)).toMatch(/not a Slack/);
    expect(chatUrlProblem("slack", "http://hooks.slack.com/services/T0/B0/abc", false)).toMatch(/https/);
    expect(chatUrlProblem("slack", "https://hooks.slack.com/", false)).toMatch(/not a Slack/);
    expect(chatUrlProblem("teams", "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x", false)).toBeNull();
    expect(chatUrlProblem("teams", "https://default123.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc", false)).toBeNull();
    expect(chatUrlProblem("teams", "https://contoso.webhook.office.com/webhookb2/abc", false)).toBeNull();
    expect(chatUrlProblem("teams", "https://logic.azure.com.evil.example/x", false)).toMatch(/not a Teams/);
    expect(chatUrlProblem("teams", "https://hooks.slack.com/services/T0/B0/abc", false)).toMatch(/not a Teams/);
    // A destination the operator allowed (WEBHOOK_ALLOW_PRIVATE): a relay, or the tests' receiver.
    expect(chatUrlProblem("slack", "http://127.0.0.1:9999/slack", true)).toBeNull();
    expect(chatUrlProblem("slack", "not a url", true)).toMatch(/Paste/);
  });

  it("shows only the host and the first step of the path", () => {
    expect(maskedChannelUrl("https://hooks.slack.com/services/T0/B0/secret")).toBe("hooks.slack.com/services/…");
    expect(maskedChannelUrl("nonsense")).toBe("…");
  });
});

describe("messages", () => {
  const [alert] = chatAlertsFor([{ action: "plan.go_live_confirmed" }], facts(), facts(), { ...plan }, { name: "<@U123> *Dana*", side: "buyer" });

  it("escapes Slack mrkdwn so no mention, link or formatting can be injected", () => {
    expect(slackEscape("<!channel> & <https://evil.example|click>")).toBe("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;");
    expect(slackEscape("*bold*")).not.toMatch(/^\*bold\*$/);
    const message = slackMessage(alert, "https://app.example/plans/1");
    const json = JSON.stringify(message);
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<@U123>");
    expect(message).toMatchObject({ text: expect.any(String), unfurl_links: false });
    const blocks = message.blocks as Array<{ type: string }>;
    expect(blocks.map((b) => b.type)).toEqual(["section", "context", "actions"]);
    expect(blocks[2]).toEqual({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open the plan" }, url: "https://app.example/plans/1", action_id: "open_plan" }],
    });
  });

  it("builds a Teams Adaptive Card 1.4 with escaped text and a link to the plan", () => {
    expect(teamsEscape("[click](https://evil.example) <at>x</at>")).toBe("\\[click\\]\\(https://evil.example\\) ‹at›x‹/at›");
    const message = teamsMessage(alert, "https://app.example/plans/1") as {
      type: string;
      attachments: Array<{ contentType: string; content: Record<string, unknown> }>;
    };
    expect(message.type).toBe("message");
    expect(message.attachments).toHaveLength(1);
    const card = message.attachments[0];
    expect(card.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.content).toMatchObject({
      type: "AdaptiveCard",
      version: "1.4",
      actions: [{ type: "Action.OpenUrl", title: "Open the plan", url: "https://app.example/plans/1" }],
    });
    expect(JSON.stringify(card.content)).not.toContain("<@U123>");
  });
});
