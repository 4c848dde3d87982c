import { generatePlan, measure, measurePerCall, median, TEMPLATE_SIZED, templateSizedPlan } from "./bench-schedule";
import type { BenchOptions } from "./options";

export interface ScheduleBenchResult {
  size: number;
  dependencies: number;
  largeMs: number;
  template: { milestones: number; dependencies: number; perCallMs: number };
}

/**
 * schedulePlan on the scheduler benchmark's plans (bench/bench-schedule.ts): a large plan (10,000
 * milestones), median after a warm-up, and a template-sized one per call, the size the daily
 * re-projection schedules for every open plan.
 */
export function runSchedulePhase(options: BenchOptions): ScheduleBenchResult {
  const size = options.scheduleSize;
  options.log(`schedule: a template-sized plan and ${size.toLocaleString("en-US")} milestones…`);
  const template = measurePerCall("template", templateSizedPlan(), options.smoke ? 10 : 1_000, options.smoke ? 3 : 21);
  const large = measure(String(size), generatePlan(size, 20260301 + size), 10, 15);
  return {
    size,
    dependencies: large.edges,
    largeMs: median(large.times),
    template: { milestones: TEMPLATE_SIZED.milestones, dependencies: template.edges, perCallMs: median(template.times) },
  };
}
