import os from "node:os";
import { verdict, type LoadSummary, type RoundRatio, type Verdict } from "./noise";
import type { CitusResult } from "./citus";
import type { ForecastOrgResult, ForecastResult } from "./forecast";
import type { LighthouseAudit, LighthouseResult } from "./lighthouse";
import type { LoadResult } from "./load";
import type { PagePhaseResult, PageThroughput, QueryCount } from "./pages";
import type { ScheduleBenchResult } from "./schedule";
import type { WritePathResult } from "./write-path";

export interface BenchResults {
  startedAt: Date;
  finishedAt: Date;
  smoke: boolean;
  machine: MachineDescription;
  settings: { connections: number; durationSeconds: number; rounds: number; planSizes: [number, number] };
  pages: PagePhaseResult;
  lighthouse: LighthouseResult;
  write: WritePathResult;
  schedule: ScheduleBenchResult;
  forecast: ForecastResult | { error: string };
  memory: { postgresBytes: number | null; pgliteBytes: number | null };
  /** Null when no Citus cluster was given (BENCH_CITUS_URL). */
  citus: CitusResult | { error: string } | null;
}

export interface MachineDescription {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  database: string;
  /** 1-minute load average at the start and the end: other work on the machine shows here. */
  loadStart: number;
  loadEnd?: number;
  /** Sampled through the run: a busy machine gives figures but no verdicts. */
  load?: LoadSummary;
}

export function describeMachine(database: string): MachineDescription {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    database,
    loadStart: os.loadavg()[0],
  };
}

export interface Row {
  measure: string;
  how: string;
  figure: string;
  target: string;
  /** "info": a figure that explains another row, with no target of its own. */
  status: Verdict | "n/a" | "info";
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (n >= 100 ? int(n) : n.toFixed(n >= 10 ? 1 : 2));
const x = (n: number) => `${n.toFixed(2)}×`;
const mb = (bytes: number) => `${int(bytes / 2 ** 20)} MB`;
const ok = (pass: boolean): Row["status"] => (pass ? "OK" : "MISS");
/** A ratio from alternating rounds: its median, over how many rounds, and the spread. */
const rounds = (r: RoundRatio) => `${x(r.ratio)} (median of ${r.rounds} round${r.rounds === 1 ? "" : "s"}, ${r.min.toFixed(2)}–${r.max.toFixed(2)}×)`;

function pageRow(measure: string, t: PageThroughput | undefined, target: number, connections: number, load: LoadSummary | null): Row {
  if (!t) return { measure, how: "", figure: "not measured", target: `≥ ${target}×`, status: "n/a" };
  const failures = t.failures ? ` · ${int(t.failures)} failed requests: not a valid run` : "";
  return {
    measure,
    how: `autocannon, ${connections} connections, ours then the floor, alternating; ${int(t.bytes / 1024)} KB page`,
    figure: `${rounds(t.ratio)}; ${int(t.oursRps)} vs ${int(t.floorRps)} req/s; p99 ${int(t.oursP99)} ms (floor ${int(t.floorP99)} ms)${failures}`,
    target: `≥ ${target}×; p99 reported`,
    status: t.failures ? "MISS" : verdict((ratio) => ratio >= target, t.ratio, load),
  };
}

/** Ours against the floor that also does the page's data work: the framework's share alone. */
function dataFloorRow(measure: string, t: PageThroughput | undefined): Row | null {
  if (!t || t.ratioToFloorWithData === null || t.floorWithDataRps === null) return null;
  return {
    measure,
    how: "the same runs, against the floor plus the page's data work per request (session lookup, the routes' loaders and their SQL, same pool): what remains is Express and Remix's request plumbing",
    figure: `${x(t.ratioToFloorWithData)} (${int(t.oursRps)} vs ${int(t.floorWithDataRps)} req/s); the data work alone takes the floor to ${x(t.floorWithDataRps / t.floorRps)}`,
    target: "none (explains the row above)",
    status: "info",
  };
}

/**
 * Requests per second per core: how many requests one core of our server process serves, from
 * the CPU it used during the page rows' runs (the capacity table in docs/deploy.md). Beside it,
 * the floor's CPU per request over ours: the page ratio again, in CPU instead of throughput, which
 * other work on the machine disturbs far less (it still runs slower on a busy machine's caches).
 */
function capacityRow(buyer: PageThroughput | undefined, rep: PageThroughput | undefined): Row | null {
  const pages = [
    ["buyer page", buyer],
    ["rep workspace", rep],
  ] as const;
  const parts = pages.flatMap(([label, t]) =>
    t?.oursCpuMs && t.floorCpuMs
      ? [`${label} ${int(1000 / t.oursCpuMs)} (${ms(t.oursCpuMs)} ms CPU per request; the floor ${ms(t.floorCpuMs)} ms, ${x(t.floorCpuMs / t.oursCpuMs)})`]
      : [],
  );
  if (!parts.length) return null;
  return {
    measure: "Requests per second per core",
    how: "the page rows' runs: requests served over the CPU seconds (user and system) our server process used during them, all rounds; the database's own CPU is not counted",
    figure: parts.join("; "),
    target: "none (capacity, docs/deploy.md)",
    status: "info",
  };
}

/** The issue's targets for a first load: the buyer on a phone, the rep and the manager on a desktop. */
const FIRST_LOAD = { fcpMs: 1200, lcpMs: 1500, tbtMs: 50, score: 0.98, transferredKiB: 100 };

function lighthouseRows(l: LighthouseResult, timed: (pass: boolean) => Row["status"]): Row[] {
  const label = { buyer: "Buyer's first load on a phone", rep: "Rep workspace, first load (desktop)", forecast: "Forecast, first load (desktop)" } as const;
  const target = `LCP ≤ ${FIRST_LOAD.lcpMs / 1000} s, FCP ≤ ${FIRST_LOAD.fcpMs / 1000} s, TBT ≤ ${FIRST_LOAD.tbtMs} ms, score ≥ ${FIRST_LOAD.score}, ≤ ${FIRST_LOAD.transferredKiB} KiB`;
  if ("error" in l)
    return (Object.keys(label) as Array<keyof typeof label>).map((page) => ({
      measure: label[page],
      how: "",
      figure: `not measured: ${l.error}`,
      target,
      status: "n/a" as const,
    }));
  return l.audits.map((a: LighthouseAudit) => ({
    measure: label[a.page],
    how: `Lighthouse 12 ${a.profile} profile${a.profile === "mobile" ? " (simulated Slow 4G, 4× CPU slow-down)" : ""}, Chromium, the real server, medians of ${a.runs} run${a.runs === 1 ? "" : "s"}`,
    figure: `score ${a.score.toFixed(2)}; LCP ${(a.lcpMs / 1000).toFixed(2)} s, FCP ${(a.fcpMs / 1000).toFixed(2)} s, TBT ${int(a.tbtMs)} ms, ${int(a.transferredBytes / 1024)} KiB (speed index ${(a.speedIndexMs / 1000).toFixed(1)} s; host benchmark index ${int(a.benchmarkIndex)})`,
    target,
    status: timed(
      a.lcpMs <= FIRST_LOAD.lcpMs &&
        a.fcpMs <= FIRST_LOAD.fcpMs &&
        a.tbtMs <= FIRST_LOAD.tbtMs &&
        a.score >= FIRST_LOAD.score &&
        a.transferredBytes <= FIRST_LOAD.transferredKiB * 1024,
    ),
  }));
}

function queryRow(queries: QueryCount[], sizes: [number, number]): Row {
  const of = (page: "buyer" | "rep") => sizes.map((n) => queries.find((q) => q.page === page && q.milestones === n)?.count ?? NaN);
  const buyer = of("buyer");
  const rep = of("rep");
  const all = [...buyer, ...rep];
  const same = buyer[0] === buyer[1] && rep[0] === rep[1];
  return {
    measure: "SQL per page",
    how: `statements on the Kysely instance during one GET (session, layout and page loaders), plans of ${int(sizes[0])} vs ${int(sizes[1])} milestones`,
    figure: `buyer ${buyer.join(" / ")}, rep ${rep.join(" / ")}`,
    target: "≤ 3 queries, the same count",
    status: all.some(Number.isNaN) ? "MISS" : ok(same && Math.max(...all) <= 3),
  };
}

export function rows(r: BenchResults): Row[] {
  const load = r.machine.load ?? null;
  const timed = (pass: boolean) => verdict(() => pass, 0, load);
  const buyer = r.pages.throughput.find((t) => t.page === "buyer");
  const rep = r.pages.throughput.find((t) => t.page === "rep");
  const out: Row[] = [
    pageRow("Buyer plan page", buyer, 0.8, r.settings.connections, load),
    ...[dataFloorRow("… vs the floor with its data", buyer)].filter((row): row is Row => row !== null),
    pageRow("Rep plan workspace", rep, 0.6, r.settings.connections, load),
    ...[dataFloorRow("… vs the floor with its data", rep)].filter((row): row is Row => row !== null),
    ...[capacityRow(buyer, rep)].filter((row): row is Row => row !== null),
    queryRow(r.pages.queries, r.settings.planSizes),
    ...lighthouseRows(r.lighthouse, timed),
  ];
  if ("error" in r.forecast) {
    out.push({ measure: "Team forecast", how: "", figure: `not measured: ${r.forecast.error}`, target: "≤ 1.5×", status: "n/a" });
    out.push({ measure: "Team forecast, org 10× larger", how: "", figure: "not measured", target: "< 1.5× slower", status: "n/a" });
    out.push({ measure: "Forecast accuracy", how: "", figure: "not measured", target: "≤ 1.5×", status: "n/a" });
    out.push({ measure: "Forecast accuracy, org 10× larger", how: "", figure: "not measured", target: "< 1.5× slower", status: "n/a" });
    out.push(...refreshRows(null, null, load));
  } else {
    const { small, large, headline } = r.forecast;
    const manager = (o: typeof small) => o.views.find((v) => v.who === "manager")!;
    out.push({
      measure: `Team forecast at ${int(large.plans)} plans / ${int(large.milestones)} milestones`,
      how: `GET /forecast as a ${headline.who} (team of ${int(headline.teamPlans)} active plans), median of sequential loads, vs its statement (period rollup and lists in one) run directly on the server's pool after each load`,
      figure: `${x(r.forecast.pageVsRollup)} (page ${ms(headline.pageMs)} ms vs statement ${ms(headline.rollupMs)} ms; the period rollup alone ${ms(headline.rollupOnlyMs)} ms)`,
      target: "≤ 1.5×",
      status: timed(r.forecast.pageVsRollup <= 1.5),
    });
    out.push({
      measure: "Team forecast, org 10× larger",
      how: `a manager's team of 10 reps (${int(manager(small).teamPlans)} → ${int(manager(large).teamPlans)} active plans) in an organisation of ${int(small.plans)} vs ${int(large.plans)} plans`,
      figure: `${x(r.forecast.scaling)} (${ms(manager(small).pageMs)} → ${ms(manager(large).pageMs)} ms)`,
      target: "< 1.5× slower",
      status: timed(r.forecast.scaling < 1.5),
    });
    const acc = r.forecast.accuracyHeadline;
    const accManager = (o: typeof small) => o.accuracy.find((v) => v.who === "manager")!;
    out.push({
      measure: `Forecast accuracy at ${int(large.plans)} plans`,
      how: `GET /forecast/accuracy as a ${acc.who} (${int(acc.closedDeals)} won deals in the last four quarters, each with its date history), median of sequential loads, vs all its statements run directly on the server's pool after each load`,
      figure: `${x(r.forecast.accuracyVsStatements)} (page ${ms(acc.pageMs)} ms vs statements ${ms(acc.statementsMs)} ms)`,
      target: "≤ 1.5×",
      status: timed(r.forecast.accuracyVsStatements <= 1.5),
    });
    out.push({
      measure: "Forecast accuracy, org 10× larger",
      how: `a manager's team of 10 reps (${int(accManager(small).closedDeals)} → ${int(accManager(large).closedDeals)} won deals) in an organisation of ${int(small.plans)} vs ${int(large.plans)} plans`,
      figure: `${x(r.forecast.accuracyScaling)} (${ms(accManager(small).pageMs)} → ${ms(accManager(large).pageMs)} ms)`,
      target: "< 1.5× slower",
      status: timed(r.forecast.accuracyScaling < 1.5),
    });
    out.push(...refreshRows(small, large, load));
  }
  const s = r.schedule;
  out.push({
    measure: "Schedule",
    how: `schedulePlan per call on a template-sized plan (${int(s.template.milestones)} milestones / ${int(s.template.dependencies)} deps, batches of calls), and on ${int(s.size)} / ${int(s.dependencies)}, medians`,
    figure: `${s.template.perCallMs.toFixed(3)} ms per call; ${ms(s.largeMs)} ms`,
    target: "≤ 0.2 ms; ≤ 50 ms",
    status: timed(s.template.perCallMs <= 0.2 && s.largeMs <= 50),
  });
  out.push({
    measure: "Buyer edit (mark done)",
    how: `buyerSetDone vs a bare UPDATE + INSERT in one transaction, ${int(r.write.iterations)} each, alternating, medians`,
    figure: `${x(r.write.ratio)} (${ms(r.write.fullMs)} vs ${ms(r.write.bareMs)} ms; ${r.write.fullStatements} vs ${r.write.bareStatements} statements)`,
    target: "≤ 3×",
    status: timed(r.write.ratio <= 3),
  });
  const { postgresBytes, pgliteBytes } = r.memory;
  out.push({
    measure: "Memory",
    how: `server RSS at the end of the ${r.settings.connections}-connection runs`,
    figure: `PostgreSQL mode ${postgresBytes === null ? "not measured (no DATABASE_URL)" : mb(postgresBytes)}; PGlite mode ${pgliteBytes === null ? "not measured" : mb(pgliteBytes)}`,
    target: "≤ 250 MB (PostgreSQL mode)",
    status: postgresBytes === null ? "n/a" : ok(postgresBytes <= 250 * 2 ** 20),
  });
  out.push(...citusRows(r.citus, r.settings.connections, load));
  return out;
}

/** The daily re-projection of the forecast's organisations (bench/refresh.ts): its time against the bare SQL, and its memory at both sizes. */
function refreshRows(small: ForecastOrgResult | null, large: ForecastOrgResult | null, load: LoadSummary | null): Row[] {
  const measure = "Daily re-projection";
  const memory = "Daily re-projection memory, org 10× larger";
  const problem =
    !small || !large
      ? "the forecast organisations were not seeded"
      : "error" in large.refresh
        ? large.refresh.error
        : "error" in small.refresh
          ? small.refresh.error
          : null;
  if (problem || !small || !large || "error" in small.refresh || "error" in large.refresh) {
    return [
      { measure, how: "", figure: `not measured: ${problem}`, target: "≤ 2×", status: "n/a" },
      { measure: memory, how: "", figure: "not measured", target: "≤ 1.5× (flat)", status: "n/a" },
    ];
  }
  const big = large.refresh;
  const days = big.rounds;
  const med = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  const heapRatio = big.memory.liveHeap / small.refresh.memory.liveHeap;
  return [
    {
      measure: `${measure} at ${int(large.plans)} plans / ${int(large.milestones)} milestones`,
      how:
        `refreshStaleSchedules over the whole organisation (${int(days[0].plans)} active plans, batches of 200) in a process of its own, then the bare SQL ` +
        "reading the same rows and writing the same columns of the same rows in the same batches, without the scheduling (bench/baselines.ts); " +
        `one working day each, ${days.length} day${days.length === 1 ? "" : "s"} in turn`,
      figure: `${rounds(big.ratio)}; ${ms(med(days.map((d) => d.oursMs)))} vs ${ms(med(days.map((d) => d.bareMs)))} ms (medians); a day writes ${int(days[0].plans)} plans, ${int(med(days.map((d) => d.milestonesMoved)))} milestones, ${int(med(days.map((d) => d.historyRows)))} history rows`,
      target: "≤ 2×",
      status: verdict((ratio) => ratio <= 2, big.ratio, load),
    },
    {
      measure: memory,
      how:
        `the refresher's process, the V8 heap it keeps: a full collection forced between two batches every 4,000 plans and as each run ends, the highest heap still used after one, organisation of ${int(small.plans)} vs ${int(large.plans)} plans; ` +
        "the peak heap sampled every 10 ms (garbage included, which V8 lets grow with a longer run) and RSS for information",
      figure: `${x(heapRatio)} (kept heap ${mb(small.refresh.memory.liveHeap)} → ${mb(big.memory.liveHeap)}, highest of ${int(small.refresh.memory.fullCollections)} and ${int(big.memory.fullCollections)} readings; peak heap ${mb(small.refresh.memory.peakHeap)} → ${mb(big.memory.peakHeap)}; peak RSS ${mb(small.refresh.memory.peakRss)} → ${mb(big.memory.peakRss)})`,
      target: "≤ 1.5× (flat)",
      status: ok(heapRatio <= 1.5),
    },
  ];
}

/** Citus beside PostgreSQL: each figure is Citus's time in PostgreSQL's, for the same work in the same run. */
function citusRows(c: BenchResults["citus"], connections: number, load: LoadSummary | null): Row[] {
  const timed = (pass: boolean) => verdict(() => pass, 0, load);
  if (c === null) return [];
  const target = "≤ 1.5× PostgreSQL";
  if ("error" in c) {
    return ["Buyer plan page on Citus", "Buyer edit on Citus", "Team forecast on Citus"].map((measure) => ({
      measure,
      how: "",
      figure: `not measured: ${c.error}`,
      target,
      status: "n/a" as const,
    }));
  }
  const failures =
    c.page.failures || !c.page.citusRps
      ? ` · ${int(c.page.failures)} failed requests${c.page.citusRps ? "" : ", none completed on Citus"}: not a valid run`
      : "";
  const out: Row[] = [
    {
      measure: "Buyer plan page on Citus",
      how: `autocannon, ${connections} connections, a server on PostgreSQL then one on Citus (3 nodes, 32 shards), alternating; PostgreSQL's req/s over Citus's`,
      figure: `${rounds(c.page.ratio)}; ${int(c.page.citusRps)} vs ${int(c.page.postgresRps)} req/s; p99 ${int(c.page.citusP99)} ms (PostgreSQL ${int(c.page.postgresP99)} ms)${failures}`,
      target,
      status: failures ? "MISS" : verdict((ratio) => ratio <= 1.5, c.page.ratio, load),
    },
    {
      measure: "Buyer edit on Citus",
      how: "buyerSetDone through the write path, medians, against the same on PostgreSQL (the buyer edit row)",
      figure: `${x(c.write.ratio)} (${ms(c.write.citusMs)} vs ${ms(c.write.postgresMs)} ms)`,
      target,
      status: timed(c.write.ratio <= 1.5),
    },
  ];
  if ("error" in c.forecast) out.push({ measure: "Team forecast on Citus", how: "", figure: `not measured: ${c.forecast.error}`, target, status: "n/a" });
  else
    out.push({
      measure: `Team forecast on Citus at ${int(c.forecast.plans)} plans`,
      how: `GET /forecast as the ${c.forecast.who}, median of sequential loads, against the same page on PostgreSQL (the team forecast row)`,
      figure: `${x(c.forecast.ratio)} (${ms(c.forecast.citusMs)} vs ${ms(c.forecast.postgresMs)} ms)`,
      target,
      status: timed(c.forecast.ratio <= 1.5),
    });
  return out;
}

export function machineLine(m: MachineDescription): string {
  const load = m.load
    ? `load average ${m.load.median.toFixed(1)} (median of ${m.load.samples} samples through the run, highest ${m.load.max.toFixed(1)})${
        m.load.busy ? `: **busy** (above ${m.load.cores + 1} for most of the run), so no verdicts on timed rows` : ""
      }`
    : `load average ${m.loadStart.toFixed(1)}${m.loadEnd === undefined ? "" : ` → ${m.loadEnd.toFixed(1)}`}`;
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; ${m.database}; ${load}`;
}

export function textTable(r: BenchResults): string {
  const table = [["Measure", "Figure", "Target", ""], ...rows(r).map((row) => [row.measure, row.figure, row.target, row.status])];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]))
      .join("  ")
      .trimEnd();
  return [`Machine: ${machineLine(r.machine)}`, "", line(table[0]), widths.map((w) => "-".repeat(w)).join("  "), ...table.slice(1).map(line)].join("\n");
}

export function markdown(r: BenchResults): string {
  const cpu = (run: LoadResult) => (run.cpuSeconds !== undefined && run.requests ? `, ${ms((1000 * run.cpuSeconds) / run.requests)} ms CPU` : "");
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const lines = [
    `Measured ${r.finishedAt.toISOString().slice(0, 16).replace("T", " ")} UTC by \`npm run bench\`${r.smoke ? " --smoke (tiny sizes: the figures mean nothing)" : ""}.`,
    "",
    `**Machine:** ${machineLine(r.machine)}.`,
    "",
    "| Measure | How | Figure | Target | |",
    "|---|---|---|---|---|",
    ...rows(r).map((row) => `| ${cell(row.measure)} | ${cell(row.how)} | ${cell(row.figure)} | ${cell(row.target)} | ${row.status} |`),
    "",
    "Runs behind the page rows (requests per second, p99 latency, CPU per request of the server process):",
    "",
    ...r.pages.throughput.map(
      (t) =>
        `- ${t.page === "buyer" ? "Buyer page" : "Rep workspace"}: ` +
        t.ours
          .map(
            (o, i) =>
              `round ${i + 1}: ours ${int(o.rps)} (p99 ${int(o.p99)} ms${cpu(o)}), floor ${int(t.floor[i].rps)} (p99 ${int(t.floor[i].p99)} ms${cpu(t.floor[i])})` +
              (t.floorWithData[i] ? `, floor with the data work ${int(t.floorWithData[i].rps)} (p99 ${int(t.floorWithData[i].p99)} ms)` : ""),
          )
          .join("; "),
    ),
    ...(r.pages.memoryAtEnd
      ? [
          `- Our server's memory (${r.pages.kind}): RSS ${mb(r.pages.memoryAtStart?.rss ?? NaN)} once started, before any load; at the end of its last run: RSS ${mb(r.pages.memoryAtEnd.rss)}, V8 heap ${mb(r.pages.memoryAtEnd.heapUsed)} used of ${mb(r.pages.memoryAtEnd.heapTotal)}, external ${mb(r.pages.memoryAtEnd.external)} (array buffers ${mb(r.pages.memoryAtEnd.arrayBuffers)}).`,
        ]
      : []),
    `- Statements per page: ${r.pages.queries.map((q) => `${q.page} at ${int(q.milestones)} milestones: ${q.kinds.join(", ")}`).join("; ")}.`,
  ];
  if (!("error" in r.forecast)) {
    const { small, large } = r.forecast;
    const describe = (o: typeof small) =>
      `${int(o.plans)} plans, ${int(o.milestones)} milestones, ${o.reps} reps, ${o.managers} managers, ${o.directors} directors (seeded in ${o.seedSeconds.toFixed(0)} s): ` +
      o.views
        .map(
          (v) =>
            `${v.who}'s page (${int(v.teamPlans)} active plans) ${ms(v.pageMs)} ms, its statement ${ms(v.rollupMs)} ms = ${x(v.pageMs / v.rollupMs)}, the period rollup alone ${ms(v.rollupOnlyMs)} ms`,
        )
        .join("; ");
    lines.push(`- Forecast organisations: ${describe(small)}. ${describe(large)}.`);
    for (const v of large.views) {
      lines.push(
        `- The ${int(large.plans)}-plan organisation, ${v.who}'s page: its statements, each run alone (median ms): ${v.statements.map((q) => `${q.label} ${ms(q.ms)}`).join(", ")}; sum ${ms(v.statements.reduce((sum, q) => sum + q.ms, 0))} ms of the page's ${ms(v.pageMs)} ms.`,
      );
    }
    for (const v of large.accuracy) {
      lines.push(
        `- The ${int(large.plans)}-plan organisation, ${v.who}'s accuracy page (${int(v.closedDeals)} won deals): its statements (median ms): ${v.statements.map((q) => `${q.label} ${ms(q.ms)}`).join(", ")}; together ${ms(v.statementsMs)} ms of the page's ${ms(v.pageMs)} ms.`,
      );
    }
  }
  return lines.join("\n");
}
