import { generatePlan, measure, median } from "./bench-schedule";
import type { BenchOptions } from "./options";

export interface ScheduleBenchResult {
  sizes: [number, number];
  dependencies: [number, number];
  baseMs: number;
  largeMs: number;
  ratio: number;
}

/** schedulePlan on the scheduler benchmark's plans (bench/bench-schedule.ts): medians after a warm-up. */
export function runSchedulePhase(options: BenchOptions): ScheduleBenchResult {
  const [small, large] = options.scheduleSizes;
  options.log(`schedule: ${small.toLocaleString("en-US")} and ${large.toLocaleString("en-US")} milestones…`);
  const base = measure(String(small), generatePlan(small, 20260301 + small), 10, 15);
  const big = measure(String(large), generatePlan(large, 20260301 + large), 3, 9);
  const baseMs = median(base.times);
  const largeMs = median(big.times);
  return { sizes: [small, large], dependencies: [base.edges, big.edges], baseMs, largeMs, ratio: largeMs / baseMs };
}
