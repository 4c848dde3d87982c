/*
 * How the background jobs of this process are doing, for /healthz and the log. A job that throws
 * on every tick used to log the same line every few seconds while mail and webhooks silently
 * stopped (issue 20: the claims Citus refused). Now each job reports each run here: the first
 * failure after a success is logged once, with the error; the first success after failures is
 * logged once, with how many runs failed; in between, /healthz shows the job as failing, since
 * when, and its last error.
 */

export type JobName = "email-dispatcher" | "email-scheduler" | "webhook-dispatcher" | "webhook-deliveries" | "schedule-refresher" | "job-leases";

export type JobReport = { status: "ok"; lastRunAt: string } | { status: "failing"; failures: number; since: string; lastError: string; lastRunAt: string };

export interface JobHealth {
  succeeded(job: JobName): void;
  failed(job: JobName, error: unknown): void;
  /** Every job that has run in this process, by name. */
  report(): Partial<Record<JobName, JobReport>>;
  /** Whether any job's last run failed. */
  failing(): boolean;
}

/** Long enough to name the statement and the cause; a driver error can carry a whole query. */
const MAX_ERROR_LENGTH = 300;

export function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
}

export function createJobHealth(options: { log?: (line: string) => void; now?: () => Date } = {}): JobHealth {
  const log = options.log ?? ((line: string) => console.log(line));
  const clock = options.now ?? (() => new Date());
  const jobs = new Map<JobName, JobReport>();
  const write = (level: "info" | "error", job: JobName, message: string, extra: Record<string, unknown> = {}) =>
    log(JSON.stringify({ level, time: clock().toISOString(), job, message, ...extra }));

  return {
    succeeded(job) {
      const before = jobs.get(job);
      if (before?.status === "failing") write("info", job, `${job} recovered`, { failedRuns: before.failures, failingSince: before.since });
      jobs.set(job, { status: "ok", lastRunAt: clock().toISOString() });
    },
    failed(job, error) {
      const before = jobs.get(job);
      const at = clock().toISOString();
      const lastError = errorMessage(error);
      if (before?.status === "failing") {
        jobs.set(job, { ...before, failures: before.failures + 1, lastError, lastRunAt: at });
        return;
      }
      write("error", job, `${job} failing: ${lastError}`);
      jobs.set(job, { status: "failing", failures: 1, since: at, lastError, lastRunAt: at });
    },
    report() {
      return Object.fromEntries(jobs);
    },
    failing() {
      return [...jobs.values()].some((j) => j.status === "failing");
    },
  };
}
