/**
 * Benchmark for schedulePlan (npm run bench:schedule). Not a test: it prints timings and whether
 * the targets hold (10k milestones ≤ 50 ms; a template-sized plan, 50 milestones and 120
 * dependencies, ≤ 0.2 ms a call: the size the daily re-projection schedules a million times), and
 * always exits 0.
 *
 * Plans come from a fixed seed: each milestone depends on three random earlier ones (so the graph
 * is acyclic; the first few have fewer), with durations 0–10, some lags, a few pins, some done
 * milestones, one close milestone and five years of holidays. Each plan goes through
 * JSON.stringify/JSON.parse once, because that is how plans reach schedulePlan (the API's request
 * body, the CLI's file). Each size is warmed up, then timed several times; the median counts.
 *
 * Before each size the heap is collected (global.gc, exposed at run time when node was not started
 * with --expose-gc), so that garbage left by generating the plans or by the previous size is not
 * collected, and charged, during this size's timed runs. Collections caused by a size's own runs
 * stay in its times: they are part of what schedulePlan costs at that size.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { addCalendarDays, fromDayNumber, makeCalendar, toDayNumber } from "~/domain/calendar";
import { prng } from "~/domain/random";
import { schedulePlan, type ScheduleInput } from "~/domain/schedule";

type Milestone = ScheduleInput["milestones"][number];

const GO_LIVE = "2031-06-02";
const TODAY = "2026-12-01";
const HOLIDAYS = Array.from({ length: 60 }, (_, k) => addCalendarDays("2026-01-02", k * 29));

/**
 * A plan of `size` milestones, each depending on up to three random earlier ones; with `edges`,
 * dependencies are then dropped at random until that many are left (a template's sparser graph).
 */
export function generatePlan(size: number, seed: number, edges?: number): ScheduleInput {
  const random = prng(seed);
  const calendar = makeCalendar({ holidays: HOLIDAYS });
  const today = toDayNumber(TODAY);
  const milestones: Milestone[] = [];
  for (let i = 0; i < size; i++) {
    const dependsOn = new Set<string>();
    while (dependsOn.size < Math.min(i, 3)) dependsOn.add(`m${Math.floor(random() * i)}`);
    const milestone: Milestone = {
      id: `m${i}`,
      durationDays: Math.floor(random() * 11),
      dependsOn: [...dependsOn],
      lagDays: random() < 0.2 ? 1 + Math.floor(random() * 3) : 0,
    };
    if (random() < 0.01) {
      milestone.pinnedDate = fromDayNumber(calendar.onOrAfter(today + Math.floor(random() * 1500)));
    }
    if (i < size / 20 && random() < 0.5) {
      milestone.completedOn = fromDayNumber(today - Math.floor(random() * 30));
    }
    milestones.push(milestone);
  }
  if (edges !== undefined) {
    const all = milestones.flatMap((m) => (m.dependsOn ?? []).map((dependency) => [m, dependency] as const));
    if (edges > all.length) throw new Error(`A plan of ${size} milestones has only ${all.length} dependencies, not ${edges}.`);
    for (let excess = all.length - edges; excess > 0; excess--) {
      const [m, dependency] = all.splice(Math.floor(random() * all.length), 1)[0];
      m.dependsOn = (m.dependsOn ?? []).filter((d) => d !== dependency);
    }
  }
  milestones[Math.floor(size / 2)].isClose = true;
  const plan: ScheduleInput = { goLive: GO_LIVE, today: TODAY, calendar: { holidays: HOLIDAYS }, milestones };
  return JSON.parse(JSON.stringify(plan)) as ScheduleInput;
}

/** The same plan with its milestones in a shuffled order (dependencies then point both ways). */
function shuffled(plan: ScheduleInput, seed: number): ScheduleInput {
  const random = prng(seed);
  const milestones = [...plan.milestones];
  for (let i = milestones.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [milestones[i], milestones[j]] = [milestones[j], milestones[i]];
  }
  return JSON.parse(JSON.stringify({ ...plan, milestones })) as ScheduleInput;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Measurement {
  label: string;
  edges: number;
  times: number[];
}

let gcFunction: (() => void) | null | undefined;

/** global.gc when node runs with --expose-gc; otherwise the same function, exposed now; null if neither works. */
function findGc(): (() => void) | null {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === "function") return exposed as () => void;
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    return typeof gc === "function" ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A full collection, when one can be requested, then a short idle wait: V8 finishes a collection
 * (sweeping) on background threads, which on a small machine would otherwise compete with the
 * next timed calls. Returns whether it ran.
 */
export function collectGarbage(): boolean {
  if (gcFunction === undefined) gcFunction = findGc();
  if (gcFunction === null) return false;
  gcFunction();
  Atomics.wait(pause, 0, 0, 100);
  return true;
}

export function measure(label: string, plan: ScheduleInput, warmup: number, runs: number): Measurement {
  collectGarbage(); // earlier garbage (other sizes, plan generation) is not this size's cost
  for (let run = 0; run < warmup; run++) schedulePlan(plan); // let the JIT settle first
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    schedulePlan(plan);
    times.push(performance.now() - t0);
  }
  const edges = plan.milestones.reduce((sum, m) => sum + (m.dependsOn?.length ?? 0), 0);
  return { label, edges, times };
}

/** A template-sized plan: what the daily re-projection schedules for every open plan. */
export const TEMPLATE_SIZED = { milestones: 50, dependencies: 120 };

/** With a go-live four months out, as a live deal has, not the larger plans' five years. */
export function templateSizedPlan(): ScheduleInput {
  const plan = generatePlan(TEMPLATE_SIZED.milestones, 20260301 + TEMPLATE_SIZED.milestones, TEMPLATE_SIZED.dependencies);
  return { ...plan, goLive: addCalendarDays(TODAY, 120) };
}

/**
 * Per call, for a plan scheduled in microseconds: each sample times a batch of calls (one call is
 * too short for the timer and its own overhead), and the median sample is divided by the batch.
 */
export function measurePerCall(label: string, plan: ScheduleInput, batch: number, samples: number): Measurement {
  collectGarbage();
  for (let run = 0; run < batch; run++) schedulePlan(plan);
  const times: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const t0 = performance.now();
    for (let run = 0; run < batch; run++) schedulePlan(plan);
    times.push((performance.now() - t0) / batch);
  }
  const edges = plan.milestones.reduce((sum, m) => sum + (m.dependsOn?.length ?? 0), 0);
  return { label, edges, times };
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  rows.forEach((row, index) => {
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "));
    if (index === 0) console.log(widths.map((width) => "-".repeat(width)).join("  "));
  });
}

const count = (n: number) => n.toLocaleString("en-US");
const ms = (n: number, digits = 2) => n.toFixed(digits);

function main(): void {
  console.log(`schedulePlan benchmark — Node ${process.version}, ${process.platform}/${process.arch}`);
  const gc = collectGarbage();
  console.log(gc ? "Heap collected before each size (not timed).\n" : "Could not request a collection (no gc): sizes may pay for each other's garbage.\n");

  const template = templateSizedPlan();
  const plans = new Map([200, 2_000, 10_000, 100_000].map((size) => [size, generatePlan(size, 20260301 + size)]));
  // Smallest first, as the sizes do not take turns: a process that has run the 100k plan keeps a
  // larger young generation, which would slow the small sizes (allocation in memory the caches no
  // longer hold). 50 is a typical template, 200 the most a template holds, 2,000 a plan grown well
  // beyond one; 10,000 and 100,000 show the algorithm's growth (no plan is that large).
  const perCall = measurePerCall(`${TEMPLATE_SIZED.milestones} (template-sized)`, template, 1_000, 21);
  const results = [
    measure(count(200), plans.get(200)!, 200, 51),
    measure(count(2_000), plans.get(2_000)!, 50, 31),
    measure(count(10_000), plans.get(10_000)!, 10, 21),
    measure(count(100_000), plans.get(100_000)!, 3, 15),
  ];
  // The same 100k plan in a shuffled order, so that the input order is not already topological
  // and Kahn's algorithm builds its successor lists.
  const extra = measure(`${count(100_000)} shuffled`, shuffled(plans.get(100_000)!, 7), 3, 9);

  printTable([
    ["milestones", "dependencies", "median ms", "min ms", "max ms", "runs"],
    ...[perCall, ...results, extra].map(({ label, edges, times }) => [
      label,
      count(edges),
      ms(median(times), label === perCall.label ? 4 : 2),
      ms(Math.min(...times), label === perCall.label ? 4 : 2),
      ms(Math.max(...times), label === perCall.label ? 4 : 2),
      String(times.length),
    ]),
  ]);

  const tenK = median(results[2].times);
  const template50 = median(perCall.times);
  console.log(`\n(the template-sized row: per call, each run a batch of 1,000 calls)`);
  console.log(`target: 10k ≤ 50 ms                 ${tenK <= 50 ? "OK  " : "MISS"}  (${ms(tenK)} ms)`);
  console.log(`target: template-sized ≤ 0.2 ms     ${template50 <= 0.2 ? "OK  " : "MISS"}  (${ms(template50, 4)} ms)`);
}

// `npm run bench:schedule` runs it; `npm run bench` imports the functions above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
