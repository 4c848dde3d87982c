/*
 * The daily re-projection row's process (bench/refresh.ts): the refresher as the schedule-refresher
 * job runs it (refreshStaleSchedules over the whole organisation, production's Node flags), then
 * the bare SQL doing the same reads and writes (bareRefreshBatch), day after day. Its heap and RSS
 * are sampled while the refresher runs: the process holds nothing else, so their peak is the job's.
 */
import { sql } from "kysely";
import { addCalendarDays, weekday } from "~/domain/calendar";
import { closeDatabase, getDatabase } from "~/infra/db.server";
import { refreshStaleSchedules } from "~/models/schedule-refresh.server";
import { bareRefreshBatch } from "./baselines";
import { reportChildError, serveParent } from "./children";

export interface RefreshInit {
  orgId: string;
  /**
   * The day the organisation's schedules were computed for: each round re-projects for the next
   * working day (Monday to Friday, the bulk organisation's week) after the previous round's; over a
   * weekend nothing moves, on a working day most open milestones' projections do.
   */
  computedOn: string;
  rounds: number;
  batchSize: number;
}

export interface RefreshRound {
  day: string;
  oursMs: number;
  bareMs: number;
  /** Plans the refresher re-projected, and the bare SQL claimed (the same unless something is wrong). */
  plans: number;
  barePlans: number;
  milestonesMoved: number;
  historyRows: number;
}

export interface RefreshChildReport {
  rounds: RefreshRound[];
  /**
   * process.memoryUsage() before the first round, and the highest values sampled while the
   * refresher ran (a sample's heap includes garbage not yet collected, which V8 lets grow with the
   * length of the run). What the job keeps (`liveHeap`) is read exactly: every KEEP_EVERY batches,
   * and as each round ends, a full collection is forced between two batches and the heap still
   * used after it is recorded (the highest of `fullCollections` readings).
   */
  memory: { startHeap: number; startRss: number; peakHeap: number; peakRss: number; samples: number; liveHeap: number; fullCollections: number };
}

const SAMPLE_MS = 10;
/** Batches between two forced collections: ~20 ms each, every 4,000 plans, under 1 % of a round's time. */
const KEEP_EVERY = 20;

async function run(init: RefreshInit): Promise<RefreshChildReport> {
  const { db } = await getDatabase();
  const rounds: RefreshRound[] = [];
  const start = process.memoryUsage();
  const memory = { startHeap: start.heapUsed, startRss: start.rss, peakHeap: start.heapUsed, peakRss: start.rss, samples: 0, liveHeap: 0, fullCollections: 0 };
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("refresh-child needs --expose-gc");
  const keptAfterFullCollection = () => {
    gc();
    memory.liveHeap = Math.max(memory.liveHeap, process.memoryUsage().heapUsed);
    memory.fullCollections++;
  };
  const sample = () => {
    const m = process.memoryUsage();
    memory.peakHeap = Math.max(memory.peakHeap, m.heapUsed);
    memory.peakRss = Math.max(memory.peakRss, m.rss);
    memory.samples++;
  };
  // Schedules computed on a weekend are those of the next working day: start from it.
  let day = init.computedOn;
  while (weekday(day) > 5) day = addCalendarDays(day, 1);
  for (let r = 1; r <= init.rounds; r++) {
    const previous = day;
    do day = addCalendarDays(day, 1);
    while (weekday(day) > 5);
    const now = new Date(`${day}T12:00:00Z`);
    // Row versions written after this transaction id are the refresher's (32-bit, as xmin is).
    const { rows: xid } = await sql<{ xid: string }>`select (txid_current() % 4294967296)::text as xid`.execute(db);
    const sinceXid = Number(xid[0].xid);

    const timer = setInterval(sample, SAMPLE_MS);
    let batches = 0;
    const t0 = performance.now();
    const plans = await refreshStaleSchedules(db, now, init.batchSize, () => {
      if (++batches % KEEP_EVERY === 0) keptAfterFullCollection();
    });
    const oursMs = performance.now() - t0;
    clearInterval(timer);
    sample();
    keptAfterFullCollection();

    const bare = await bareDay(db, init, { day, previous, now, sinceXid });
    rounds.push({ day, oursMs, plans, ...bare });
  }
  return { rounds, memory };
}

/**
 * The same day by the bare SQL, after the refresher's plans are made stale again (untimed). A
 * function of its own: the day's date history it reads (~80,000 rows at 100,000 plans) is let go
 * when it returns, so the next day's refresher is not measured holding it.
 */
async function bareDay(
  db: Awaited<ReturnType<typeof getDatabase>>["db"],
  init: RefreshInit,
  { day, previous, now, sinceXid }: { day: string; previous: string; now: Date; sinceXid: number },
): Promise<Pick<RefreshRound, "bareMs" | "barePlans" | "milestonesMoved" | "historyRows">> {
  const { rows: written } = await sql<{ plan_id: string; field: string; old_date: string | null; new_date: string | null }>`
    select plan_id, field, old_date, new_date from plan_date_history where org_id = ${init.orgId} and created_at = ${now}`.execute(db);
  const history = new Map<string, Array<{ field: string; old_date: string | null; new_date: string | null }>>();
  for (const { plan_id, ...row } of written) history.set(plan_id, [...(history.get(plan_id) ?? []), row]);
  await sql`update plans set schedule_computed_on = ${previous}
    where org_id = ${init.orgId} and status = 'active' and schedule_computed_on = ${day}`.execute(db);

  const t1 = performance.now();
  let afterId: string | null = null;
  let barePlans = 0;
  let milestonesMoved = 0;
  for (;;) {
    const batch = await bareRefreshBatch(db, { orgId: init.orgId, today: day, afterId, batchSize: init.batchSize, sinceXid, at: now, history });
    barePlans += batch.plans;
    milestonesMoved += batch.milestonesWritten;
    if (batch.plans < init.batchSize) break;
    afterId = batch.lastId;
  }
  return { bareMs: performance.now() - t1, barePlans, milestonesMoved, historyRows: written.length };
}

try {
  serveParent(closeDatabase);
  process.on("message", (m: { type: string; init?: RefreshInit }) => {
    if (m.type !== "refresh") return;
    void run(m.init!)
      .then((report) => process.send!({ type: "refresh-report", report }))
      .catch(reportChildError);
  });
  process.send!({ type: "ready" });
} catch (error) {
  reportChildError(error);
}
