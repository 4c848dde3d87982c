import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { clonePlanSchema, createPlanSchema, crmFieldsSchema } from "~/domain/api-requests";
import { LOSS_REASONS, PLAN_STATUSES } from "~/domain/plan-outcome";
import { closePlanSchema, reopenPlanSchema } from "~/domain/plan-outcome-schema";
import { HEALTH_LABELS, HEALTH_REASON_CODES } from "~/domain/plan-health";
import { SEEN_REFRESH_MINUTES, VISIT_GAP_MINUTES } from "~/domain/engagement";
import { DECISION_ROLES, INFLUENCES, SENTIMENTS } from "~/domain/stakeholder-map";
import { REPLAY_WINDOW_SECONDS, SIGNATURE_HEADER, WEBHOOK_EVENTS } from "~/domain/webhook-events";

/*
 * The API's OpenAPI 3.1 description, served at /api/v1/openapi.json. The request bodies' schemas
 * are generated from the zod schemas the routes validate with (ADR 023); the responses' are
 * written here, and the integration tests check every response they get against them, so this
 * document cannot drift from the API.
 */

type Schema = Record<string, unknown>;

const date: Schema = { type: "string", format: "date", description: "A calendar day, YYYY-MM-DD." };
const nullableDate: Schema = { type: ["string", "null"], format: "date" };
const dateTime: Schema = { type: "string", format: "date-time" };
const uuid: Schema = { type: "string", format: "uuid" };
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: "object",
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
  ...extra,
});
const tally = ref("Tally");
const requestSchemas =
  new OpenApiGeneratorV31([createPlanSchema, crmFieldsSchema, closePlanSchema, reopenPlanSchema, clonePlanSchema]).generateComponents().components?.schemas ??
  {};
const problemContent = { "application/problem+json": { schema: ref("Problem") } };
const problemResponse = (description: string) => ({ description, content: problemContent });
const standardErrors = {
  "401": problemResponse("No token, or an unknown or revoked one."),
  "429": {
    ...problemResponse("The token's rate limit is used up for this minute."),
    headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds until the next window." } },
  },
  "503": {
    ...problemResponse("The server is busy: too many requests are running and waiting."),
    headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait before retrying." } },
  },
};
const writeErrors = {
  ...standardErrors,
  "403": problemResponse("The token can only read."),
  "415": problemResponse("The body is not JSON."),
  "400": problemResponse("The body is not valid JSON, or holds text that is not valid Unicode (half a surrogate pair)."),
  "413": problemResponse("The body is larger than 100 kB."),
  "422": problemResponse("A field is missing or invalid (see `errors`)."),
};

export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Plan Together API",
    version: "1.0.0",
    description: [
      "Plans with their customer-sourced dates, for CRMs. Authenticate with `Authorization: Bearer pt_…` (an administrator creates",
      "tokens under Settings → API; a token reads, or reads and writes). Errors are `application/problem+json`. Lists are paged by",
      "an opaque `cursor` (pass `nextCursor` back). Each token may make a limited number of requests a minute (429 with `Retry-After`).",
      "",
      "## Webhooks",
      `Events: ${WEBHOOK_EVENTS.join(", ")} (and webhook.test from the settings page). Each is POSTed as JSON`,
      "`{id, type, createdAt, data}` to every endpoint subscribed to it; `id` is the event's id (de-duplicate on it: a delivery may",
      "come twice). Each plan's events arrive in order: the next is sent only once the previous one was accepted with a 2xx answer.",
      "Failed deliveries are retried with exponential backoff (30 s, 1 min, 2 min … up to 4 h between attempts, 12 attempts).",
      "",
      `Every delivery carries \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex>\`, where the hex is HMAC-SHA256 keyed with the`,
      "endpoint's signing secret over `<t>.<raw body>`. Recompute it over the raw body, compare in constant time, and refuse the",
      `delivery when |now − t| > ${REPLAY_WINDOW_SECONDS / 60} minutes (a replayed capture).`,
    ].join("\n"),
  },
  servers: [{ url: "/api/v1" }],
  security: [{ bearer: [] }],
  paths: {
    "/plans": {
      get: {
        operationId: "listPlans",
        summary: "The organisation's plans, oldest first, a page at a time",
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 25 } },
          { name: "cursor", in: "query", schema: { type: "string" }, description: "`nextCursor` of the previous page." },
          { name: "status", in: "query", schema: { type: "string", enum: [...PLAN_STATUSES] } },
        ],
        responses: {
          "200": { description: "A page of plans.", content: { "application/json": { schema: ref("PlanPage") } } },
          "400": problemResponse("A bad limit, cursor or status."),
          ...standardErrors,
        },
      },
      post: {
        operationId: "createPlan",
        summary: "Create a plan from a template; milestones are scheduled backward from the go-live date",
        requestBody: { required: true, content: { "application/json": { schema: ref("NewPlan") } } },
        responses: {
          "201": {
            description: "The new plan.",
            headers: { Location: { schema: { type: "string" } } },
            content: { "application/json": { schema: ref("Plan") } },
          },
          ...writeErrors,
        },
      },
    },
    "/plans/{planId}": {
      parameters: [{ name: "planId", in: "path", required: true, schema: uuid }],
      get: {
        operationId: "getPlan",
        summary: "One plan",
        responses: {
          "200": { description: "The plan.", content: { "application/json": { schema: ref("Plan") } } },
          "404": problemResponse("No such plan in the token's organisation."),
          ...standardErrors,
        },
      },
      patch: {
        operationId: "updatePlanCrmFields",
        summary: "Set the CRM's id for the plan and the rep's CRM close date (logged in the plan's history)",
        requestBody: { required: true, content: { "application/json": { schema: ref("CrmFields") } } },
        responses: {
          "200": { description: "The plan after the change.", content: { "application/json": { schema: ref("Plan") } } },
          "404": problemResponse("No such plan in the token's organisation."),
          "409": problemResponse("`version` was given and the plan changed since."),
          ...writeErrors,
        },
      },
    },
    "/plans/{planId}/close": {
      parameters: [{ name: "planId", in: "path", required: true, schema: uuid }],
      post: {
        operationId: "closePlan",
        summary: "Close an open plan: won, lost (with a reason) or no decision, on the day it really closed (today or earlier)",
        requestBody: { required: true, content: { "application/json": { schema: ref("ClosePlan") } } },
        responses: {
          "200": { description: "The plan, closed.", content: { "application/json": { schema: ref("Plan") } } },
          "404": problemResponse("No such plan in the token's organisation."),
          "409": problemResponse("`version` was given and the plan changed since."),
          ...writeErrors,
          "422": problemResponse(
            "A field is missing or invalid (see `errors`): a close date in the future, a loss without a reason, or a plan that is already closed.",
          ),
        },
      },
    },
    "/plans/{planId}/reopen": {
      parameters: [{ name: "planId", in: "path", required: true, schema: uuid }],
      post: {
        operationId: "reopenPlan",
        summary: "Reopen a closed plan: back to active, its outcome, close date and reason cleared (the history keeps them)",
        requestBody: { required: false, content: { "application/json": { schema: ref("ReopenPlan") } } },
        responses: {
          "200": { description: "The plan, open again.", content: { "application/json": { schema: ref("Plan") } } },
          "404": problemResponse("No such plan in the token's organisation."),
          "409": problemResponse("`version` was given and the plan changed since."),
          ...writeErrors,
          "422": problemResponse("The plan is not closed."),
        },
      },
    },
    "/plans/{planId}/clone": {
      parameters: [{ name: "planId", in: "path", required: true, schema: uuid }],
      post: {
        operationId: "clonePlan",
        summary:
          "Clone a plan for another buying unit of the same customer: its milestones and dependencies (not completion, not pinned dates), scheduled backward from the new go-live; people only when asked, buyers without share links",
        requestBody: { required: true, content: { "application/json": { schema: ref("ClonePlan") } } },
        responses: {
          "201": {
            description: "The new plan.",
            headers: { Location: { schema: { type: "string" } } },
            content: { "application/json": { schema: ref("Plan") } },
          },
          "404": problemResponse("No such plan in the token's organisation."),
          ...writeErrors,
          "422": problemResponse(
            "A field is missing or invalid (see `errors`): a go-live in the past or on a non-working day, an unknown owner, or a source owner who is deactivated and no owner named.",
          ),
        },
      },
    },
    "/plans/{planId}/engagement": {
      parameters: [{ name: "planId", in: "path", required: true, schema: uuid }],
      get: {
        operationId: "getPlanEngagement",
        summary: "Each buyer-side person on the plan with their engagement: visits, milestones and resources opened, actions taken",
        responses: {
          "200": { description: "The plan's buyer-side people, by name.", content: { "application/json": { schema: ref("PlanEngagement") } } },
          "404": problemResponse("No such plan in the token's organisation."),
          ...standardErrors,
        },
      },
    },
    "/forecast": {
      get: {
        operationId: "getForecast",
        summary: "The forecast rollup: active plans by forecast close date, customer-confirmed vs proposed, on track vs slipping",
        responses: {
          "200": { description: "The rollup.", content: { "application/json": { schema: ref("Forecast") } } },
          ...standardErrors,
        },
      },
    },
    "/forecast/accuracy": {
      get: {
        operationId: "getForecastAccuracy",
        summary:
          "Whose dates came true: for deals won in a window of fiscal quarters, how far each date source was from the real close 90, 60 and 30 days before it",
        parameters: [
          {
            name: "from",
            in: "query",
            schema: { type: "string", pattern: "^FY\\d{1,4}-Q[1-4]$" },
            description: "The window's first fiscal quarter (default: four quarters back).",
          },
          {
            name: "to",
            in: "query",
            schema: { type: "string", pattern: "^FY\\d{1,4}-Q[1-4]$" },
            description: "Its last (default: the last finished quarter).",
          },
        ],
        responses: {
          "200": { description: "The figures, for the organisation and per rep.", content: { "application/json": { schema: ref("ForecastAccuracy") } } },
          "400": problemResponse("A quarter that is unknown, in the future, more than three years back, or a window that ends before it starts."),
          ...standardErrors,
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token, `pt_` + 43 characters." } },
    schemas: {
      Problem: {
        type: "object",
        additionalProperties: false,
        required: ["type", "title", "status", "detail"],
        properties: {
          type: { type: "string" },
          title: { type: "string" },
          status: { type: "integer" },
          detail: { type: "string" },
          errors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
        },
      },
      PlanPage: obj({ data: { type: "array", items: ref("Plan") }, nextCursor: { type: ["string", "null"] } }),
      Plan: obj({
        id: uuid,
        title: { type: "string" },
        buyerCompany: { type: "string" },
        status: { type: "string", enum: [...PLAN_STATUSES] },
        closedOn: { ...nullableDate, description: "The day the deal closed (won, lost or no decision); null while open." },
        lossReason: { type: ["string", "null"], enum: [...LOSS_REASONS, null], description: "Why a lost deal was lost." },
        closeNote: { type: ["string", "null"], description: "The rep's note on how the deal ended." },
        value: { type: "integer", minimum: 0 },
        currency: { type: "string", pattern: "^[A-Z]{3}$" },
        goLive: ref("GoLive"),
        projectedGoLive: nullableDate,
        slipDays: { type: "integer", minimum: 0 },
        forecastCloseDate: { ...nullableDate, description: "Computed from the plan: the close milestone's due date (or go-live)." },
        crmCloseDate: { ...nullableDate, description: "The rep's close date as typed in the CRM." },
        externalCrmId: { type: ["string", "null"] },
        version: { type: "integer", minimum: 1, description: "Send it back in PATCH to refuse lost updates." },
        owner: obj({ id: uuid, name: { type: "string" }, email: { type: "string" } }),
        progress: obj({ done: { type: "integer" }, total: { type: "integer" } }),
        health: { oneOf: [ref("PlanHealth"), { type: "null" }], description: "On track, at risk or stalled, and why; null once closed or while paused." },
        createdAt: dateTime,
        updatedAt: dateTime,
        milestones: { type: "array", items: ref("Milestone") },
        stakeholders: { type: "array", items: ref("Stakeholder") },
        dateHistory: { type: "array", items: ref("DateChange") },
      }),
      PlanHealth: obj({
        label: { type: "string", enum: [...HEALTH_LABELS] },
        reasons: {
          type: "array",
          items: obj({
            code: { type: "string", enum: [...HEALTH_REASON_CODES] },
            severity: { type: "string", enum: HEALTH_LABELS.filter((label) => label !== "on_track") },
            buyerFacing: { type: "boolean", description: "Whether the buyer's page shows this reason (in the buyer's words)." },
            text: { type: "string", description: "The reason in words, e.g. `Projected go-live 9 working days late`." },
          }),
        },
      }),
      Stakeholder: obj(
        {
          id: uuid,
          name: { type: "string" },
          email: { type: "string" },
          title: { type: "string" },
          side: { type: "string", enum: ["buyer", "seller"] },
          decisionRole: { type: ["string", "null"], enum: [...DECISION_ROLES, null], description: "A buyer's role in the decision; null when not set." },
          reportsTo: { type: ["string", "null"], format: "uuid", description: "The id of the buyer-side person they report to." },
          influence: { type: ["string", "null"], enum: [...INFLUENCES, null], description: "The rep's private read; never shown to the buyer." },
          sentiment: { type: ["string", "null"], enum: [...SENTIMENTS, null], description: "The rep's private read; never shown to the buyer." },
          privateNote: { type: "string", description: "The rep's private note; never shown to the buyer." },
        },
        { description: "A person on the plan, with the stakeholder map's fields (ADR 036)." },
      ),
      GoLive: obj({
        date,
        setBy: { type: "string" },
        side: { type: "string", enum: ["buyer", "seller"] },
        setAt: dateTime,
        confirmedBy: { type: ["string", "null"], description: "The customer who confirmed this date, if any." },
        confirmedAt: { type: ["string", "null"], format: "date-time" },
      }),
      Milestone: obj({
        id: uuid,
        title: { type: "string" },
        ownerSide: { type: "string", enum: ["buyer", "seller", "joint"] },
        isClose: { type: "boolean" },
        durationDays: { type: "integer" },
        start: nullableDate,
        due: nullableDate,
        projectedFinish: nullableDate,
        pinnedDate: nullableDate,
        completedOn: nullableDate,
        status: { type: ["string", "null"], enum: ["done", "overdue", "at_risk", "on_track", null] },
        dependsOn: { type: "array", items: uuid },
      }),
      DateChange: obj({
        field: { type: "string", enum: ["goLive", "forecastCloseDate"] },
        from: nullableDate,
        to: nullableDate,
        at: dateTime,
        by: { type: "string" },
        side: { type: "string", enum: ["buyer", "seller", "system"] },
        reason: { type: ["string", "null"] },
      }),
      ...requestSchemas,
      PlanEngagement: obj({
        data: {
          type: "array",
          items: obj({ stakeholderId: uuid, name: { type: "string" }, title: { type: "string" }, engagement: ref("Engagement") }),
        },
      }),
      Engagement: obj(
        {
          firstVisitAt: { type: ["string", "null"], format: "date-time", description: "Null until the person first opens the plan." },
          lastVisitAt: {
            type: ["string", "null"],
            format: "date-time",
            description: `When they were last seen on the plan (to within ${SEEN_REFRESH_MINUTES} minutes).`,
          },
          visits: { type: "integer", minimum: 0, description: `Views of the plan after ${VISIT_GAP_MINUTES} minutes or more without one.` },
          milestonesOpened: { type: "integer", minimum: 0, description: "Milestones still on the plan that they followed a link to." },
          resourcesOpened: { type: "integer", minimum: 0, description: "Distinct resources they opened." },
          actions: { type: "integer", minimum: 0, description: "Their entries in the plan's log: comments, milestones done, dates set or confirmed." },
        },
        { description: "What one buyer-side person opened and did on the plan (ADR 037)." },
      ),
      Tally: obj({ plans: { type: "integer" }, value: { type: "integer" } }),
      PeriodTotals: obj({
        period: obj({ key: { type: "string" }, label: { type: "string" }, start: nullableDate, end: nullableDate }),
        total: tally,
        confirmed: tally,
        proposed: tally,
        onTrack: tally,
        slipping: tally,
      }),
      SourceAccuracy: obj({
        deals: { type: "integer", minimum: 0, description: "Deals this source gave a date for on the horizon's day: every share below is out of these." },
        meanAbsoluteErrorDays: {
          type: ["number", "null"],
          minimum: 0,
          description: "Mean calendar days between the date and the real close; null without deals.",
        },
        withinOnTime: { type: "integer", minimum: 0, description: "Deals that closed within `onTimeDays` of the date." },
        inForecastQuarter: { type: "integer", minimum: 0, description: "Deals that closed in the date's fiscal quarter." },
      }),
      HorizonAccuracy: obj({
        horizon: { type: "integer", enum: [90, 60, 30], description: "Calendar days before the real close." },
        tooYoung: { type: "integer", minimum: 0, description: "Deals younger than the horizon at close: left out of it." },
        sources: obj({ confirmed: ref("SourceAccuracy"), proposed: ref("SourceAccuracy"), projected: ref("SourceAccuracy"), crm: ref("SourceAccuracy") }),
      }),
      ForecastAccuracy: obj({
        today: date,
        fiscalYearStartMonth: { type: "integer", minimum: 1, maximum: 12 },
        window: obj({
          from: { type: "string" },
          to: { type: "string" },
          start: date,
          end: { ...date, description: "The day after the window (exclusive)." },
          label: { type: "string" },
        }),
        onTimeDays: { type: "integer" },
        deals: { type: "integer", minimum: 0, description: "Won deals closed in the window." },
        headline: { type: ["string", "null"], description: "The page's one-sentence summary; null without deals to judge." },
        horizons: { type: "array", items: ref("HorizonAccuracy") },
        reps: {
          type: "array",
          items: obj({
            id: uuid,
            name: { type: "string" },
            deals: { type: "integer", minimum: 1 },
            horizons: { type: "array", items: ref("HorizonAccuracy") },
          }),
        },
        slip: obj(
          {
            deals: { type: "integer", minimum: 0 },
            dealsWithSlip: { type: "integer", minimum: 0 },
            totalWorkingDays: { type: "integer", minimum: 0, description: "Working days of overrun on the won deals' as-built critical paths." },
            untracedDeals: { type: "integer", minimum: 0, description: "Deals whose critical path could not be walked back to the plan's start." },
            bySide: { type: "array", items: ref("SlipShare"), description: "Buyer, seller and joint milestones, most slip first." },
            byTitle: { type: "array", items: ref("SlipShare"), description: "Milestone titles that caused slip, most first." },
          },
          { description: "Which milestones made won deals late (ADR 028)." },
        ),
        warnings: {
          type: "array",
          description: "Won, lost and no-decision deals, each read 30 days before its close.",
          items: obj({
            outcome: { type: "string", enum: ["won", "lost", "no_decision"] },
            deals: { type: "integer", minimum: 0, description: "Deals old enough to read: every count below is out of these." },
            tooYoung: { type: "integer", minimum: 0 },
            signals: obj({
              quiet: { type: "integer", minimum: 0, description: "No buyer activity in the 14 days before." },
              pushed: { type: "integer", minimum: 0, description: "Pushed into a later fiscal quarter twice or more by then." },
              unconfirmed: { type: "integer", minimum: 0, description: "Go-live not confirmed by the customer that day." },
            }),
          }),
        },
      }),
      SlipShare: obj({
        key: { type: "string" },
        label: { type: "string" },
        workingDays: { type: "integer", minimum: 0 },
        deals: { type: "integer", minimum: 0, description: "Deals in which it caused slip." },
      }),
      Forecast: obj({
        today: date,
        currency: { type: "string" },
        fiscalYearStartMonth: { type: "integer", minimum: 1, maximum: 12 },
        all: ref("PeriodTotals"),
        thisQuarter: ref("PeriodTotals"),
        nextQuarter: ref("PeriodTotals"),
        months: { type: "array", items: ref("PeriodTotals") },
        earlier: ref("PeriodTotals"),
        later: ref("PeriodTotals"),
        none: ref("PeriodTotals"),
        otherCurrencies: { type: "array", items: obj({ currency: { type: "string" }, total: tally }) },
      }),
    },
  },
} as const;
