import { createHash, randomUUID } from "node:crypto";
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contrastRatio, formatRatio, logoPath } from "~/domain/branding";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { InviteEmail } from "../../emails/invite";
import { renderEmail } from "../../emails/render";
import { testDatabaseTargets } from "../support/databases";
import { testToday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";
import { solidPng } from "../support/images";

const ACCENT = "#0b6e4f";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The settings form as a browser without JavaScript posts it: multipart, the file as a part. */
function postBranding(client: TestClient, fields: Record<string, string>, file?: { bytes: Uint8Array; name: string; type: string }) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set("logo", file ? new Blob([new Uint8Array(file.bytes)], { type: file.type }) : new Blob([], { type: "application/octet-stream" }), file?.name ?? "");
  return client.request("/settings/branding", { method: "POST", body: form, headers: { Origin: client.origin } });
}

const text = async (response: Response) => (await response.text()).replace(/<!-- -->/g, "");

describe.each(testDatabaseTargets())("branding on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: TestClient;
  let rep: TestClient;
  let orgId: string;
  let orgName: string;
  let planId: string;
  const today = testToday();
  const logo = solidPng(240, 60);

  const stored = () => database.db.selectFrom("organisation_branding").selectAll().where("org_id", "=", orgId).executeTakeFirst();

  /** The rep shares the plan with its buyer champion (an invitation is queued), who opens it on a fresh device. */
  async function buyerOnPlan() {
    const champion = await database.db
      .selectFrom("stakeholders")
      .select(["id", "name", "email"])
      .where("plan_id", "=", planId)
      .where("side", "=", "buyer")
      .orderBy("created_at")
      .executeTakeFirstOrThrow();
    const created = await rep.post(`/plans/${planId}`, { intent: "create-link", stakeholderId: champion.id, days: "30" });
    expect(created.status).toBe(302);
    const url = (await (await rep.get(created.headers.get("location")!)).text()).match(/value="(http[^"]+\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})"/);
    expect(url).not.toBeNull();
    const linkPath = new URL(url![1]).pathname;
    const buyer = new TestClient(server.origin);
    const landing = await buyer.get(linkPath);
    expect(landing.status).toBe(200);
    const landingPage = await text(landing);
    expect((await buyer.post(linkPath, { name: champion.name, email: champion.email })).status).toBe(302);
    return { buyer, landingPage };
  }

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, today);
    server = await startTestServer(database.db, database.kind);
    admin = new TestClient(server.origin);
    await admin.login(DEMO_LOGINS.admin, DEMO_PASSWORD);
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const org = await database.db.selectFrom("organisations").select(["id", "name"]).executeTakeFirstOrThrow();
    orgId = org.id;
    orgName = org.name;
    const plan = await database.db
      .selectFrom("plans as p")
      .innerJoin("users as u", (j) => j.onRef("u.org_id", "=", "p.org_id").onRef("u.id", "=", "p.owner_id"))
      .select("p.id")
      .where("u.email", "=", DEMO_LOGINS.rep1)
      .where("p.status", "=", "active")
      .orderBy("p.created_at")
      .executeTakeFirstOrThrow();
    planId = plan.id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("is an administrator's page: a rep gets 403 and changes nothing; a visitor is sent to sign in", async () => {
    expect((await rep.get("/settings/branding")).status).toBe(403);
    expect((await postBranding(rep, { intent: "save", accent: ACCENT }, { bytes: logo, name: "logo.png", type: "image/png" })).status).toBe(403);
    expect(await stored()).toBeUndefined();
    const visitor = await new TestClient(server.origin).get("/settings/branding");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toContain("/login");
    const page = await text(await admin.get("/settings/branding"));
    expect(page).toContain("Branding");
    expect(page).toContain('href="/settings/branding"'); // in the settings navigation
  });

  it("refuses a colour that fails WCAG AA on white: 400, the ratio and what to do, the value kept, nothing stored", async () => {
    const response = await postBranding(admin, { intent: "save", accent: "#999999" });
    expect(response.status).toBe(400);
    const page = await text(response);
    expect(page).toContain(formatRatio(contrastRatio("#999999", "#ffffff")));
    expect(page).toContain("Pick a darker colour");
    expect(page).toContain('value="#999999"');
    const notHex = await postBranding(admin, { intent: "save", accent: "teal" });
    expect(notHex.status).toBe(400);
    expect(await text(notHex)).toContain("not a hex colour");
    expect(await stored()).toBeUndefined();
  });

  it("refuses a logo of the wrong type (whatever its name says), too big, or too many pixels; the colour typed is kept", async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');
    const asPng = await postBranding(admin, { intent: "save", accent: ACCENT }, { bytes: svg, name: "logo.png", type: "image/png" });
    expect(asPng.status).toBe(400);
    const page = await text(asPng);
    expect(page).toContain("SVG logos are not accepted");
    expect(page).toContain(`value="${ACCENT}"`);
    const pdf = await postBranding(admin, { intent: "save" }, { bytes: new TextEncoder().encode("%PDF-1.7\n"), name: "logo.webp", type: "image/webp" });
    expect(pdf.status).toBe(400);
    expect(await text(pdf)).toContain("not a PNG, JPEG or WebP");

    const big = new Uint8Array(600 * 1024);
    big.set(logo);
    const tooBig = await postBranding(admin, { intent: "save" }, { bytes: big, name: "big.png", type: "image/png" });
    expect(tooBig.status).toBe(400);
    expect(await text(tooBig)).toContain("a logo may be at most 512 KB");
    const huge = await postBranding(admin, { intent: "save" }, { bytes: solidPng(3000, 2), name: "wide.png", type: "image/png" });
    expect(huge.status).toBe(400);
    expect(await text(huge)).toContain("3000×2 pixels");
    expect(await stored()).toBeUndefined();
  });

  it("saves a colour and a logo, then says so once; the logo is served by its hash, as an image that cannot be sniffed into anything else", async () => {
    const saved = await postBranding(admin, { intent: "save", accent: ACCENT.toUpperCase() }, { bytes: logo, name: "../../etc/logo.png", type: "text/html" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe("/settings/branding");
    const page = await text(await admin.get("/settings/branding"));
    expect(page).toContain("Branding saved");
    expect(page).toContain(`value="${ACCENT}"`);
    expect(await text(await admin.get("/settings/branding"))).not.toContain("Branding saved");

    const row = await stored();
    expect(row).toMatchObject({ accent_colour: ACCENT, logo_type: "image/png", logo_sha256: sha256(logo), logo_width: 240, logo_height: 60 });
    const served = await new TestClient(server.origin).get(logoPath(orgId, sha256(logo)));
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toContain("immutable");
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
    expect(Buffer.from(await served.arrayBuffer()).equals(logo)).toBe(true);

    // Only this organisation's current logo, by its own address.
    expect((await admin.get(logoPath(randomUUID(), sha256(logo)))).status).toBe(404);
    expect((await admin.get(logoPath(orgId, sha256(new Uint8Array([1]))))).status).toBe(404);
    expect((await admin.get(`/logo/${orgId}/not-a-hash`)).status).toBe(404);

    // Saving the colour alone keeps the logo.
    expect((await postBranding(admin, { intent: "save", accent: ACCENT })).status).toBe(302);
    expect((await stored())?.logo_sha256).toBe(sha256(logo));
  });

  it("puts the logo (named by the organisation) and the accent on the buyer's page, and both in the invitation email", async () => {
    const { buyer, landingPage } = await buyerOnPlan();
    const page = await text(await buyer.get(`/p/${planId}`));
    for (const html of [page, landingPage]) {
      expect(html).toContain(`src="${logoPath(orgId, sha256(logo))}"`);
      expect(html).toContain(`alt="${orgName}"`);
      expect(html).toContain(`--color-brand-600:${ACCENT}`);
    }

    const invite = await database.db
      .selectFrom("email_outbox")
      .select(["html"])
      .where("plan_id", "=", planId)
      .where("kind", "=", "invite")
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect(invite.html).toMatch(new RegExp(`<img[^>]+src="https?://[^"]+${logoPath(orgId, sha256(logo))}"[^>]*alt="${orgName}"`));
    expect(invite.html).toContain(`background-color:${ACCENT}`);
  });

  it("goes back to the defaults: the logo removed (its address then finds nothing), the colour reset", async () => {
    expect((await postBranding(admin, { intent: "remove-logo" })).status).toBe(302);
    expect((await postBranding(admin, { intent: "reset-colour" })).status).toBe(302);
    expect(await stored()).toMatchObject({ accent_colour: null, logo: null, logo_sha256: null });
    expect((await admin.get(logoPath(orgId, sha256(logo)))).status).toBe(404);
    const { buyer } = await buyerOnPlan();
    const page = await text(await buyer.get(`/p/${planId}`));
    expect(page).not.toContain("/logo/");
    // The buyer's pages carry the stylesheet inline (ADR 041), with the default brand scale in it:
    // what must be gone is the organisation's accent.
    expect(page).not.toContain(ACCENT);
    expect(page).not.toContain(`--color-brand-600:${ACCENT}`);
  });
});

describe("branded email rendering", () => {
  const props = {
    recipientName: "Marcus Webb",
    inviterName: "Sam Okafor",
    sellerName: "Northwind Analytics",
    buyerCompany: "Globex Health",
    planTitle: "Clinical reporting suite",
    goLive: "2030-03-01",
    linkUrl: "https://plans.example/s/token",
    linkExpiresOn: "2030-02-01",
    today: "2030-01-02",
    footer: { reason: "Because." },
  };

  it("shows the logo as an absolute image named by the organisation, and the accent on the button", async () => {
    const brand = { name: "Northwind Analytics", accent: ACCENT, logoUrl: `https://plans.example${logoPath(randomUUID(), "a".repeat(64))}` };
    const { html, text } = await renderEmail("Invite", createElement(InviteEmail, { ...props, brand }));
    expect(html).toContain(`src="${brand.logoUrl}"`);
    expect(html).toContain('alt="Northwind Analytics"');
    expect(html).toMatch(new RegExp(`href="https://plans.example/s/token"[^>]*style="[^"]*background-color:${ACCENT}`));
    expect(text).toContain("https://plans.example/s/token");
  });

  it("keeps the Plan Together name and colour when the organisation set none", async () => {
    const { html } = await renderEmail("Invite", createElement(InviteEmail, { ...props, brand: { name: "Northwind Analytics", accent: null, logoUrl: null } }));
    expect(html).toContain("Plan Together");
    expect(html).not.toContain("<img");
    expect(html).toContain("background-color:#2459b8");
  });
});
