import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { refreshStaleSchedules } from "~/models/schedule-refresh.server";
import { createJobHealth, type JobHealth } from "~/jobs/job-health.server";

/*
 * Re-projects plans whose stored schedule is from an earlier day, at start and every quarter of
 * an hour (cheap when nothing is stale: one indexed query per organisation). Every app server may
 * run it; plans are claimed with SKIP LOCKED.
 */
export function startScheduleRefresher(db: Kysely<DB>, intervalMs = 15 * 60_000, options: { health?: JobHealth; log?: (line: string) => void } = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  const health = options.health ?? createJobHealth({ log });
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = refreshStaleSchedules(db, new Date())
      .then((count) => {
        health.succeeded("schedule-refresher");
        if (count) log(JSON.stringify({ level: "info", time: new Date().toISOString(), message: `re-projected ${count} plan(s) for a new day` }));
      })
      .catch((error: unknown) => health.failed("schedule-refresher", error))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
