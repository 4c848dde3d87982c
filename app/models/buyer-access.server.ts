import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { isUuid } from "~/domain/ids";
import { tenantTokenLookup } from "~/domain/tenant-token";
import { hashToken, newLinkToken } from "~/infra/secret-tokens.server";
import { newDeviceEvent } from "~/domain/buyer-devices";
import { runPlanCommand } from "~/models/plan-command.server";
import { findLiveShareLink, recordShareLinkVisit } from "~/models/share-link.server";
import { readToken, signToken } from "~/infra/signed-token.server";
import { signingSecret } from "~/infra/signing-secret.server";

/*
 * How a buyer reaches a plan without an account: a link token proves they were invited; after
 * they confirm who they are, an httpOnly cookie for that plan identifies the device, so the token
 * can leave the address bar. Both die with the link (revoked or expired).
 */
export const BUYER_DEVICE_DAYS = 90;

/** One cookie per plan, so one browser can follow several deals. */
export function buyerCookieName(planId: string) {
  return `pt_b_${planId.replace(/-/g, "")}`;
}

export async function openLink(db: Kysely<DB>, token: string, now: Date) {
  const link = await findLiveShareLink(db, token, now);
  return link ? withStakeholder(db, link) : undefined;
}

/** A live link with the person it was made for. */
async function withStakeholder<L extends { org_id: string; stakeholder_id: string }>(db: Kysely<DB>, link: L) {
  const stakeholder = await db
    .selectFrom("stakeholders")
    .select(["id", "name", "email", "side", "locale"])
    .where("org_id", "=", link.org_id)
    .where("id", "=", link.stakeholder_id)
    .executeTakeFirstOrThrow();
  return { link, stakeholder };
}

export type OpenedLink = NonNullable<Awaited<ReturnType<typeof openLink>>>;

const OPEN_PURPOSE = "open-plan:v1:";

/** A signed pointer to a buyer's link, for emails after the invite: it carries no raw token. */
export function signOpenLinkToken(orgId: string, shareLinkId: string, secret = signingSecret()) {
  return signToken(OPEN_PURPOSE, { o: orgId, l: shareLinkId }, secret);
}

export async function openLinkFromEmail(db: Kysely<DB>, signed: string, now: Date, secret = signingSecret()) {
  const data = readToken(OPEN_PURPOSE, signed, secret);
  if (!data || !isUuid(data.o) || !isUuid(data.l)) return undefined;
  const link = await db
    .selectFrom("share_links")
    .selectAll()
    .where("org_id", "=", data.o)
    .where("id", "=", data.l)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return link ? withStakeholder(db, link) : undefined;
}

/** Counts a visit when the link is opened, or when the device returns after half an hour away. */
export async function countVisit(db: Kysely<DB>, link: { org_id: string; id: string; last_visit_at: Date | null }, now: Date) {
  if (link.last_visit_at && now.getTime() - new Date(link.last_visit_at).getTime() < 30 * 60_000) return;
  await recordShareLinkVisit(db, link, now);
}

/**
 * Remembers the device after the buyer confirmed their name and email; returns the cookie value.
 * A link opens for whoever holds it (access stays easy, a forwarded link included), so every new
 * device goes into the plan's log through the write path, with the name and email typed and the
 * link's owner: the rep sees who is really reading (ADR 004: one transaction for both).
 */
export async function startBuyerSession(
  db: Kysely<DB>,
  opened: OpenedLink,
  person: { name: string; email: string },
  now: Date,
  today: string,
  requestId?: string | null,
) {
  const token = newLinkToken(opened.link.org_id);
  const linkExpiry = new Date(opened.link.expires_at);
  const expiresAt = new Date(Math.min(linkExpiry.getTime(), now.getTime() + BUYER_DEVICE_DAYS * 86_400_000));
  const actor = { side: "buyer" as const, name: person.name, stakeholderId: opened.stakeholder.id };
  await runPlanCommand(db, { orgId: opened.link.org_id, planId: opened.link.plan_id, actor, today, requestId }, async (trx) => {
    await trx
      .insertInto("buyer_sessions")
      .values({
        org_id: opened.link.org_id,
        id: hashToken(token),
        share_link_id: opened.link.id,
        plan_id: opened.link.plan_id,
        stakeholder_id: opened.stakeholder.id,
        name: person.name,
        email: person.email,
        expires_at: expiresAt,
      })
      .execute();
    return { value: null, events: [newDeviceEvent(opened, person)] };
  });
  await countVisit(db, opened.link, now);
  return { token, expiresAt };
}

/** The buyer behind a device cookie, if the cookie, its session and its link are all still live. */
export async function findBuyer(db: Kysely<DB>, planId: string, cookieToken: string | undefined, now: Date) {
  const lookup = cookieToken ? tenantTokenLookup(cookieToken) : null;
  if (!cookieToken || !lookup || !isUuid(planId)) return undefined;
  return db
    .selectFrom("buyer_sessions as b")
    .innerJoin("share_links as l", (j) => j.onRef("l.org_id", "=", "b.org_id").onRef("l.id", "=", "b.share_link_id"))
    .innerJoin("stakeholders as s", (j) => j.onRef("s.org_id", "=", "b.org_id").onRef("s.id", "=", "b.stakeholder_id"))
    .select(["b.org_id", "b.plan_id", "b.stakeholder_id", "b.name", "b.email", "b.share_link_id", "l.last_visit_at", "l.id as link_id", "s.side", "s.locale"])
    .$if(lookup.orgId !== null, (q) => q.where("b.org_id", "=", lookup.orgId!))
    .where("b.id", "=", hashToken(cookieToken))
    .where("b.plan_id", "=", planId)
    .where("b.expires_at", ">", now)
    .where("l.revoked_at", "is", null)
    .where("l.expires_at", ">", now)
    .executeTakeFirst();
}

export type Buyer = NonNullable<Awaited<ReturnType<typeof findBuyer>>>;

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

export function buyerCookie(planId: string, token: string, expiresAt: Date, secure: boolean) {
  return `${buyerCookieName(planId)}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure ? "; Secure" : ""}`;
}
