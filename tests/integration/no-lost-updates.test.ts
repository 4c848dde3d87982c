import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { createOrganisation } from "~/models/organisation.server";
import { createPlan } from "~/models/plan-create.server";
import { PlanVersionConflict } from "~/models/plan-command.server";
import { updateMilestone, updatePlanDetails, type Editor } from "~/models/plan-commands.server";
import { createUser } from "~/models/user.server";
import { hashPassword } from "~/infra/password.server";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer, TestClient } from "../support/http";

/*
 * Item 5: no lost updates. Pairs of conflicting edits made with the same version, fired at the
 * same moment through the one write path: exactly one wins and the other is told it conflicts,
 * every win is logged once, and every logged change starts from the previous winner's value
 * (nothing was silently overwritten).
 */
const PAIRS = Number(process.env.LOST_UPDATE_PAIRS ?? 1000);
const HTTP_PAIRS = 100;
const MILESTONE_PAIRS = 200;

describe.each(testDatabaseTargets())("no lost updates on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let orgId: string;
  let planId: string;
  let milestoneId: string;
  let editors: [Editor, Editor];
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    database = await target.open();
    orgId = (await createOrganisation(database.db, { name: "Concurrency Co" })).id;
    const passwordHash = await hashPassword("concurrency-password");
    const [a, b] = [
      await createUser(database.db, { orgId, email: "a@concurrency.example", name: "Ana", role: "admin", passwordHash }),
      await createUser(database.db, { orgId, email: "b@concurrency.example", name: "Ben", role: "admin", passwordHash }),
    ];
    editors = [a, b].map((u) => ({
      actor: { side: "seller" as const, name: u.name, userId: u.id },
      today,
      viewer: { id: u.id, orgId, role: "admin" as const },
    })) as [Editor, Editor];
    const { plan } = await createPlan(
      database.db,
      {
        orgId,
        ownerId: a.id,
        buyerCompany: "Race Co",
        title: "start",
        value: 1,
        currency: "USD",
        goLive: new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10),
      },
      editors[0].actor,
      today,
    );
    planId = plan.id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  const details = (title: string) => ({ buyerCompany: "Race Co", title, value: "1", currency: "USD", crmCloseDate: "", status: "active" });
  const planRow = () => database.db.selectFrom("plans").select(["version", "title"]).where("id", "=", planId).executeTakeFirstOrThrow();

  it(`gives exactly one success and one conflict for each of ${PAIRS} concurrent pairs, and loses nothing`, { timeout: 300_000 }, async () => {
    const start = await planRow();
    const eventsBefore = await database.db.selectFrom("plan_events").select("seq").where("plan_id", "=", planId).execute();
    let successes = 0;
    let conflicts = 0;
    let other = 0;
    const winners: string[] = [];
    const started = performance.now();
    for (let i = 0; i < PAIRS; i++) {
      const { version } = await planRow();
      const titles = [`pair ${i} by Ana`, `pair ${i} by Ben`];
      const results = await Promise.allSettled(editors.map((editor, k) => updatePlanDetails(database.db, editor, orgId, planId, version, details(titles[k]))));
      const won = results.flatMap((r, k) => (r.status === "fulfilled" ? [titles[k]] : []));
      const lost = results.filter((r) => r.status === "rejected" && r.reason instanceof PlanVersionConflict).length;
      successes += won.length;
      conflicts += lost;
      other += 2 - won.length - lost;
      if (won.length !== 1 || lost !== 1)
        throw new Error(
          `pair ${i}: ${won.length} successes, ${lost} conflicts: ${results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok")).join("; ")}`,
        );
      winners.push(won[0]);
    }
    const seconds = (performance.now() - started) / 1000;

    const end = await planRow();
    const events = await database.db
      .selectFrom("plan_events")
      .select(["seq", "action", "changes", "actor_name"])
      .where("plan_id", "=", planId)
      .where("seq", ">", Math.max(0, ...eventsBefore.map((e) => e.seq)))
      .orderBy("seq")
      .execute();
    // Each logged change starts from the previous winner's title: a silent overwrite would break the chain.
    let previous = start.title;
    let silentOverwrites = 0;
    events.forEach((event, i) => {
      const change = (event.changes as Record<string, { before: unknown; after: unknown }>).title;
      if (!change || change.before !== previous || change.after !== winners[i]) silentOverwrites++;
      previous = String(change?.after);
    });
    console.log(
      `[lost-updates] ${target.name}: ${PAIRS} pairs in ${seconds.toFixed(1)} s → ${successes} successes, ${conflicts} conflicts, ${other} other; ` +
        `version ${start.version} → ${end.version}; ${events.length} log entries; ${silentOverwrites} silent overwrites`,
    );
    expect([successes, conflicts, other]).toEqual([PAIRS, PAIRS, 0]);
    expect(end.version).toBe(start.version + PAIRS);
    expect(events).toHaveLength(PAIRS);
    expect(silentOverwrites).toBe(0);
    expect(end.title).toBe(winners.at(-1));
  });

  it(`does the same for ${MILESTONE_PAIRS} pairs of edits to one milestone`, { timeout: 120_000 }, async () => {
    milestoneId = (
      await database.db
        .insertInto("milestones")
        .values({ org_id: orgId, plan_id: planId, title: "m start", owner_side: "joint", duration_days: 1, position: 1 })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const row = () => database.db.selectFrom("milestones").select(["version", "title"]).where("id", "=", milestoneId).executeTakeFirstOrThrow();
    const start = await row();
    const tally = { ok: 0, conflict: 0, other: 0 };
    for (let i = 0; i < MILESTONE_PAIRS; i++) {
      const { version } = await row();
      const results = await Promise.allSettled(
        editors.map((editor, k) =>
          updateMilestone(database.db, editor, orgId, planId, milestoneId, version, { title: `m ${i} ${k}`, ownerSide: "joint", durationDays: "1" }),
        ),
      );
      for (const r of results) {
        if (r.status === "fulfilled") tally.ok++;
        else if (r.reason instanceof PlanVersionConflict) tally.conflict++;
        else tally.other++;
      }
    }
    const end = await row();
    const logged = await database.db
      .selectFrom("plan_events")
      .select("id")
      .where("plan_id", "=", planId)
      .where("entity_id", "=", milestoneId)
      .where("action", "=", "milestone.updated")
      .execute();
    console.log(
      `[lost-updates] ${target.name}: ${MILESTONE_PAIRS} milestone pairs → ${JSON.stringify(tally)}; version ${start.version} → ${end.version}; ${logged.length} log entries`,
    );
    expect(tally).toEqual({ ok: MILESTONE_PAIRS, conflict: MILESTONE_PAIRS, other: 0 });
    expect(end.version).toBe(start.version + MILESTONE_PAIRS);
    expect(logged).toHaveLength(MILESTONE_PAIRS);
  });

  it(`answers ${HTTP_PAIRS} concurrent pairs of form posts with one save and one 409 each`, { timeout: 120_000 }, async () => {
    const server = await startTestServer(database.db, database.kind);
    try {
      const clients = [new TestClient(server.origin), new TestClient(server.origin)];
      await clients[0].login("a@concurrency.example", "concurrency-password");
      await clients[1].login("b@concurrency.example", "concurrency-password");
      const start = await planRow();
      const statuses: Record<number, number> = {};
      for (let i = 0; i < HTTP_PAIRS; i++) {
        const { version } = await planRow();
        const answers = await Promise.all(clients.map((c, k) => c.post(`/plans/${planId}/edit`, { ...details(`http ${i} ${k}`), version: String(version) })));
        const pair = answers.map((a) => a.status).sort();
        for (const s of pair) statuses[s] = (statuses[s] ?? 0) + 1;
        expect(pair, `pair ${i}`).toEqual([302, 409]);
      }
      expect((await planRow()).version).toBe(start.version + HTTP_PAIRS);
      console.log(`[lost-updates] ${target.name}: ${HTTP_PAIRS} HTTP pairs → statuses ${JSON.stringify(statuses)}`);
    } finally {
      await server.close();
    }
  });
});
