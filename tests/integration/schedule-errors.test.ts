import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCalendarDays, weekday } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import type { Database } from "~/infra/db.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Issue 17, item 11: a change the scheduler cannot place was reported with milestone ids (a rep's
 * form, the API) or not at all (a buyer's pin: a 500). Every editor now reads the same message,
 * naming milestones by title. The case: a date pinned on the last working day there is, so the
 * work after it would end past 9999-12-31.
 */
const lastWorkingDay = () => {
  let day = "9999-12-31";
  while (weekday(day) > 5) day = addCalendarDays(day, -1);
  return day;
};

describe.each(testDatabaseTargets())("unschedulable changes on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let buyerToken: string;
  let planId: string;

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedDemo(database.db, todayIn("UTC", new Date()));
    buyerToken = seeded.buyerLinkToken!;
    server = await startTestServer(database.db, database.kind);
    planId = (await database.db.selectFrom("share_links").select("plan_id").executeTakeFirstOrThrow()).plan_id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  /** A milestone of `side` that others wait for, so pinning it at the end of time pushes them past it. */
  const milestoneWithSuccessor = (side: "buyer" | "seller") =>
    database.db
      .selectFrom("milestones as m")
      .innerJoin("milestone_dependencies as d", (j) => j.onRef("d.depends_on_id", "=", "m.id").onRef("d.org_id", "=", "m.org_id"))
      .select(["m.id", "m.title", "m.version"])
      .where("m.plan_id", "=", planId)
      .where("m.owner_side", "=", side)
      .where("m.completed_on", "is", null)
      .executeTakeFirstOrThrow();

  /** The page shows the scheduler's refusal, naming a milestone of this plan by its title, never by id. */
  const expectNamedByTitle = async (page: string) => {
    const html = page.replace(/<!-- -->/g, "").replace(/<script[\s\S]*?<\/script>/g, "");
    const titles = (await database.db.selectFrom("milestones").select("title").where("plan_id", "=", planId).execute()).map((m) => m.title);
    const named = /milestone &quot;([^&]+)&quot;/i.exec(html);
    expect(named, "a milestone named in the message").not.toBeNull();
    expect(titles).toContain(named![1]);
    expect(html).not.toMatch(/&quot;[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}&quot;/);
  };

  it("tells a buyer which milestone cannot move there, by title, with a 400", async () => {
    const milestone = await milestoneWithSuccessor("buyer");
    const buyer = new TestClient(server.origin);
    expect((await buyer.post(`/s/${buyerToken}`, { name: "Dana Lee", email: "dana@acme.example" })).status).toBe(302);
    const response = await buyer.post(`/p/${planId}`, {
      intent: "pin",
      milestoneId: milestone.id,
      version: String(milestone.version),
      pinnedDate: lastWorkingDay(),
    });
    expect(response.status).toBe(400);
    await expectNamedByTitle(await response.text());
  });

  it("names milestones by title on the rep's milestone form too", async () => {
    const milestone = await milestoneWithSuccessor("seller");
    const row = await database.db.selectFrom("milestones").selectAll().where("id", "=", milestone.id).executeTakeFirstOrThrow();
    const rep = new TestClient(server.origin);
    await rep.login(DEMO_LOGINS.rep1, DEMO_PASSWORD);
    const form = {
      title: row.title,
      description: row.description ?? "",
      ownerSide: row.owner_side,
      ownerStakeholderId: "",
      durationDays: String(row.duration_days),
      lagDays: String(row.lag_days),
      pinnedDate: lastWorkingDay(),
      completedOn: "",
      version: String(row.version),
    };
    const response = await rep.post(`/plans/${planId}/milestones/${milestone.id}`, form);
    expect(response.status).toBe(400);
    await expectNamedByTitle(await response.text());
  });
});
