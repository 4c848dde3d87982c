import { randomUUID } from "node:crypto";
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from "kysely";
import type { DB, Plan, WebhookDelivery, WebhookEndpointKind } from "../../db/types";
import {
  chatAlertsFor,
  chatMessage,
  chatTestAlert,
  isChatKind,
  maskedChannelUrl,
  type ChatAlert,
  type ChatEventType,
  type ChatKind,
  type ChatPlanFacts,
} from "~/domain/chat-alerts";
import type { Actor } from "~/domain/plan-events";
import {
  circuitAfter,
  endpointConcurrency,
  TEST_EVENT,
  testEventWaitSeconds,
  webhookBody,
  webhookEventsFor,
  type CommandEvent,
  type PlanSnapshot,
  type WebhookEventType,
} from "~/domain/webhooks";
import { queueEndpointPausedEmails } from "~/models/webhook-alerts.server";
import type { Conn } from "~/models/conn";
import { newWebhookSecret } from "~/infra/webhook-signing.server";
import { getEnv, publicBaseUrl } from "~/infra/env.server";

/*
 * Webhook endpoints and the deliveries outbox (docs/decisions/005 applied to HTTP): a delivery row
 * is written in the same transaction as the change that causes it, so it exists exactly when the
 * change committed. The dispatcher (app/jobs/webhook-dispatcher.server.ts) claims due rows with a lease
 * (FOR UPDATE SKIP LOCKED), posts them signed, and records the outcome here. A delivery is
 * claimable only when no earlier pending delivery exists for the same endpoint and plan, so a
 * receiver sees each plan's events in order even across retries.
 *
 * Fairness (issue 17, docs/decisions/017): deliveries are claimed per endpoint, under that
 * endpoint's row lock, so the in-flight cap per endpoint holds across every app server; a breaker
 * on the endpoint row pauses one that keeps failing. The only statement spanning organisations is
 * the plain read that lists endpoints with due work; every lock and write names one org_id.
 */

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

export async function createWebhookEndpoint(
  db: Conn,
  input: {
    orgId: string;
    url: string;
    events: ReadonlyArray<WebhookEventType | ChatEventType>;
    createdBy: string | null;
    /** A chat channel (ADR 045): how its deliveries are formatted, whose plans it hears of, its name. */
    chat?: { kind: ChatKind; ownerId: string | null; label: string };
  },
) {
  const secret = newWebhookSecret();
  const row = await db
    .insertInto("webhook_endpoints")
    .values({
      org_id: input.orgId,
      url: input.url,
      events: JSON.stringify(input.events),
      created_by: input.createdBy,
      secret,
      ...(input.chat ? { kind: input.chat.kind, owner_id: input.chat.ownerId, label: input.chat.label } : {}),
    })
    .returning(["id", "url"])
    .executeTakeFirstOrThrow();
  return { ...row, secret };
}

const endpointColumns = [
  "id",
  "url",
  "events",
  "active",
  "created_at",
  "consecutive_failures",
  "circuit_open_until",
  "circuit_opened_at",
  "last_failure",
] as const;

export async function listWebhookEndpoints(db: Conn, orgId: string) {
  const endpoints = await db
    .selectFrom("webhook_endpoints")
    .select(endpointColumns)
    .where("org_id", "=", orgId)
    .where((eb) => inScope(eb, WEBHOOKS_ONLY))
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return withDeliveryCounts(db, orgId, endpoints);
}

/** Each endpoint with how many of its deliveries wait, went out and failed. */
async function withDeliveryCounts<E extends { id: string }>(db: Conn, orgId: string, endpoints: E[]) {
  const counts = endpoints.length
    ? await db
        .selectFrom("webhook_deliveries")
        .select(["endpoint_id", "status", (eb) => eb.fn.countAll<number>().as("n")])
        .where("org_id", "=", orgId)
        .where(
          "endpoint_id",
          "in",
          endpoints.map((e) => e.id),
        )
        .groupBy(["endpoint_id", "status"])
        .execute()
    : [];
  return endpoints.map((e) => {
    const of = (status: string) => Number(counts.find((c) => c.endpoint_id === e.id && c.status === status)?.n ?? 0);
    return { ...e, pending: of("pending"), delivered: of("delivered"), failed: of("failed") };
  });
}

export async function getWebhookEndpoint(db: Conn, orgId: string, id: string) {
  return db
    .selectFrom("webhook_endpoints")
    .select(endpointColumns)
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .where((eb) => inScope(eb, WEBHOOKS_ONLY))
    .executeTakeFirst();
}

/**
 * Which endpoints a page acts on: the webhooks page on webhooks; the chat page on chat channels,
 * a seller who is not an admin only on their own (`ownerId`; null: any, for an admin).
 */
export type EndpointScope = { chat: false } | { chat: true; ownerId: string | null };
export const WEBHOOKS_ONLY: EndpointScope = { chat: false };

function inScope(eb: ExpressionBuilder<DB, "webhook_endpoints">, scope: EndpointScope) {
  if (!scope.chat) return eb("kind", "=", "webhook");
  return eb.and([eb("kind", "<>", "webhook"), ...(scope.ownerId === null ? [] : [eb("owner_id", "=", scope.ownerId)])]);
}

/** Enabling (or "try again now") also closes the breaker: the admin says the receiver is back. */
export async function setWebhookEndpointActive(db: Conn, orgId: string, id: string, active: boolean, scope: EndpointScope = WEBHOOKS_ONLY) {
  const result = await db
    .updateTable("webhook_endpoints")
    .set(active ? { active, consecutive_failures: 0, circuit_open_until: null, circuit_opened_at: null } : { active })
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .where((eb) => inScope(eb, scope))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteWebhookEndpoint(db: Conn, orgId: string, id: string, scope: EndpointScope = WEBHOOKS_ONLY) {
  const result = await db
    .deleteFrom("webhook_endpoints")
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .where((eb) => inScope(eb, scope))
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The chat channels a seller manages (ADR 045): an admin sees the organisation's and every rep's; anyone else their own. */
export async function listChatChannels(db: Conn, orgId: string, scope: Extract<EndpointScope, { chat: true }>) {
  const channels = await db
    .selectFrom("webhook_endpoints")
    .select([
      ...endpointColumns,
      "kind",
      "label",
      "owner_id",
      (eb) =>
        eb
          .selectFrom("users")
          .select("users.name")
          .whereRef("users.org_id", "=", "webhook_endpoints.org_id")
          .whereRef("users.id", "=", "webhook_endpoints.owner_id")
          .as("owner_name"),
    ])
    .where("org_id", "=", orgId)
    .where((eb) => inScope(eb, scope))
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return withDeliveryCounts(db, orgId, channels);
}

/** The delivery log of one endpoint, newest first. */
export async function listWebhookDeliveries(db: Conn, orgId: string, endpointId: string, limit = 100) {
  return db
    .selectFrom("webhook_deliveries as d")
    .leftJoin("plans as p", (j) => j.onRef("p.org_id", "=", "d.org_id").onRef("p.id", "=", "d.plan_id"))
    .select([
      "d.id",
      "d.event_type",
      "d.event_id",
      "d.status",
      "d.attempts",
      "d.last_status_code",
      "d.last_error",
      "d.created_at",
      "d.delivered_at",
      "d.next_attempt_at",
      "d.plan_id",
      "p.buyer_company",
    ])
    .where("d.org_id", "=", orgId)
    .where("d.endpoint_id", "=", endpointId)
    .orderBy("d.created_at", "desc")
    .orderBy("d.seq", "desc")
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Enqueueing (inside the change's transaction)
// ---------------------------------------------------------------------------------------------

export function planSnapshot(plan: Plan): PlanSnapshot {
  return {
    id: plan.id,
    title: plan.title,
    buyerCompany: plan.buyer_company,
    externalCrmId: plan.external_crm_id,
    goLive: plan.go_live,
    goLiveSetBy: plan.go_live_set_by_name,
    goLiveSetSide: plan.go_live_set_side,
    goLiveConfirmedBy: plan.go_live_confirmed_by_name,
    forecastCloseDate: plan.forecast_close_date,
    crmCloseDate: plan.crm_close_date,
    projectedGoLive: plan.projected_go_live,
    slipDays: plan.slip_days,
  };
}

/** One event's deliveries, each endpoint with the body it gets (our JSON, or a chat message). */
interface QueuedEvent {
  type: string;
  /** The event's id: in our JSON's body and on each delivery row, so the log and the receiver agree. */
  eventId: string;
  deliveries: Array<{ id: string; payload: string }>;
}

/** The rows of one event's deliveries, all with the event's id. */
function deliveryRows(orgId: string, planId: string | null, event: QueuedEvent, at: Date) {
  return event.deliveries.map((e) => ({
    org_id: orgId,
    endpoint_id: e.id,
    plan_id: planId,
    event_type: event.type,
    event_id: event.eventId,
    payload: e.payload,
    created_at: at,
    next_attempt_at: at,
  }));
}

async function enqueue(trx: Conn, orgId: string, planId: string | null, event: QueuedEvent, at: Date) {
  if (!event.deliveries.length) return 0;
  await trx
    .insertInto("webhook_deliveries")
    .values(deliveryRows(orgId, planId, event, at))
    .execute();
  return event.deliveries.length;
}

/** Our signed JSON, the same body for every endpoint. */
function jsonDeliveries(endpoints: ReadonlyArray<{ id: string }>, eventId: string, event: { type: string; data: Record<string, unknown> }, at: Date) {
  if (!endpoints.length) return [];
  const payload = JSON.stringify(webhookBody({ id: eventId, type: event.type, createdAt: at, data: event.data }));
  return endpoints.map((e) => ({ id: e.id, payload }));
}

/** A chat alert formatted for each channel's kind (ADR 045), with a link to the plan when it is about one. */
function chatDeliveries(channels: ReadonlyArray<{ id: string; kind: string }>, alert: ChatAlert) {
  const planUrl = alert.plan ? `${publicBaseUrl(getEnv())}/plans/${alert.plan.id}` : null;
  return channels.flatMap((c) => (isChatKind(c.kind) ? [{ id: c.id, payload: JSON.stringify(chatMessage(c.kind, alert, planUrl)) }] : []));
}

/** What a plan was before a change, as far as its webhook events and chat alerts depend on it. */
export type PlanBefore = Pick<Plan, "forecast_close_date" | "close_date_pushes" | "overdue_buyer_milestones" | "last_buyer_activity_at">;

function chatFacts(plan: PlanBefore): ChatPlanFacts {
  return {
    lastBuyerActivityAt: plan.last_buyer_activity_at,
    closeDatePushes: plan.close_date_pushes,
    overdueBuyerMilestones: plan.overdue_buyer_milestones,
    forecastCloseDate: plan.forecast_close_date,
  };
}

/** An active endpoint and the event types it wants. */
export interface WebhookTarget {
  id: string;
  events: string[];
  kind: WebhookEndpointKind;
  /** A rep's own chat channel hears only of that rep's plans. */
  owner_id: string | null;
}

/** A change's webhook events and chat alerts, before anyone is chosen to receive them. */
function planNews(events: readonly CommandEvent[], before: PlanBefore, after: Plan, actor: Actor) {
  const wanted = webhookEventsFor(events, { forecastCloseDate: before.forecast_close_date }, planSnapshot(after), actor);
  const alerts = chatAlertsFor(
    events,
    chatFacts(before),
    chatFacts(after),
    {
      id: after.id,
      title: after.title,
      buyerCompany: after.buyer_company,
      goLive: after.go_live,
      forecastCloseDate: after.forecast_close_date,
      ownerId: after.owner_id,
    },
    actor,
  );
  return { wanted, alerts, any: wanted.length > 0 || alerts.length > 0 };
}

/** Each event of a change with its deliveries: webhooks by the events they want, chat channels also by the plan's owner. */
function addressed(news: ReturnType<typeof planNews>, endpoints: readonly WebhookTarget[], after: Plan, at: Date): QueuedEvent[] {
  const hooks = endpoints.filter((e) => e.kind === "webhook");
  const channels = endpoints.filter((e) => e.kind !== "webhook" && (e.owner_id === null || e.owner_id === after.owner_id));
  return [
    ...news.wanted.map((event) => {
      const eventId = randomUUID();
      return {
        type: event.type,
        eventId,
        deliveries: jsonDeliveries(
          hooks.filter((e) => e.events.includes(event.type)),
          eventId,
          event,
          at,
        ),
      };
    }),
    ...news.alerts.map((alert) => ({
      type: alert.type,
      eventId: randomUUID(),
      deliveries: chatDeliveries(
        channels.filter((e) => e.events.includes(alert.type)),
        alert,
      ),
    })),
  ];
}

/**
 * Called by runPlanCommandIn after the schedule is stored (the forecast close date is known only
 * then), in the command's transaction. `before` is the plan as the command found it.
 */
export async function queueWebhooks(
  trx: Transaction<DB>,
  ctx: { orgId: string; planId: string; actor: Actor },
  events: readonly CommandEvent[],
  before: PlanBefore,
  after: Plan,
  at: Date,
  /** The organisation's active endpoints, when the caller read them already (the write path's lock does). */
  known?: readonly WebhookTarget[],
) {
  const news = planNews(events, before, after, ctx.actor);
  if (!news.any) return 0;
  const endpoints = known ?? (await activeEndpoints(trx, ctx.orgId));
  if (!endpoints.length) return 0;
  let count = 0;
  for (const event of addressed(news, endpoints, after, at)) count += await enqueue(trx, ctx.orgId, ctx.planId, event, at);
  return count;
}

function activeEndpoints(trx: Conn, orgId: string): Promise<WebhookTarget[]> {
  return trx.selectFrom("webhook_endpoints").select(["id", "events", "kind", "owner_id"]).where("org_id", "=", orgId).where("active", "=", true).execute();
}

/** Rows per INSERT of deliveries: eight parameters each, under PostgreSQL's 65,535. */
const DELIVERIES_PER_INSERT = 1000;

/**
 * queueWebhooks for many plans whose schedules were stored together (the daily re-projection):
 * each plan's events and chat alerts from the plan as it was and as it now is, the endpoints read
 * once and only when some plan has news, and the deliveries inserted together.
 */
export async function queueWebhooksForMany(
  trx: Transaction<DB>,
  orgId: string,
  actor: Actor,
  changes: ReadonlyArray<{ before: PlanBefore; plan: Plan }>,
  at: Date,
): Promise<number> {
  const news = changes.map(({ before, plan }) => ({ plan, news: planNews([], before, plan, actor) })).filter((c) => c.news.any);
  if (!news.length) return 0;
  const endpoints = await activeEndpoints(trx, orgId);
  if (!endpoints.length) return 0;
  const rows = news.flatMap(({ plan, news }) => addressed(news, endpoints, plan, at).flatMap((event) => deliveryRows(orgId, plan.id, event, at)));
  for (let i = 0; i < rows.length; i += DELIVERIES_PER_INSERT) {
    await trx
      .insertInto("webhook_deliveries")
      .values(rows.slice(i, i + DELIVERIES_PER_INSERT))
      .execute();
  }
  return rows.length;
}

/**
 * The settings page's "send test event": one delivery to this endpoint, outside any plan's line,
 * at most TEST_EVENTS_PER_MINUTE a minute (issue 17: forty clicks once queued forty requests to a
 * receiver that never answered). The endpoint row is locked while counting, so two clicks at the
 * same moment cannot both take the last slot.
 */
export async function queueTestEvent(
  db: Kysely<DB>,
  orgId: string,
  endpointId: string,
  by: string,
  at: Date,
  scope: EndpointScope = WEBHOOKS_ONLY,
): Promise<{ ok: true } | { ok: false; reason: "unknown" } | { ok: false; reason: "rate_limited"; waitSeconds: number }> {
  return db.transaction().execute(async (trx) => {
    const endpoint = await trx
      .selectFrom("webhook_endpoints")
      .select(["id", "kind"])
      .where("org_id", "=", orgId)
      .where("id", "=", endpointId)
      .where((eb) => inScope(eb, scope))
      .forUpdate()
      .executeTakeFirst();
    if (!endpoint) return { ok: false, reason: "unknown" } as const;
    const recent = await trx
      .selectFrom("webhook_deliveries")
      .select("created_at")
      .where("org_id", "=", orgId)
      .where("endpoint_id", "=", endpointId)
      .where("event_type", "=", TEST_EVENT)
      .where("created_at", ">", new Date(at.getTime() - 60_000))
      .execute();
    const waitSeconds = testEventWaitSeconds(
      recent.map((r) => new Date(r.created_at)),
      at,
    );
    if (waitSeconds > 0) return { ok: false, reason: "rate_limited", waitSeconds } as const;
    const eventId = randomUUID();
    const deliveries =
      endpoint.kind === "webhook"
        ? jsonDeliveries(
            [endpoint],
            eventId,
            { type: TEST_EVENT, data: { message: "A test event from Plan Together's webhook settings.", by: { name: by, side: "seller" } } },
            at,
          )
        : chatDeliveries([endpoint], chatTestAlert(by));
    await enqueue(trx, orgId, null, { type: TEST_EVENT, eventId, deliveries }, at);
    return { ok: true } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// Dispatching
// ---------------------------------------------------------------------------------------------

export type ClaimedDelivery = WebhookDelivery & { url: string; secret: string };

export interface EndpointRef {
  org_id: string;
  id: string;
}

/**
 * Active, unpaused endpoints with at least one due, unleased delivery, least recently served
 * first. A plain read (no locks) and the one statement that spans organisations.
 */
export async function endpointsWithDueWork(db: Kysely<DB>, options: { now: Date; limit: number }): Promise<EndpointRef[]> {
  return db
    .selectFrom("webhook_endpoints as w")
    .select(["w.org_id", "w.id"])
    .where("w.active", "=", true)
    .where((eb) => eb.or([eb("w.circuit_open_until", "is", null), eb("w.circuit_open_until", "<=", options.now)]))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("webhook_deliveries as d")
          .select(sql.lit(1).as("one"))
          .whereRef("d.org_id", "=", "w.org_id")
          .whereRef("d.endpoint_id", "=", "w.id")
          .where("d.status", "=", "pending")
          .where("d.next_attempt_at", "<=", options.now)
          .where((eb) => eb.or([eb("d.locked_until", "is", null), eb("d.locked_until", "<", options.now)])),
      ),
    )
    .orderBy(sql`w.last_claimed_at asc nulls first`)
    .orderBy("w.org_id")
    .orderBy("w.id")
    .limit(options.limit)
    .execute();
}

/**
 * Claims up to `limit` due deliveries of ONE endpoint for `leaseSeconds`, never more than the
 * endpoint's concurrency minus what is already leased (by any dispatcher): the endpoint row is
 * locked while counting (SKIP LOCKED: another dispatcher busy with it is simply passed by). Each
 * claimed delivery is the head of its (endpoint, plan) line, so each plan's events keep their order.
 */
export async function claimEndpointDeliveries(
  db: Kysely<DB>,
  endpoint: EndpointRef,
  options: { limit: number; leaseSeconds: number; now: Date },
): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return [];
  const lease = new Date(options.now.getTime() + options.leaseSeconds * 1000);
  return db.transaction().execute(async (trx) => {
    const {
      rows: [w],
    } = await sql<{ url: string; secret: string; consecutive_failures: number }>`
      select url, secret, consecutive_failures from webhook_endpoints
       where org_id = ${endpoint.org_id} and id = ${endpoint.id} and active
         and (circuit_open_until is null or circuit_open_until <= ${options.now})
       for update skip locked`.execute(trx);
    if (!w) return [];
    const {
      rows: [leased],
    } = await sql<{ n: number }>`
      select count(*)::int as n from webhook_deliveries
       where org_id = ${endpoint.org_id} and endpoint_id = ${endpoint.id} and status = 'pending' and locked_until >= ${options.now}`.execute(trx);
    const room = Math.min(options.limit, endpointConcurrency(w.consecutive_failures) - Number(leased.n));
    if (room <= 0) return [];
    // The pick is a materialized CTE: as an `id in (subquery)` the planner may run a LIMIT …
    // SKIP LOCKED subquery more than once and take more rows than the limit (it did, 5 for 2).
    // Every table in it, the earlier-delivery probe too, is filtered by the organisation itself:
    // Citus runs SKIP LOCKED only on one shard and proves that from each table's own filter.
    const { rows } = await sql<WebhookDelivery>`
      with picked as materialized (
        select d.id from webhook_deliveries d
         where d.org_id = ${endpoint.org_id} and d.endpoint_id = ${endpoint.id}
           and d.status = 'pending'
           and d.next_attempt_at <= ${options.now}
           and (d.locked_until is null or d.locked_until < ${options.now})
           and not exists (
             select 1 from webhook_deliveries e
              where e.org_id = ${endpoint.org_id} and e.endpoint_id = d.endpoint_id and e.plan_id = d.plan_id
                and e.status = 'pending' and e.seq < d.seq)
         order by d.seq
         limit ${room}
         for update of d skip locked)
      update webhook_deliveries w
         set locked_until = ${lease}
        from picked
       where w.org_id = ${endpoint.org_id} and w.id = picked.id
      returning w.*`.execute(trx);
    await trx
      .updateTable("webhook_endpoints")
      .set({ last_claimed_at: options.now })
      .where("org_id", "=", endpoint.org_id)
      .where("id", "=", endpoint.id)
      .execute();
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => ({ ...r, url: w.url, secret: w.secret }));
  });
}

export interface AttemptOutcome {
  statusCode: number | null;
  /** null: delivered. */
  error: string | null;
  /** For a failure: when to try again, or null to give up. */
  retryAt: Date | null;
}

/**
 * Records one attempt and moves the endpoint's breaker, in one transaction. When a run of
 * failures first pauses the endpoint, its organisation's admins get an email (same transaction).
 * Returns whether this attempt paused it.
 */
export async function recordDeliveryAttempt(db: Kysely<DB>, row: ClaimedDelivery, outcome: AttemptOutcome, now: Date): Promise<{ paused: boolean }> {
  return db.transaction().execute(async (trx) => {
    const delivered = outcome.error === null;
    // The endpoint row first, like claiming and deleting do: one lock order, no deadlock.
    const endpoint = await trx
      .selectFrom("webhook_endpoints")
      .select(["url", "kind", "label", "consecutive_failures", "circuit_open_until", "circuit_opened_at"])
      .where("org_id", "=", row.org_id)
      .where("id", "=", row.endpoint_id)
      .forUpdate()
      .executeTakeFirst();
    if (!endpoint) return { paused: false };
    const updated = await trx
      .updateTable("webhook_deliveries")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        last_status_code: outcome.statusCode,
        locked_until: null,
        ...(delivered
          ? { status: "delivered" as const, delivered_at: now, last_error: null }
          : { last_error: outcome.error!.slice(0, 300), ...(outcome.retryAt === null ? { status: "failed" as const } : { next_attempt_at: outcome.retryAt }) }),
      }))
      .where("org_id", "=", row.org_id)
      .where("id", "=", row.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    // Already recorded by a dispatcher whose lease had run out: the breaker counted it then.
    if (Number(updated.numUpdatedRows) === 0) return { paused: false };
    const next = circuitAfter(
      { consecutiveFailures: endpoint.consecutive_failures, openUntil: endpoint.circuit_open_until, openedAt: endpoint.circuit_opened_at },
      delivered,
      now,
    );
    await trx
      .updateTable("webhook_endpoints")
      .set({
        consecutive_failures: next.consecutiveFailures,
        circuit_open_until: next.openUntil,
        circuit_opened_at: next.openedAt,
        ...(delivered ? {} : { last_failure: outcome.error!.slice(0, 300) }),
      })
      .where("org_id", "=", row.org_id)
      .where("id", "=", row.endpoint_id)
      .execute();
    if (next.justOpened) {
      await queueEndpointPausedEmails(trx, {
        orgId: row.org_id,
        endpointId: row.endpoint_id,
        endpoint:
          endpoint.kind === "webhook"
            ? { kind: "webhook", url: endpoint.url }
            : { kind: "chat", label: endpoint.label ?? "Chat channel", maskedUrl: maskedChannelUrl(endpoint.url) },
        failures: next.consecutiveFailures,
        lastFailure: outcome.error!,
        pausedUntil: next.openUntil!,
        now,
      });
    }
    return { paused: next.justOpened };
  });
}
