/*
 * The soak's users, shared with the fleet test: buyers on links of their own (reading their plan,
 * commenting, marking their milestones done and reopening them) and signed-in reps and managers
 * (plans list, plan pages, comments, milestone toggles, the forecast), each pausing 0.1–0.5 s
 * between requests. The caller decides how a request is sent and recorded.
 */
import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { addStakeholder } from "~/models/plan-commands.server";
import { createLinkForStakeholder } from "~/models/share-link-commands.server";
import { buyerCookie, form, signIn } from "../support/server-process";

export interface SoakUsers {
  buyers: Array<{ planId: string; cookie: string }>;
  sellers: number;
  sellerEmails: string[];
  sellerCookies: Map<string, string>;
  plans: Array<{ id: string; email: string }>;
}

/**
 * Sends one request and records it. `safe`: a read, which the caller may send again; a write is
 * sent once.
 */
export type SendRequest = (action: string, safe: boolean, run: (origin: string) => Promise<Response>) => Promise<void>;

/**
 * Signs the demo's sellers in at `origin` and opens a buyer device per buyer (a buyer of each active
 * plan in turn, each on a link of its own). The links are signed with the secret the servers stored
 * (ADR 018): call `loadSigningSecret(db)` first.
 */
export async function prepareSoakUsers(db: Kysely<DB>, origin: string, users: number, buyerShare = 0.6): Promise<SoakUsers> {
  const plans = await db
    .selectFrom("plans as p")
    .innerJoin("users as u", (j) => j.onRef("u.id", "=", "p.owner_id"))
    .select(["p.id", "p.org_id", "p.owner_id", "u.email", "u.name"])
    .where("p.status", "=", "active")
    .execute();
  const sellerEmails = ["rep1@demo.example", "rep2@demo.example", "manager@demo.example", "admin@demo.example"];
  const sellerCookies = new Map<string, string>();
  for (const email of sellerEmails) sellerCookies.set(email, await signIn(origin, email));

  const buyerCount = Math.round(users * buyerShare);
  const buyers: SoakUsers["buyers"] = [];
  // A new link turns the person's old one off (ADR 012): with more buyers than plans, the buyers
  // after the first on a plan are people of their own, added as the rep would.
  const taken = new Set<string>();
  for (let i = 0; i < buyerCount; i++) {
    const plan = plans[i % plans.length];
    const editor = {
      actor: { side: "seller" as const, name: plan.name, userId: plan.owner_id },
      today: new Date().toISOString().slice(0, 10),
      viewer: { id: plan.owner_id, orgId: plan.org_id, role: "rep" as const },
    };
    let person = await db
      .selectFrom("stakeholders")
      .select(["id", "name", "email"])
      .where("plan_id", "=", plan.id)
      .where("side", "=", "buyer")
      .$if(taken.size > 0, (q) => q.where("id", "not in", [...taken]))
      .executeTakeFirst();
    if (!person) {
      const added = { side: "buyer", name: `Soak buyer ${i}`, email: `soak-buyer-${i}@buyers.example`, title: "" };
      const { value: id } = await addStakeholder(db, editor, plan.org_id, plan.id, added);
      person = { id, name: added.name, email: added.email };
    }
    taken.add(person.id);
    const { token } = await createLinkForStakeholder(db, editor, plan.org_id, plan.id, person.id, 30);
    buyers.push({ planId: plan.id, cookie: await buyerCookie(origin, token, { name: person.name, email: person.email }) });
  }
  return { buyers, sellers: users - buyers.length, sellerEmails, sellerCookies, plans };
}

/** Every user's loop until `deadline` (ms since the epoch), each request through `send`. */
export function runSoakUsers(db: Kysely<DB>, users: SoakUsers, deadline: number, send: SendRequest): Promise<void> {
  const milestoneOf = (planId: string, side?: "buyer") => {
    let q = db.selectFrom("milestones").select(["id", "version", "completed_on"]).where("plan_id", "=", planId);
    if (side) q = q.where("owner_side", "<>", "seller");
    return q.orderBy("position").executeTakeFirst();
  };
  const pause = () => new Promise((r) => setTimeout(r, 100 + Math.random() * 400));

  const buyerLoop = async (b: SoakUsers["buyers"][number], n: number) => {
    while (Date.now() < deadline) {
      const roll = (Math.random() + n * 0.618) % 1;
      if (roll < 0.7) await send("buyer: open plan", true, (origin) => fetch(`${origin}/p/${b.planId}`, { headers: { Cookie: b.cookie } }));
      else if (roll < 0.85)
        await send("buyer: comment", false, (origin) =>
          fetch(`${origin}/p/${b.planId}`, form(origin, b.cookie, { intent: "comment", milestoneId: "", body: `soak ${Date.now()}` })),
        );
      else {
        const m = await milestoneOf(b.planId, "buyer");
        if (m)
          await send("buyer: mark done/reopen", false, (origin) =>
            fetch(
              `${origin}/p/${b.planId}`,
              form(origin, b.cookie, { intent: m.completed_on ? "reopen" : "done", milestoneId: m.id, version: String(m.version) }),
            ),
          );
      }
      await pause();
    }
  };
  const sellerLoop = async (n: number) => {
    const email = users.sellerEmails[n % users.sellerEmails.length];
    const cookie = users.sellerCookies.get(email)!;
    const mine = users.plans.filter((p) => (email.startsWith("rep") ? p.email === email : true));
    while (Date.now() < deadline) {
      const plan = mine[Math.floor(Math.random() * mine.length)];
      const roll = Math.random();
      if (roll < 0.3) await send("rep: plans list", true, (origin) => fetch(`${origin}/plans`, { headers: { Cookie: cookie } }));
      else if (roll < 0.7) await send("rep: plan page", true, (origin) => fetch(`${origin}/plans/${plan.id}`, { headers: { Cookie: cookie } }));
      else if (roll < 0.8)
        await send("rep: comment", false, (origin) =>
          fetch(`${origin}/plans/${plan.id}`, form(origin, cookie, { intent: "comment", milestoneId: "", body: `soak ${Date.now()}` })),
        );
      else if (roll < 0.9) {
        const m = await milestoneOf(plan.id);
        if (m)
          await send("rep: complete/reopen", false, (origin) =>
            fetch(
              `${origin}/plans/${plan.id}`,
              form(origin, cookie, { intent: m.completed_on ? "reopen" : "complete", milestoneId: m.id, version: String(m.version) }),
            ),
          );
      } else await send("rep: forecast", true, (origin) => fetch(`${origin}/forecast`, { headers: { Cookie: cookie } }));
      await pause();
    }
  };
  return Promise.all([...users.buyers.map((b, i) => buyerLoop(b, i)), ...Array.from({ length: users.sellers }, (_, i) => sellerLoop(i))]).then(() => undefined);
}
