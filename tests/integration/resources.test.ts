import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { buyerCookieName } from "~/models/buyer-access.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { testToday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";

/*
 * Files and links on a plan over HTTP (issue 22, ADR 035): uploads streamed into the database in
 * chunks, the limits and what a refused upload leaves (nothing), type sniffing, versions, the
 * download's headers and who may download.
 */
const KB = 1024;
// Small limits so a test file crosses them; the file limit still spans two stored chunks.
const LIMITS = { fileBytes: 300 * KB, orgQuotaBytes: 50 * 1024 * KB };

/** Bytes that are not text and not any sniffed format, of a given size, differing per seed. */
function noise(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  out[0] = 0;
  return out;
}

const pdf = (size: number, seed = 1) => {
  const bytes = noise(size, seed);
  bytes.set(Buffer.from("%PDF-1.7\n"), 0);
  return bytes;
};

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe.each(testDatabaseTargets())("resources on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let rep: TestClient;
  let planId: string;
  let otherPlanId: string;
  let orgId: string;
  const today = testToday();

  /** Posts a multipart form the way the page's form does: the fields first, then the file. */
  function upload(
    client: TestClient,
    path: string,
    fields: Record<string, string>,
    file: { name: string; bytes: Uint8Array<ArrayBuffer> },
    origin = server.origin,
  ) {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append("file", new Blob([file.bytes]), file.name);
    return client.request(path, { method: "POST", body: form, headers: { Origin: origin } });
  }

  async function counts() {
    const count = async (table: "resources" | "resource_versions" | "resource_chunks") =>
      Number(
        (
          await database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { resources: await count("resources"), versions: await count("resource_versions"), chunks: await count("resource_chunks") };
  }

  const latestVersion = () =>
    database.db
      .selectFrom("resource_versions as v")
      // On the organisation's key too: Citus joins co-located tables only on it.
      .innerJoin("resources as r", (j) => j.onRef("r.org_id", "=", "v.org_id").onRef("r.id", "=", "v.resource_id"))
      .where("v.org_id", "=", orgId)
      .select(["v.id", "v.resource_id", "v.version_no", "v.content_type", "v.file_name", "v.size_bytes", "r.milestone_id", "r.title"])
      .orderBy("v.created_at", "desc")
      .executeTakeFirstOrThrow();

  const events = (action: string) =>
    database.db.selectFrom("plan_events").select(["actor_side", "changes"]).where("plan_id", "=", planId).where("action", "=", action).execute();

  async function buyerFor(forPlan: string) {
    const champion = await database.db
      .selectFrom("stakeholders")
      .select("id")
      .where("plan_id", "=", forPlan)
      .where("side", "=", "buyer")
      .executeTakeFirstOrThrow();
    const created = await rep.post(`/plans/${forPlan}`, { intent: "create-link", stakeholderId: champion.id, days: "30" });
    expect(created.status).toBe(302);
    const page = await (await rep.get(created.headers.get("location")!)).text();
    const linkPath = new URL(page.match(/value="(http[^"]+\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})"/)![1]).pathname;
    const buyer = new TestClient(server.origin);
    expect((await buyer.get(linkPath)).status).toBe(200);
    expect((await buyer.post(linkPath, { name: "Dana Lee", email: "dana.lee@example.com" })).status).toBe(302);
    return buyer;
  }

  beforeAll(async () => {
    database = await target.open();
    await seedDemo(database.db, today);
    server = await startTestServer(database.db, database.kind, [], { uploadLimits: LIMITS });
    rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const plans = await database.db
      .selectFrom("plans")
      .select(["id", "org_id", "buyer_company"])
      .where("buyer_company", "in", ["Globex Health", "Initech"])
      .execute();
    planId = plans.find((p) => p.buyer_company === "Globex Health")!.id;
    otherPlanId = plans.find((p) => p.buyer_company === "Initech")!.id;
    orgId = plans[0].org_id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("stores a rep's upload in chunks and serves it back byte for byte, as an attachment that is never sniffed", async () => {
    const bytes = pdf(290 * KB);
    const before = await database.db.selectFrom("plans").select("version").where("id", "=", planId).executeTakeFirstOrThrow();
    const response = await upload(
      rep,
      `/plans/${planId}/resources`,
      { from: "plan", milestoneId: "", title: "Order form" },
      { name: "../Order form (signed).pdf", bytes },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/plans/${planId}#resources`);
    const version = await latestVersion();
    expect(version).toMatchObject({ content_type: "application/pdf", file_name: "Order form (signed).pdf", size_bytes: bytes.length, title: "Order form" });
    const chunks = await database.db.selectFrom("resource_chunks").select("n").where("version_id", "=", version.id).orderBy("n").execute();
    expect(chunks.map((c) => c.n)).toEqual([0, 1]);

    const page = await (await rep.get(`/plans/${planId}`)).text();
    expect(page).toContain(`/plans/${planId}/files/${version.id}`);

    const download = await rep.get(`/plans/${planId}/files/${version.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(download.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(download.headers.get("content-disposition")).toBe(
      `attachment; filename="Order form (signed).pdf"; filename*=UTF-8''Order%20form%20%28signed%29.pdf`,
    );
    expect(sha(new Uint8Array(await download.arrayBuffer()))).toBe(sha(bytes));

    expect((await events("resource.added")).length).toBeGreaterThanOrEqual(1);
    expect(await events("resource.downloaded")).toHaveLength(1);
    // Neither an upload nor a download is an edit of the plan's fields: no form holding the plan's version goes stale.
    const after = await database.db.selectFrom("plans").select("version").where("id", "=", planId).executeTakeFirstOrThrow();
    expect(after.version).toBe(before.version);
    const activity = await (await rep.get(`/plans/${planId}`)).text();
    expect(activity).toContain("uploaded “Order form”");
    expect(activity).toContain("downloaded “Order form”");
  });

  it("keeps every version when a new one is uploaded, each downloadable", async () => {
    const first = await latestVersion();
    const second = pdf(10 * KB, 2);
    const response = await upload(
      rep,
      `/plans/${planId}/resources`,
      { from: "plan", resourceId: first.resource_id },
      { name: "Order form v2.pdf", bytes: second },
    );
    expect(response.status).toBe(302);
    const versions = await database.db
      .selectFrom("resource_versions")
      .select(["id", "version_no"])
      .where("resource_id", "=", first.resource_id)
      .orderBy("version_no")
      .execute();
    expect(versions.map((v) => v.version_no)).toEqual([1, 2]);
    expect((await rep.get(`/plans/${planId}/files/${versions[0].id}`)).status).toBe(200);
    expect(sha(new Uint8Array(await (await rep.get(`/plans/${planId}/files/${versions[1].id}`)).arrayBuffer()))).toBe(sha(second));
    const page = await (await rep.get(`/plans/${planId}`)).text();
    expect(page).toContain("Earlier versions (1)");
    expect(await events("resource.version_added")).toHaveLength(1);
  });

  it("never serves a file named .pdf that holds HTML as HTML or as a PDF", async () => {
    const html = new TextEncoder().encode("<!doctype html><html><script>alert(document.cookie)</script></html>");
    expect((await upload(rep, `/plans/${planId}/resources`, { from: "plan", milestoneId: "" }, { name: "invoice.pdf", bytes: html })).status).toBe(302);
    const version = await latestVersion();
    expect(version.content_type).toBe("application/octet-stream");
    const download = await rep.get(`/plans/${planId}/files/${version.id}`);
    expect(download.headers.get("content-type")).toBe("application/octet-stream");
    expect(download.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(download.headers.get("content-security-policy")).toContain("sandbox");
  });

  it("refuses a file over the size limit with a 413 that says so, and keeps nothing of it", async () => {
    const before = await counts();
    // Within the address's body limit, so the upload itself counts the file's bytes and stops.
    const justOver = await upload(rep, `/plans/${planId}/resources`, { from: "plan", milestoneId: "" }, { name: "big.pdf", bytes: pdf(LIMITS.fileBytes + 1) });
    expect(justOver.status).toBe(413);
    expect(await justOver.text()).toContain("larger than 300 kB");
    // Far over: the body limit refuses it from its declared length, before a byte is read.
    const farOver = await upload(rep, `/plans/${planId}/resources`, { from: "plan", milestoneId: "" }, { name: "huge.pdf", bytes: pdf(LIMITS.fileBytes * 2) });
    expect(farOver.status).toBe(413);
    expect(await farOver.text()).toContain("larger than");
    expect(await counts()).toEqual(before);
    // Other addresses keep their own, smaller limit.
    const elsewhere = await upload(rep, `/plans/${planId}`, { intent: "comment", body: "x" }, { name: "a.pdf", bytes: pdf(1024 * KB + 1) });
    expect(elsewhere.status).toBe(413);
  });

  it("refuses an upload that would take the organisation past its quota, and keeps nothing of it", async () => {
    const used = Number(
      (
        await database.db
          .selectFrom("resource_versions")
          .select((eb) => eb.fn.sum<number>("size_bytes").as("used"))
          .where("org_id", "=", orgId)
          .executeTakeFirstOrThrow()
      ).used,
    );
    const tight = await startTestServer(database.db, database.kind, [], { uploadLimits: { fileBytes: LIMITS.fileBytes, orgQuotaBytes: used + 20 * KB } });
    try {
      const client = new TestClient(tight.origin);
      await client.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
      const before = await counts();
      const response = await upload(
        client,
        `/plans/${planId}/resources`,
        { from: "plan", milestoneId: "" },
        { name: "dpa.pdf", bytes: pdf(30 * KB) },
        tight.origin,
      );
      expect(response.status).toBe(413);
      expect(await response.text()).toContain("of storage");
      expect(await counts()).toEqual(before);
      // What still fits is taken.
      const small = await upload(
        client,
        `/plans/${planId}/resources`,
        { from: "plan", milestoneId: "" },
        { name: "note.txt", bytes: new TextEncoder().encode("fits") },
        tight.origin,
      );
      expect(small.status).toBe(302);
    } finally {
      await tight.close();
    }
  });

  it("lets a buyer upload to a milestone that asks for it; the rep sees it attached and downloads it", async () => {
    const milestone = await database.db
      .selectFrom("milestones")
      .select(["id", "title"])
      .where("plan_id", "=", planId)
      .where("owner_side", "=", "buyer")
      .orderBy("position")
      .executeTakeFirstOrThrow();
    const asked = await rep.post(`/plans/${planId}/resources`, { intent: "require", milestoneId: milestone.id, label: "the signed DPA", from: "plan" });
    expect(asked.status).toBe(302);
    const buyer = await buyerFor(planId);
    const buyerPage = await (await buyer.get(`/p/${planId}`)).text();
    expect(buyerPage).toContain("Needs: the signed DPA");
    expect(buyerPage).toContain("Missing");

    await database.db.updateTable("plans").set({ last_buyer_activity_at: null }).where("id", "=", planId).execute();
    const bytes = pdf(40 * KB, 7);
    const response = await upload(buyer, `/p/${planId}/resources`, { from: "plan", milestoneId: milestone.id, title: "" }, { name: "DPA signed.pdf", bytes });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/p/${planId}#m-${milestone.id}`);
    const plan = await database.db.selectFrom("plans").select("last_buyer_activity_at").where("id", "=", planId).executeTakeFirstOrThrow();
    expect(plan.last_buyer_activity_at).not.toBeNull();

    const version = await latestVersion();
    expect(version.milestone_id).toBe(milestone.id);
    const repPage = await (await rep.get(`/plans/${planId}`)).text();
    expect(repPage).toContain("Attached");
    expect(repPage).toContain(`uploaded “DPA signed.pdf” on “${milestone.title}”`);
    const download = await rep.get(`/plans/${planId}/files/${version.id}`);
    expect(sha(new Uint8Array(await download.arrayBuffer()))).toBe(sha(bytes));

    // The resources pages list it too, for both sides.
    expect(await (await buyer.get(`/p/${planId}/resources`)).text()).toContain("DPA signed.pdf");
    expect(await (await rep.get(`/plans/${planId}/resources`)).text()).toContain("DPA signed.pdf");
    // The buyer downloads too, and that is buyer activity.
    expect((await buyer.get(`/p/${planId}/files/${version.id}`)).status).toBe(200);
    expect((await events("resource.downloaded")).some((e) => e.actor_side === "buyer")).toBe(true);
  });

  it("answers 404 to a visitor without the plan's link, a buyer of another plan, a withdrawn link and another organisation", async () => {
    const version = await latestVersion();
    const path = `/p/${planId}/files/${version.id}`;
    expect((await new TestClient(server.origin).get(path)).status).toBe(404);

    // Another plan's buyer, with their device token put under this plan's cookie name.
    const other = await buyerFor(otherPlanId);
    const token = other.cookie(buyerCookieName(otherPlanId))!;
    expect((await new TestClient(server.origin).get(path, { headers: { Cookie: `${buyerCookieName(planId)}=${token}` } })).status).toBe(404);
    // And through their own plan's address: the file is not on that plan.
    expect((await other.get(`/p/${otherPlanId}/files/${version.id}`)).status).toBe(404);

    const buyer = await buyerFor(planId);
    expect((await buyer.get(path)).status).toBe(200);
    const link = await database.db.selectFrom("share_links").select("id").where("plan_id", "=", planId).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect((await rep.post(`/plans/${planId}`, { intent: "revoke-link", linkId: link.id })).status).toBe(302);
    expect((await buyer.get(path)).status).toBe(404);
    const refusedUpload = await upload(buyer, `/p/${planId}/resources`, { from: "plan", milestoneId: "" }, { name: "x.pdf", bytes: pdf(KB) });
    expect(refusedUpload.status).toBe(404);

    const stranger = new TestClient(server.origin);
    const signup = await stranger.post("/signup", {
      organisation: "Elsewhere Ltd",
      name: "Ella Where",
      email: `ella-${Date.now()}@elsewhere.example`,
      password: "a long enough password",
    });
    expect(signup.status).toBe(302);
    expect((await stranger.get(`/plans/${planId}/files/${version.id}`)).status).toBe(404);
    const strangerUpload = await upload(stranger, `/plans/${planId}/resources`, { from: "plan", milestoneId: "" }, { name: "x.pdf", bytes: pdf(KB) });
    expect(strangerUpload.status).toBe(404);
  });

  it("shares https links only, and keeps what was typed when refusing one", async () => {
    const refused = await rep.post(`/plans/${planId}/resources`, {
      intent: "add-link",
      url: "javascript:alert(1)",
      title: "Sneaky",
      milestoneId: "",
      from: "plan",
    });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain("Only https:// links can be shared here.");
    expect(page).toContain('value="javascript:alert(1)"');
    const shared = await rep.post(`/plans/${planId}/resources`, {
      intent: "add-link",
      url: "https://docs.example.com/sow",
      title: "Statement of work",
      milestoneId: "",
      from: "plan",
    });
    expect(shared.status).toBe(302);
    expect(await (await rep.get(`/plans/${planId}`)).text()).toContain('href="https://docs.example.com/sow"');
  });
});
