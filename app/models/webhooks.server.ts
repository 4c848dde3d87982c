import { randomUUID } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Plan, WebhookDelivery } from "../../db/types";
import type { Actor } from "../domain/plan-events";
import {
  newWebhookSecret, TEST_EVENT, webhookBody, webhookEventsFor, type CommandEvent, type PlanSnapshot, type WebhookEventType,
} from "../domain/webhooks";

type Conn = Kysely<DB> | Transaction<DB>;

/*
 * Webhook endpoints and the deliveries outbox (docs/decisions/005 applied to HTTP): a delivery row
 * is written in the same transaction as the change that causes it, so it exists exactly when the
 * change committed. The dispatcher (app/utils/webhooks.server.ts) claims due rows with a lease
 * (FOR UPDATE SKIP LOCKED), posts them signed, and records the outcome here. A delivery is
 * claimable only when no earlier pending delivery exists for the same endpoint and plan, so a
 * receiver sees each plan's events in order even across retries.
 *
 * Claiming is the one query that spans organisations (a work queue); every other statement names
 * its rows by org_id.
 */

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

export async function createWebhookEndpoint(db: Conn, input: { orgId: string; url: string; events: WebhookEventType[]; createdBy: string | null }) {
  const secret = newWebhookSecret();
  const row = await db
    .insertInto("webhook_endpoints")
    .values({ org_id: input.orgId, url: input.url, events: JSON.stringify(input.events), created_by: input.createdBy, secret })
    .returning(["id", "url"])
    .executeTakeFirstOrThrow();
  return { ...row, secret };
}

export async function listWebhookEndpoints(db: Conn, orgId: string) {
  const endpoints = await db
    .selectFrom("webhook_endpoints")
    .select(["id", "url", "events", "active", "created_at"])
    .where("org_id", "=", orgId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  const counts = await db
    .selectFrom("webhook_deliveries")
    .select(["endpoint_id", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("org_id", "=", orgId)
    .groupBy(["endpoint_id", "status"])
    .execute();
  return endpoints.map((e) => {
    const of = (status: string) => Number(counts.find((c) => c.endpoint_id === e.id && c.status === status)?.n ?? 0);
    return { ...e, pending: of("pending"), delivered: of("delivered"), failed: of("failed") };
  });
}

export async function getWebhookEndpoint(db: Conn, orgId: string, id: string) {
  return db.selectFrom("webhook_endpoints").select(["id", "url", "events", "active", "created_at"]).where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
}

export async function setWebhookEndpointActive(db: Conn, orgId: string, id: string, active: boolean) {
  const result = await db.updateTable("webhook_endpoints").set({ active }).where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteWebhookEndpoint(db: Conn, orgId: string, id: string) {
  const result = await db.deleteFrom("webhook_endpoints").where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The delivery log of one endpoint, newest first. */
export async function listWebhookDeliveries(db: Conn, orgId: string, endpointId: string, limit = 100) {
  return db
    .selectFrom("webhook_deliveries as d")
    .leftJoin("plans as p", (j) => j.onRef("p.org_id", "=", "d.org_id").onRef("p.id", "=", "d.plan_id"))
    .select([
      "d.id", "d.event_type", "d.event_id", "d.status", "d.attempts", "d.last_status_code", "d.last_error", "d.created_at",
      "d.delivered_at", "d.next_attempt_at", "d.plan_id", "p.buyer_company",
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
    id: plan.id, title: plan.title, buyerCompany: plan.buyer_company, externalCrmId: plan.external_crm_id, goLive: plan.go_live,
    goLiveSetBy: plan.go_live_set_by_name, goLiveSetSide: plan.go_live_set_side, goLiveConfirmedBy: plan.go_live_confirmed_by_name,
    forecastCloseDate: plan.forecast_close_date, crmCloseDate: plan.crm_close_date, projectedGoLive: plan.projected_go_live, slipDays: plan.slip_days,
  };
}

async function enqueue(trx: Conn, orgId: string, planId: string | null, type: string, data: Record<string, unknown>, endpoints: Array<{ id: string }>, at: Date) {
  if (!endpoints.length) return 0;
  const eventId = randomUUID();
  const payload = JSON.stringify(webhookBody({ id: eventId, type, createdAt: at, data }));
  await trx
    .insertInto("webhook_deliveries")
    .values(endpoints.map((e) => ({ org_id: orgId, endpoint_id: e.id, plan_id: planId, event_type: type, event_id: eventId, payload, created_at: at, next_attempt_at: at })))
    .execute();
  return endpoints.length;
}

/** An active endpoint and the event types it wants. */
export interface WebhookTarget {
  id: string;
  events: string[];
}

/**
 * Called by runPlanCommandIn after the schedule is stored (the forecast close date is known only
 * then), in the command's transaction. `before` is the plan as the command found it.
 */
export async function queueWebhooks(
  trx: Transaction<DB>,
  ctx: { orgId: string; planId: string; actor: Actor },
  events: readonly CommandEvent[],
  before: Plan,
  after: Plan,
  at: Date,
  /** The organisation's active endpoints, when the caller read them already (the write path's lock does). */
  known?: readonly WebhookTarget[],
) {
  const wanted = webhookEventsFor(events, { forecastCloseDate: before.forecast_close_date }, planSnapshot(after), ctx.actor);
  if (!wanted.length) return 0;
  const endpoints = known ?? (await trx.selectFrom("webhook_endpoints").select(["id", "events"]).where("org_id", "=", ctx.orgId).where("active", "=", true).execute());
  if (!endpoints.length) return 0;
  let count = 0;
  for (const event of wanted) {
    count += await enqueue(trx, ctx.orgId, ctx.planId, event.type, event.data, endpoints.filter((e) => e.events.includes(event.type)), at);
  }
  return count;
}

/** The settings page's "send test event": one delivery to this endpoint, outside any plan's line. */
export async function queueTestEvent(db: Conn, orgId: string, endpointId: string, by: string, at: Date) {
  const endpoint = await getWebhookEndpoint(db, orgId, endpointId);
  if (!endpoint) return false;
  await enqueue(db, orgId, null, TEST_EVENT, { message: "A test event from Plan Together's webhook settings.", by: { name: by, side: "seller" } }, [endpoint], at);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Dispatching
// ---------------------------------------------------------------------------------------------

export type ClaimedDelivery = WebhookDelivery & { url: string; secret: string };

/**
 * Claims up to `limit` due deliveries for `leaseSeconds`, each the head of its (endpoint, plan)
 * line: no earlier delivery of the same endpoint and plan is still pending. Deliveries of inactive
 * endpoints wait. SKIP LOCKED lets other dispatchers take other rows instead of waiting.
 */
export async function claimDueDeliveries(db: Kysely<DB>, options: { limit: number; leaseSeconds: number; now: Date }): Promise<ClaimedDelivery[]> {
  const lease = new Date(options.now.getTime() + options.leaseSeconds * 1000);
  const { rows } = await sql<ClaimedDelivery>`
    with claimed as (
      update webhook_deliveries
         set locked_until = ${lease}
       where (org_id, id) in (
         select d.org_id, d.id from webhook_deliveries d
          where d.status = 'pending'
            and d.next_attempt_at <= ${options.now}
            and (d.locked_until is null or d.locked_until < ${options.now})
            and exists (select 1 from webhook_endpoints w where w.org_id = d.org_id and w.id = d.endpoint_id and w.active)
            and not exists (
              select 1 from webhook_deliveries e
               where e.org_id = d.org_id and e.endpoint_id = d.endpoint_id and e.plan_id = d.plan_id
                 and e.status = 'pending' and e.seq < d.seq)
          order by d.seq
          limit ${options.limit}
          for update of d skip locked)
      returning *)
    select c.*, w.url, w.secret
      from claimed c
      join webhook_endpoints w on w.org_id = c.org_id and w.id = c.endpoint_id
     where w.active
     order by c.seq`.execute(db);
  return rows;
}

function byRow(row: Pick<WebhookDelivery, "org_id" | "id">) {
  return { org: row.org_id, id: row.id };
}

export async function markDelivered(db: Kysely<DB>, row: ClaimedDelivery, statusCode: number, now: Date) {
  const { org, id } = byRow(row);
  await db
    .updateTable("webhook_deliveries")
    .set((eb) => ({ status: "delivered", delivered_at: now, attempts: eb("attempts", "+", 1), locked_until: null, last_status_code: statusCode, last_error: null }))
    .where("org_id", "=", org)
    .where("id", "=", id)
    .where("status", "=", "pending")
    .execute();
}

/** A failed attempt: again at `retryAt`, or `failed` for good when it is null. */
export async function markDeliveryFailed(db: Kysely<DB>, row: ClaimedDelivery, failure: { statusCode: number | null; error: string }, retryAt: Date | null) {
  const { org, id } = byRow(row);
  await db
    .updateTable("webhook_deliveries")
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      last_status_code: failure.statusCode,
      last_error: failure.error.slice(0, 1000),
      locked_until: null,
      ...(retryAt === null ? { status: "failed" as const } : { next_attempt_at: retryAt }),
    }))
    .where("org_id", "=", org)
    .where("id", "=", id)
    .where("status", "=", "pending")
    .execute();
}
