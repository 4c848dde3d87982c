import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COLLEAGUE_LIMITS } from "~/domain/colleagues";
import { todayIn } from "~/domain/dates";
import type { Database } from "~/infra/db.server";
import { seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 17, item 6: a buyer could make the app email anyone (40 additions in 7 s queued 82 emails to
 * arbitrary addresses). Now additions are capped per hour, and only colleagues on the inviting
 * buyer's own domain are emailed; others get their link shown to the buyer to forward.
 */
describe.each(testDatabaseTargets())("buyers adding colleagues on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let buyer: TestClient;
  let planId: string;

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedDemo(database.db, todayIn("UTC", new Date()));
    server = await startTestServer(database.db, database.kind);
    buyer = new TestClient(server.origin);
    const opened = await buyer.post(`/s/${seeded.buyerLinkToken}`, { name: "Dana Lee", email: "dana.lee@acme-logistics.example" });
    expect(opened.status).toBe(302);
    planId = opened.headers.get("location")!.split("/").pop()!;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const invitesTo = async (address: string) =>
    (await database.db.selectFrom("email_outbox").select("id").where("kind", "=", "invite").where("to_address", "=", address).execute()).length;
  const add = (name: string, email: string) => buyer.post(`/p/${planId}`, { intent: "add-colleague", name, email, title: "" });

  it("emails a colleague on the buyer's own domain, and only shows the link for anyone else", async () => {
    const own = await add("Lee Park", "lee.park@acme-logistics.example");
    expect(own.status).toBe(302);
    expect(await (await buyer.get(`/p/${planId}`)).text()).toContain("We emailed them their own link");
    expect(await invitesTo("lee.park@acme-logistics.example")).toBe(1);

    const outside = await add("Stranger Danger", "victim@elsewhere.example");
    expect(outside.status).toBe(302);
    const html = (await (await buyer.get(`/p/${planId}`)).text()).replace(/<!-- -->/g, "");
    expect(html).toContain("so we did not email them: send them this link yourself");
    expect(html).toMatch(/\/s\/[A-Za-z0-9_-]{20,}/); // the link, for the buyer to forward
    expect(await invitesTo("victim@elsewhere.example")).toBe(0);
    // The rep still sees who was added, by whom.
    const event = await database.db
      .selectFrom("plan_events")
      .select(["actor_name", "changes"])
      .where("plan_id", "=", planId)
      .where("action", "=", "stakeholder.added")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(event.actor_name).toBe("Dana Lee");
    expect(JSON.stringify(event.changes)).toContain("victim@elsewhere.example");
  });

  it(`refuses a buyer's colleague number ${COLLEAGUE_LIMITS.perBuyerPerHour + 1} within the hour, with a message, and adds nothing`, async () => {
    const before = await database.db.selectFrom("stakeholders").select("id").where("plan_id", "=", planId).execute();
    const statuses: number[] = [];
    let last = "";
    for (let k = 0; k < COLLEAGUE_LIMITS.perBuyerPerHour; k++) {
      const response = await add(`Colleague ${k}`, `colleague${k}@acme-logistics.example`);
      statuses.push(response.status);
      last = await response.text();
    }
    // Two were added by the first test: three more pass, then the limit answers.
    const allowed = COLLEAGUE_LIMITS.perBuyerPerHour - 2;
    expect(statuses).toEqual([...Array(allowed).fill(302), ...Array(2).fill(400)]);
    expect(last).toContain(`You have added ${COLLEAGUE_LIMITS.perBuyerPerHour} colleagues in the last hour`);
    const after = await database.db.selectFrom("stakeholders").select("id").where("plan_id", "=", planId).execute();
    expect(after.length - before.length).toBe(allowed);
  });
});
