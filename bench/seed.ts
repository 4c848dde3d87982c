import type { Kysely } from "kysely";
import type { DB } from "../db/types";
import { DEMO_LOGINS, seedDemo } from "../db/demo-seed";
import { makeCalendar } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import type { TemplateMilestoneInput } from "~/domain/template-rows";
import { buyerCookieName, findBuyer, openLink, startBuyerSession } from "~/models/buyer-access.server";
import { addComment, buyerEditor } from "~/models/buyer-commands.server";
import { createPlan } from "~/models/plan-create.server";
import type { Editor } from "~/models/plan-commands.server";
import { loadPlanContents } from "~/models/plan-page.server";
import { createLinkForStakeholder } from "~/models/share-link-commands.server";
import { createTemplate } from "~/models/template.server";
import { findLoginAccount } from "~/models/user.server";
import { createLucia, startSession } from "~/infra/sessions.server";

/*
 * What the page benchmarks read: the demo organisation (its first plan, Acme Logistics, is the
 * buyer page measured under load), and two plans built the same way with N and M milestones, for
 * counting the statements a page sends at both sizes. Everything goes through the app's own model
 * functions (the write path, the link and session commands), so the data is what the app makes.
 */

export interface BenchPlan {
  planId: string;
  milestones: number;
  /** Cookie header of a buyer who confirmed who they are on this plan's link. */
  buyerCookie: string;
}

export interface PageBenchData {
  orgId: string;
  /** Cookie header of the plans' owner (a rep) signed in. */
  repCookie: string;
  /** The demo's Acme Logistics plan: the pages measured under load. */
  demo: BenchPlan;
  /** Plans of `sizes[0]` and `sizes[1]` milestones, for the statement counts. */
  sized: BenchPlan[];
}

/** A template of n milestones, each after up to two earlier ones, one of them the signature. */
function templateMilestones(n: number): TemplateMilestoneInput[] {
  const sides = ["buyer", "seller", "joint"] as const;
  return Array.from({ length: n }, (_, i) => ({
    key: `m${i}`,
    title: `Step ${i + 1}: ${["Workshop", "Security review", "Legal redlines", "Pricing approval", "Training"][i % 5]}`,
    description: i % 3 === 0 ? `What has to be true before step ${i + 2} can start.` : "",
    ownerSide: sides[i % 3],
    durationDays: (i * 7) % 6,
    isClose: i === Math.floor(n / 2),
    dependsOn: i === 0 ? [] : [...new Set([`m${i - 1}`, `m${Math.floor((i * 31) % i)}`])],
  }));
}

export async function seedPageBench(db: Kysely<DB>, sizes: [number, number], now = new Date()): Promise<PageBenchData> {
  const today = todayIn("UTC", now);
  const demo = await seedDemo(db, today, now);
  if (!demo.created || !demo.buyerLinkToken) throw new Error("The benchmark needs a fresh database (the demo organisation is already there).");
  const found = await findLoginAccount(db, DEMO_LOGINS.rep1);
  if (!found) throw new Error("the demo has no rep1");
  const rep = found;
  const seller: Editor = {
    actor: { side: "seller", name: rep.name, userId: rep.id },
    today,
    viewer: { id: rep.id, orgId: rep.org_id, role: rep.role },
  };

  /** Opens a link as its buyer would and confirms who they are: the device cookie. */
  async function buyerSession(token: string) {
    const opened = await openLink(db, token, now);
    if (!opened) throw new Error("The new buyer link does not open.");
    const session = await startBuyerSession(db, opened, { name: opened.stakeholder.name, email: opened.stakeholder.email }, now, today);
    const planId = opened.link.plan_id;
    return { planId, cookie: `${buyerCookieName(planId)}=${session.token}`, token: session.token };
  }

  /** A comment from each side on the first milestones: the threads the pages render. */
  async function comment(planId: string, cookieToken: string, count: number) {
    const buyer = await findBuyer(db, planId, cookieToken, now);
    if (!buyer) throw new Error("The buyer session does not resolve.");
    const { milestones } = await loadPlanContents(db, rep.org_id, planId);
    for (const [i, m] of milestones.slice(0, count).entries()) {
      await addComment(
        db,
        seller,
        rep.org_id,
        planId,
        m.id,
        `Sent the ${i % 2 ? "security questionnaire" : "draft order form"}; can you confirm who signs on your side?`,
      );
      await addComment(db, buyerEditor(buyer, today), rep.org_id, planId, m.id, "Yes: our CFO signs, legal reviews first. Expect it back by Friday.");
    }
  }

  const demoBuyer = await buyerSession(demo.buyerLinkToken);
  await comment(demoBuyer.planId, demoBuyer.token, 2);

  const calendar = makeCalendar();
  const sized: BenchPlan[] = [];
  for (const n of sizes) {
    const template = await db
      .transaction()
      .execute((trx) => createTemplate(trx, { orgId: rep.org_id, name: `Benchmark ${n} milestones`, createdBy: rep.id, milestones: templateMilestones(n) }));
    const { plan } = await createPlan(
      db,
      {
        orgId: rep.org_id,
        ownerId: rep.id,
        buyerCompany: `Sized ${n} Co`,
        title: `Rollout in ${n} steps`,
        value: 50_000,
        currency: "USD",
        goLive: calendar.afterDate(today, 120),
        templateId: template.id,
        stakeholders: [
          { side: "buyer", name: "Bea Buyer", email: `bea.${n}@sized.example`, title: "Champion" },
          { side: "seller", name: rep.name, email: rep.email, title: "Account Executive" },
        ],
      },
      seller.actor,
      today,
    );
    const champion = (await loadPlanContents(db, rep.org_id, plan.id)).stakeholders.find((s) => s.side === "buyer")!;
    const link = await createLinkForStakeholder(db, seller, rep.org_id, plan.id, champion.id, 90, now);
    const buyer = await buyerSession(link.token);
    await comment(plan.id, buyer.token, Math.min(10, n));
    sized.push({ planId: plan.id, milestones: n, buyerCookie: buyer.cookie });
  }

  const lucia = createLucia(db, { secureCookies: false });
  const repCookie = (await startSession(lucia, { id: rep.id, org_id: rep.org_id })).split(";")[0];
  const demoMilestones = (await loadPlanContents(db, rep.org_id, demoBuyer.planId)).milestones;
  return {
    orgId: rep.org_id,
    repCookie,
    demo: { planId: demoBuyer.planId, milestones: demoMilestones.length, buyerCookie: demoBuyer.cookie },
    sized,
  };
}
