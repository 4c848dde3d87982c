import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { refreshStaleSchedules } from "~/models/schedule-refresh.server";
import { createJobHealth, type JobHealth } from "~/jobs/job-health.server";
import { soloLeadership, type JobLeadership } from "~/jobs/job-leadership.server";
import { pollEvery } from "~/jobs/poll-loop.server";

const JOB = "schedule-refresher";

/*
 * Re-projects plans whose stored schedule is from an earlier day, at start and every quarter of
 * an hour (cheap when nothing is stale: one indexed query per organisation). With several app
 * servers, only the one leading the job runs it (ADR 032), a quarter of an hour after the last
 * run wherever that was; plans are claimed with SKIP LOCKED all the same.
 */
export function startScheduleRefresher(
  db: Kysely<DB>,
  intervalMs = 15 * 60_000,
  options: { health?: JobHealth; log?: (line: string) => void; leadership?: JobLeadership; pollMs?: number } = {},
) {
  const log = options.log ?? ((line: string) => console.log(line));
  const health = options.health ?? createJobHealth({ log });
  const leadership = options.leadership ?? soloLeadership();
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) return running;
    if (!leadership.due(JOB, intervalMs)) return Promise.resolve();
    running = refreshStaleSchedules(db, new Date())
      .then((count) => {
        health.succeeded(JOB);
        if (count) log(JSON.stringify({ level: "info", time: new Date().toISOString(), message: `re-projected ${count} plan(s) for a new day` }));
      })
      .catch((error: unknown) => health.failed(JOB, error))
      .then(() => leadership.ran(JOB))
      .finally(() => {
        running = null;
      });
    return running;
  };
  leadership.onLead(JOB, () => void tick());
  void tick();
  // Looks more often than it runs, so a new leader picks the job up within a minute of its being due.
  const loop = pollEvery(options.pollMs ?? Math.min(intervalMs, 60_000), tick);
  return {
    /** Runs the job now if this instance leads it and it is due (and waits for it). */
    tick,
    async stop() {
      stopped = true;
      loop.stop();
      await running;
    },
  };
}
