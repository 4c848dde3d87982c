import { createHmac, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { buildIcs, feedEvents, type FeedMilestone, type FeedPlan } from "~/domain/ics";
import { tenantToken, tenantTokenLookup } from "~/domain/tenant-token";
import { hashToken } from "~/infra/secret-tokens.server";
import { publicBaseUrl } from "~/infra/env.server";
import { signingSecret } from "~/infra/signing-secret.server";
import type { Conn } from "~/models/conn";

/*
 * Calendar feeds: a secret URL per buyer link (their own milestones, or the whole plan) and per
 * rep (every milestone of their plans), since calendar apps cannot send cookies. Like link tokens,
 * only the token's SHA-256 is stored, and the token carries its organisation; its secret is
 * derived from the feed's id with HMAC(EMAIL_SIGNING_SECRET), so the page can show the same URL
 * again without keeping it anywhere. Rotating a feed makes a new id (a new URL) and revokes the old
 * one. A buyer's feed dies with their link (revoked or expired).
 */

export type FeedScope = "mine" | "plan";

function feedSecret(feedId: string, secret: string): string {
  return createHmac("sha256", secret).update("calendar-feed:v1:").update(feedId).digest("base64url");
}

export function feedToken(orgId: string, feedId: string, secret = signingSecret()): string {
  return tenantToken(orgId, feedSecret(feedId, secret));
}

/**
 * The URL a live feed is subscribed at. A feed made before tokens carried their organisation keeps
 * its old token (the secret alone), so calendars already subscribed to it keep working; null when
 * it was made under another signing secret and cannot be shown again.
 */
function liveFeedToken(orgId: string, feed: { id: string; token_hash: string }): string | null {
  const secret = signingSecret();
  const candidates = [feedToken(orgId, feed.id, secret), feedSecret(feed.id, secret)];
  return candidates.find((token) => hashToken(token) === feed.token_hash) ?? null;
}

export function feedUrls(token: string, baseUrl = publicBaseUrl()) {
  const https = `${baseUrl}/calendar/${token}.ics`;
  return { https, webcal: https.replace(/^https?:/, "webcal:") };
}

type Owner = { kind: "rep"; orgId: string; userId: string } | { kind: "buyer"; orgId: string; shareLinkId: string; scope: FeedScope };

function liveFeedQuery(db: Conn, owner: Owner) {
  let query = db
    .selectFrom("calendar_feeds")
    .select(["id", "token_hash"])
    .where("org_id", "=", owner.orgId)
    .where("revoked_at", "is", null)
    .where("kind", "=", owner.kind);
  query =
    owner.kind === "rep" ? query.where("user_id", "=", owner.userId) : query.where("share_link_id", "=", owner.shareLinkId).where("scope", "=", owner.scope);
  return query;
}

async function revokeLive(db: Conn, owner: Owner, now: Date) {
  const live = await liveFeedQuery(db, owner).execute();
  if (!live.length) return;
  await db
    .updateTable("calendar_feeds")
    .set({ revoked_at: now })
    .where("org_id", "=", owner.orgId)
    .where(
      "id",
      "in",
      live.map((f) => f.id),
    )
    .execute();
}

/** Turns off a deactivated rep's feed: their calendar stops receiving plans (ADR 021). */
export async function revokeRepFeeds(db: Conn, orgId: string, userId: string, now: Date): Promise<void> {
  await revokeLive(db, { kind: "rep", orgId, userId }, now);
}

async function insertFeed(db: Conn, owner: Owner) {
  const id = randomUUID();
  const token = feedToken(owner.orgId, id);
  await db
    .insertInto("calendar_feeds")
    .values({
      org_id: owner.orgId,
      id,
      token_hash: hashToken(token),
      kind: owner.kind,
      share_link_id: owner.kind === "buyer" ? owner.shareLinkId : null,
      user_id: owner.kind === "rep" ? owner.userId : null,
      scope: owner.kind === "buyer" ? owner.scope : "plan",
    })
    // Two tabs asking at once: the one-live-feed index keeps one, and the loser reads it back.
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The owner's live feed URL, made on first use. */
export async function ensureFeed(db: Kysely<DB>, owner: Owner, now = new Date()): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const live = await liveFeedQuery(trx, owner).executeTakeFirst();
    if (live) {
      const token = liveFeedToken(owner.orgId, live);
      if (token) return token;
      // Made under another signing secret: its URL cannot be shown again, so it is replaced.
      await revokeLive(trx, owner, now);
    }
    await insertFeed(trx, owner);
    const created = await liveFeedQuery(trx, owner).executeTakeFirstOrThrow();
    return feedToken(owner.orgId, created.id);
  });
}

/** A new URL for the owner's feed; the old one stops working. */
export async function rotateFeed(db: Kysely<DB>, owner: Owner, now = new Date()): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await revokeLive(trx, owner, now);
    await insertFeed(trx, owner);
    return feedToken(owner.orgId, (await liveFeedQuery(trx, owner).executeTakeFirstOrThrow()).id);
  });
}

export const repFeedOwner = (orgId: string, userId: string): Owner => ({ kind: "rep", orgId, userId });
export const buyerFeedOwner = (orgId: string, shareLinkId: string, scope: FeedScope): Owner => ({ kind: "buyer", orgId, shareLinkId, scope });

/** The live feed behind a token (a buyer's only while their link lives), or undefined: callers answer 404. */
export async function findFeed(db: Conn, token: string, now: Date) {
  const lookup = tenantTokenLookup(token);
  if (!lookup) return undefined;
  const feed = await db
    .selectFrom("calendar_feeds as f")
    .leftJoin("share_links as l", (j) => j.onRef("l.org_id", "=", "f.org_id").onRef("l.id", "=", "f.share_link_id"))
    .select([
      "f.org_id",
      "f.id",
      "f.kind",
      "f.scope",
      "f.user_id",
      "f.share_link_id",
      "f.last_fetched_at",
      "l.plan_id",
      "l.stakeholder_id",
      "l.revoked_at as link_revoked_at",
      "l.expires_at as link_expires_at",
    ])
    .$if(lookup.orgId !== null, (q) => q.where("f.org_id", "=", lookup.orgId!))
    .where("f.token_hash", "=", hashToken(token))
    .where("f.revoked_at", "is", null)
    .executeTakeFirst();
  if (!feed) return undefined;
  if (feed.kind === "buyer" && (feed.link_revoked_at || !feed.link_expires_at || new Date(feed.link_expires_at) <= now)) return undefined;
  return feed;
}

export type Feed = NonNullable<Awaited<ReturnType<typeof findFeed>>>;

const milestoneColumns = ["m.id", "m.plan_id", "m.title", "m.due_date", "m.completed_on", "m.owner_side", "m.updated_at", "s.name as owner_name"] as const;

/** The feed as iCalendar text, and records that a calendar fetched it (at most once a minute). */
export async function renderFeed(db: Kysely<DB>, feed: Feed, now: Date, baseUrl = publicBaseUrl()): Promise<string> {
  if (!feed.last_fetched_at || now.getTime() - new Date(feed.last_fetched_at).getTime() > 60_000) {
    await db.updateTable("calendar_feeds").set({ last_fetched_at: now }).where("org_id", "=", feed.org_id).where("id", "=", feed.id).execute();
  }
  let plansQuery = db
    .selectFrom("plans as p")
    .innerJoin("organisations as o", "o.id", "p.org_id")
    .select(["p.id", "p.title", "p.buyer_company", "p.go_live", "p.updated_at", "p.last_event_seq", "o.name as seller"])
    .where("p.org_id", "=", feed.org_id);
  plansQuery =
    feed.kind === "rep"
      ? plansQuery.where("p.owner_id", "=", feed.user_id!).where("p.status", "in", ["active", "won"])
      : plansQuery.where("p.id", "=", feed.plan_id!);
  const plans = await plansQuery.orderBy("p.go_live").execute();
  const planIds = plans.map((p) => p.id);
  let milestones: FeedMilestone[] = [];
  if (planIds.length) {
    let query = db
      .selectFrom("milestones as m")
      .leftJoin("stakeholders as s", (j) => j.onRef("s.org_id", "=", "m.org_id").onRef("s.id", "=", "m.owner_stakeholder_id"))
      .select(milestoneColumns)
      .where("m.org_id", "=", feed.org_id)
      .where("m.plan_id", "in", planIds);
    if (feed.kind === "buyer" && feed.scope === "mine") query = query.where("m.owner_stakeholder_id", "=", feed.stakeholder_id!);
    const rows = await query.orderBy("m.due_date").execute();
    milestones = rows.map((m) => ({
      id: m.id,
      planId: m.plan_id,
      title: m.title,
      dueDate: m.due_date,
      completedOn: m.completed_on,
      ownerSide: m.owner_side,
      ownerName: m.owner_name,
      updatedAt: m.updated_at,
    }));
  }
  const feedPlans: FeedPlan[] = plans.map((p) => ({
    id: p.id,
    title: p.title,
    company: p.buyer_company,
    seller: p.seller,
    goLive: p.go_live,
    updatedAt: p.updated_at,
    revision: p.last_event_seq,
    url: feed.kind === "rep" ? `${baseUrl}/plans/${p.id}` : `${baseUrl}/p/${p.id}`,
  }));
  const single = feed.kind === "buyer" ? plans[0] : undefined;
  return buildIcs({
    name: single ? `${single.title} with ${single.seller}${feed.scope === "mine" ? " (my milestones)" : ""}` : "My plans (Plan Together)",
    description: single
      ? `Milestones and go-live of the plan you share with ${single.seller}, from Plan Together.`
      : "Milestones and go-live dates of all your plans, from Plan Together.",
    events: feedEvents(feedPlans, milestones, { audience: feed.kind === "rep" ? "seller" : "buyer" }),
  });
}
