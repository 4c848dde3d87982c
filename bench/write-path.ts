import { performance } from "node:perf_hooks";
import { todayIn } from "~/domain/dates";
import { bareMarkDone, lastEventSeq } from "./baselines";
import { findBuyer } from "~/models/buyer-access.server";
import { buyerSetDone } from "~/models/buyer-commands.server";
import { loadPlanContents } from "~/models/plan-page.server";
import { withDatabase, type ScratchDatabase } from "./database";
import { median } from "./load";
import type { BenchOptions } from "./options";
import { QueryCounter } from "./query-count";
import type { PageBenchData } from "./seed";

export interface WritePathResult {
  iterations: number;
  fullMs: number;
  bareMs: number;
  ratio: number;
  /** Statements one call sends (transaction control not counted). */
  fullStatements: number;
  bareStatements: number;
}

/**
 * A buyer marks a milestone done (and reopens it), through the full write path (buyerSetDone:
 * lock, version check, change, hash-chained event, schedule recomputed and stored, one
 * transaction) and as a bare UPDATE + INSERT in one transaction, alternately. The bare writes go to
 * another plan of the same size (a plan's log head lives on its row: a bare INSERT would leave it
 * behind and the next real append would collide). Medians of the wall time of each call.
 */
export async function runWritePhase(scratch: ScratchDatabase, data: PageBenchData, options: BenchOptions): Promise<WritePathResult> {
  options.log(`write path: ${options.writeIterations} buyer edits each way…`);
  return withDatabase(scratch, async ({ db: plain }) => {
    const counter = new QueryCounter();
    const db = plain.withPlugin(counter);
    let fullStatements = 0;
    let bareStatements = 0;
    const now = new Date();
    const today = todayIn("UTC", now);
    const planId = data.demo.planId;
    const buyer = await findBuyer(db, planId, data.demo.buyerCookie.split("=")[1], now);
    if (!buyer) throw new Error("The benchmark's buyer session does not resolve.");
    const milestone = (await loadPlanContents(db, buyer.org_id, planId)).milestones.find((m) => m.owner_side === "buyer" && !m.completed_on);
    if (!milestone) throw new Error("The demo plan has no open buyer milestone.");
    let version = milestone.version;
    const barePlan = data.sized[0];
    const bareBuyer = await findBuyer(db, barePlan.planId, barePlan.buyerCookie.split("=")[1], now);
    const bareMilestone = (await loadPlanContents(db, buyer.org_id, barePlan.planId)).milestones[0];
    if (!bareBuyer || !bareMilestone) throw new Error("The benchmark's second plan has no buyer or no milestone.");
    let seq = await lastEventSeq(db, buyer.org_id, barePlan.planId);
    const full: number[] = [];
    const bare: number[] = [];
    const warmup = Math.min(10, options.writeIterations);
    for (let i = 0; i < warmup + options.writeIterations; i++) {
      const done = i % 2 === 0;
      let before = counter.count;
      let t0 = performance.now();
      await buyerSetDone(db, buyer, today, `bench-${i}`, milestone.id, version, done);
      const fullMs = performance.now() - t0;
      version += 1;
      fullStatements = counter.count - before;
      before = counter.count;
      t0 = performance.now();
      await bareMarkDone(db, {
        orgId: buyer.org_id,
        planId: barePlan.planId,
        milestoneId: bareMilestone.id,
        completedOn: done ? today : null,
        seq: ++seq,
        actorName: bareBuyer.name,
        stakeholderId: bareBuyer.stakeholder_id,
      });
      const bareMs = performance.now() - t0;
      bareStatements = counter.count - before;
      if (i >= warmup) {
        full.push(fullMs);
        bare.push(bareMs);
      }
    }
    const fullMs = median(full);
    const bareMs = median(bare);
    return { iterations: options.writeIterations, fullMs, bareMs, ratio: fullMs / bareMs, fullStatements, bareStatements };
  });
}
