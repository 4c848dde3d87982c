import { sql, type Kysely } from "kysely";
import type { DB } from "../../db/types";
import { todayIn } from "~/domain/dates";
import type { Actor as PlanActor } from "~/domain/plan-events";
import { ensureFeed, repFeedOwner } from "~/models/calendar-feed.server";
import { signPreferenceToken } from "~/models/email-preferences.server";
import { createApiToken } from "~/models/api-tokens.server";
import { signOpenLinkToken } from "~/models/buyer-access.server";
import { createOrganisation } from "~/models/organisation.server";
import { createWebhookEndpoint, setWebhookEndpointActive } from "~/models/webhooks.server";
import { createPlan } from "~/models/plan-create.server";
import { createLinkForStakeholder, revokeLink } from "~/models/share-link-commands.server";
import { createTemplate } from "~/models/template.server";
import { createUser } from "~/models/user.server";
import { hashPassword } from "~/infra/password.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { TestClient } from "./http";

/*
 * The cast of the safety suite (tests/integration/authz-matrix, csrf, fuzz, links): the demo
 * organisation plus a second team, another organisation, and a plan "P" of rep1 whose buyer holds a
 * live link, next to a buyer of another plan "Q" and a buyer whose link was revoked.
 */
export const ACTORS = ["anon", "owner", "otherRep", "manager", "otherManager", "admin", "foreignAdmin", "buyer", "otherBuyer", "revokedBuyer"] as const;
export type ActorName = (typeof ACTORS)[number];
/** The owner's chat channel's name: only the owner and the admin may see it. */
export const CHAT_CHANNEL_LABEL = "#owner-deals-safety";
export const SELLER_ACTORS = ["owner", "otherRep", "manager", "otherManager", "admin", "foreignAdmin"] as const satisfies readonly ActorName[];

/** Names no other fixture uses, so a page that shows them has shown plan P. */
export const P_COMPANY = "Quillfeather Matrix Holdings";
export const Q_COMPANY = "Bramblewick Quarry Partners";
export const F_COMPANY = "Foreignia Widgets";

export interface World {
  db: Kysely<DB>;
  origin: string;
  today: string;
  orgId: string;
  foreignOrgId: string;
  users: { owner: string; otherRep: string; manager: string; otherManager: string; otherTeamRep: string; admin: string; foreignAdmin: string };
  emails: { otherManager: string; otherTeamRep: string; foreignAdmin: string };
  /** rep1's plan, with a live buyer link (the "buyer") and a revoked one. */
  planP: string;
  /** Another plan of the organisation (rep2's), with its own buyer. */
  planQ: string;
  /** The other organisation's plan. */
  planF: string;
  milestoneP: string;
  buyerMilestoneP: string;
  milestoneQ: string;
  stakeholderP: string;
  stakeholderQ: string;
  linkQ: string;
  templateByAdmin: string;
  templateByOwner: string;
  foreignTemplate: string;
  tokens: { live: string; revoked: string; other: string; all: string[] };
  /** A rep's calendar feed token (of a rep who is not an actor, so rotating actors' feeds does not touch it). */
  feedToken: string;
  /** A signed email-preference token for rep1's address. */
  preferenceToken: string;
  /** An email in the organisation's outbox (for the dev mailbox). */
  mailboxEmailId: string;
  /** The live and the revoked link of plan P, and the signed pointer later emails carry instead of a token. */
  linkP: string;
  revokedLinkP: string;
  openLinkToken: string;
  /** API bearer tokens: this organisation's (read only), and the other organisation's (read and write). */
  apiTokens: { read: string; foreign: string };
  /** A webhook endpoint of this organisation (disabled, on an address that never resolves). */
  webhookEndpointId: string;
  /** The owner's own chat channel (Slack, turned off). */
  chatChannelId: string;
  /** A stored file version on plan P (resources, ADR 035). */
  fileVersionP: string;
  /** Cookie header per actor ("" for anonymous). */
  cookies: Record<ActorName, string>;
  seller(actor: (typeof SELLER_ACTORS)[number]): PlanActor;
  /** A new, separate session for a seller actor (for requests that end the session). */
  freshCookie(actor: ActorName): Promise<string>;
}

async function signIn(origin: string, email: string): Promise<string> {
  const client = new TestClient(origin);
  const response = await client.login(email, DEMO_PASSWORD);
  if (response.status !== 302) throw new Error(`could not sign ${email} in: ${response.status}`);
  return client.cookieHeader;
}

/** Opens a link like a buyer: confirm who you are, keep the device cookie. */
export async function buyerCookieFor(origin: string, token: string, person = { name: "Test Buyer", email: "buyer@matrix.example" }) {
  const client = new TestClient(origin);
  const page = await client.get(`/s/${token}`);
  if (page.status !== 200) throw new Error(`link did not open: ${page.status}`);
  const confirm = await client.post(`/s/${token}`, person);
  if (confirm.status !== 302) throw new Error(`could not confirm the buyer: ${confirm.status}`);
  return client.cookieHeader;
}

export async function clearLinkThrottle(db: Kysely<DB>) {
  await db
    .deleteFrom("auth_throttle")
    .where((eb) => eb.or([eb("key", "like", "link-ip:%"), eb("key", "like", "sso-ip:%")]))
    .execute();
}

export async function buildWorld(db: Kysely<DB>, origin: string): Promise<World> {
  const now = new Date();
  const today = todayIn("UTC", now);
  const seeded = await seedDemo(db, today, now);
  const orgId = seeded.orgId;
  const byEmail = async (email: string) => (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const emails = { otherManager: "manager2@demo.example", otherTeamRep: "rep3@demo.example", foreignAdmin: "admin@foreignia.example" };
  const otherManager = await createUser(db, { orgId, email: emails.otherManager, name: "Noor Haddad", role: "manager", passwordHash });
  const otherTeamRep = await createUser(db, { orgId, email: emails.otherTeamRep, name: "Tomas Lind", role: "rep", managerId: otherManager.id, passwordHash });
  const foreignOrg = await createOrganisation(db, { name: "Foreignia" });
  const foreignAdmin = await createUser(db, { orgId: foreignOrg.id, email: emails.foreignAdmin, name: "Fenna Vos", role: "admin", passwordHash });
  const users = {
    owner: await byEmail(DEMO_LOGINS.rep1),
    otherRep: await byEmail(DEMO_LOGINS.rep2),
    manager: await byEmail(DEMO_LOGINS.manager),
    otherManager: otherManager.id,
    otherTeamRep: otherTeamRep.id,
    admin: await byEmail(DEMO_LOGINS.admin),
    foreignAdmin: foreignAdmin.id,
  };
  const names: Record<string, string> = {};
  for (const u of await db.selectFrom("users").select(["id", "name"]).execute()) names[u.id] = u.name;
  const sellerActor = (userId: string): PlanActor => ({ side: "seller", name: names[userId], userId });

  const enterprise = await db
    .selectFrom("templates")
    .select("id")
    .where("org_id", "=", orgId)
    .where("name", "=", "Enterprise purchase")
    .executeTakeFirstOrThrow();
  const goLive = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const newPlan = (owner: string, org: string, company: string, champion: { name: string; email: string }, templateId: string | null) =>
    createPlan(
      db,
      {
        orgId: org,
        ownerId: owner,
        buyerCompany: company,
        title: "Safety suite plan",
        value: 77_000,
        currency: "USD",
        goLive: goLive(120),
        crmCloseDate: goLive(60),
        templateId,
        stakeholders: [
          { side: "buyer", ...champion },
          { side: "buyer", name: "Second Buyer", email: `second@${company.split(" ")[0].toLowerCase()}.example` },
        ],
      },
      sellerActor(owner),
      today,
    );
  const p = await newPlan(users.owner, orgId, P_COMPANY, { name: "Petra Quill", email: "petra@quillfeather.example" }, enterprise.id);
  const q = await newPlan(users.otherRep, orgId, Q_COMPANY, { name: "Quentin Bramble", email: "quentin@bramblewick.example" }, enterprise.id);
  const foreignTemplate = await db.transaction().execute((trx) =>
    createTemplate(trx, {
      orgId: foreignOrg.id,
      name: "Foreignia template",
      createdBy: foreignAdmin.id,
      milestones: [{ key: "a", title: "Foreign step", ownerSide: "joint", durationDays: 1 }],
    }),
  );
  const f = await newPlan(users.foreignAdmin, foreignOrg.id, F_COMPANY, { name: "Frida Foreign", email: "frida@foreignia.example" }, foreignTemplate.id);

  const stakeholders = (planId: string) => db.selectFrom("stakeholders").select(["id", "email"]).where("plan_id", "=", planId).orderBy("email").execute();
  const [pPeople, qPeople] = [await stakeholders(p.plan.id), await stakeholders(q.plan.id)];
  const champion = (people: Array<{ id: string; email: string }>) => people.find((s) => !s.email.startsWith("second@"))!.id;
  const second = (people: Array<{ id: string; email: string }>) => people.find((s) => s.email.startsWith("second@"))!.id;
  const editor = (userId: string) => ({ actor: sellerActor(userId), today, viewer: { id: userId, orgId, role: "rep" as const } });

  const live = await createLinkForStakeholder(db, editor(users.owner), orgId, p.plan.id, champion(pPeople), 30, now);
  const revoked = await createLinkForStakeholder(db, editor(users.owner), orgId, p.plan.id, second(pPeople), 30, now);
  const other = await createLinkForStakeholder(db, editor(users.otherRep), orgId, q.plan.id, champion(qPeople), 30, now);

  const cookies = { anon: "" } as Record<ActorName, string>;
  cookies.owner = await signIn(origin, DEMO_LOGINS.rep1);
  cookies.otherRep = await signIn(origin, DEMO_LOGINS.rep2);
  cookies.manager = await signIn(origin, DEMO_LOGINS.manager);
  cookies.otherManager = await signIn(origin, emails.otherManager);
  cookies.admin = await signIn(origin, DEMO_LOGINS.admin);
  cookies.foreignAdmin = await signIn(origin, emails.foreignAdmin);
  cookies.buyer = await buyerCookieFor(origin, live.token, { name: "Petra Quill", email: "petra@quillfeather.example" });
  cookies.otherBuyer = await buyerCookieFor(origin, other.token, { name: "Quentin Bramble", email: "quentin@bramblewick.example" });
  cookies.revokedBuyer = await buyerCookieFor(origin, revoked.token, { name: "Second Buyer", email: "second@quillfeather.example" });
  await revokeLink(db, editor(users.owner), orgId, p.plan.id, revoked.linkId, now);

  const firstMilestone = async (planId: string, side?: "buyer") => {
    let query = db.selectFrom("milestones").select("id").where("plan_id", "=", planId);
    if (side) query = query.where("owner_side", "=", side);
    return (await query.orderBy("position").executeTakeFirstOrThrow()).id;
  };
  const templateByOwner = await db.transaction().execute((trx) =>
    createTemplate(trx, {
      orgId,
      name: "Owner's own template",
      createdBy: users.owner,
      milestones: [{ key: "a", title: "Owner step", ownerSide: "seller", durationDays: 1 }],
    }),
  );
  const feedToken = await ensureFeed(db, repFeedOwner(orgId, users.otherTeamRep), now);
  const preferenceToken = signPreferenceToken({ orgId, email: DEMO_LOGINS.rep1, audience: "seller" });
  const mailboxEmailId = (
    await db
      .insertInto("email_outbox")
      .values({
        org_id: orgId,
        kind: "due_soon",
        to_address: DEMO_LOGINS.rep1,
        to_name: "Sam Okafor",
        subject: "Safety suite mailbox probe",
        html: "<p>Probe</p>",
        text: "Probe",
        headers: JSON.stringify({}),
        message_id: `<probe-${Date.now()}@safety.example>`,
        status: "dev_mailbox",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const apiTokens = {
    read: (await createApiToken(db, { orgId, name: "Safety suite (read)", scope: "read", createdBy: users.admin })).token,
    foreign: (await createApiToken(db, { orgId: foreignOrg.id, name: "Foreignia (write)", scope: "read_write", createdBy: users.foreignAdmin })).token,
  };
  const webhook = await createWebhookEndpoint(db, {
    orgId,
    url: "https://hooks.example.invalid/safety-suite",
    events: ["plan.go_live_confirmed"],
    createdBy: users.admin,
  });
  await setWebhookEndpointActive(db, orgId, webhook.id, false);
  // The owner's own Slack channel (ADR 045), off: nothing is ever sent to it.
  const chatChannel = await createWebhookEndpoint(db, {
    orgId,
    url: "https://hooks.slack.com/services/T0SAFETY/B0SAFETY/safety-suite",
    events: ["plan.closed"],
    createdBy: users.owner,
    chat: { kind: "slack", ownerId: users.owner, label: CHAT_CHANNEL_LABEL },
  });
  await setWebhookEndpointActive(db, orgId, chatChannel.id, false, { chat: true, ownerId: null });
  const fileOfP = await db
    .insertInto("resources")
    .values({
      org_id: orgId,
      plan_id: p.plan.id,
      milestone_id: null,
      kind: "file",
      title: "Matrix file",
      url: null,
      added_by_name: "Sam Okafor",
      added_by_side: "seller",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const fileVersionP = (
    await db
      .insertInto("resource_versions")
      .values({
        org_id: orgId,
        resource_id: fileOfP.id,
        version_no: 1,
        file_name: "matrix.txt",
        content_type: "text/plain",
        size_bytes: 6,
        sha256: "",
        uploaded_by_name: "Sam Okafor",
        uploaded_by_side: "seller",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  await db
    .insertInto("resource_chunks")
    .values({ org_id: orgId, version_id: fileVersionP, n: 0, data: Buffer.from("matrix") })
    .execute();
  const loginOf: Partial<Record<ActorName, string>> = {
    owner: DEMO_LOGINS.rep1,
    otherRep: DEMO_LOGINS.rep2,
    manager: DEMO_LOGINS.manager,
    otherManager: emails.otherManager,
    admin: DEMO_LOGINS.admin,
    foreignAdmin: emails.foreignAdmin,
  };

  return {
    db,
    origin,
    today,
    orgId,
    foreignOrgId: foreignOrg.id,
    users,
    emails,
    planP: p.plan.id,
    planQ: q.plan.id,
    planF: f.plan.id,
    milestoneP: await firstMilestone(p.plan.id),
    buyerMilestoneP: await firstMilestone(p.plan.id, "buyer"),
    milestoneQ: await firstMilestone(q.plan.id, "buyer"),
    stakeholderP: champion(pPeople),
    stakeholderQ: champion(qPeople),
    linkQ: other.linkId,
    templateByAdmin: enterprise.id,
    templateByOwner: templateByOwner.id,
    foreignTemplate: foreignTemplate.id,
    tokens: {
      live: live.token,
      revoked: revoked.token,
      other: other.token,
      all: [live.token, revoked.token, other.token, ...(seeded.buyerLinkToken ? [seeded.buyerLinkToken] : [])],
    },
    feedToken,
    preferenceToken,
    mailboxEmailId,
    apiTokens,
    webhookEndpointId: webhook.id,
    chatChannelId: chatChannel.id,
    fileVersionP,
    linkP: live.linkId,
    revokedLinkP: revoked.linkId,
    openLinkToken: signOpenLinkToken(orgId, live.linkId),
    cookies,
    seller: (actor) => sellerActor(users[actor]),
    freshCookie: async (actor) => (loginOf[actor] ? signIn(origin, loginOf[actor]!) : cookies[actor]),
  };
}

/**
 * A cheap fingerprint of everything a request could change: the log, plans, templates, team,
 * buyer devices. Equal before and after a refused request means it wrote nothing.
 */
export async function stateFingerprint(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ f: string }>`
    select concat_ws('|',
      (select count(*) from plan_events),
      (select count(*) from plans),
      (select coalesce(string_agg(id::text || ':' || version::text, ',' order by id), '') from plans),
      (select coalesce(string_agg(id::text || ':' || version::text || ':' || coalesce(completed_on::text, '-'), ',' order by id), '') from milestones),
      (select count(*) from comments),
      (select count(*) from stakeholders),
      (select coalesce(string_agg(id::text || ':' || coalesce(revoked_at::text, '-') || ':' || expires_at::text, ',' order by id), '') from share_links),
      (select coalesce(string_agg(id::text || ':' || updated_at::text, ',' order by id), '') from templates),
      (select coalesce(string_agg(id::text || ':' || role || ':' || coalesce(manager_id::text, '-'), ',' order by id), '') from users),
      (select count(*) from buyer_sessions)
    ) as f`.execute(db);
  return rows[0].f;
}
