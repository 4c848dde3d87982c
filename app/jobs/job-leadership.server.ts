import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { claimJobLease, recordJobRun, releaseJobLease, type JobLeaseState } from "~/models/job-leases.server";
import { createJobHealth, type JobHealth } from "~/jobs/job-health.server";
import { pollEvery } from "~/jobs/poll-loop.server";

/*
 * Which periodic jobs this app server runs (ADR 032). Every server that runs a job competes for its
 * lease row (app/models/job-leases.server.ts); the one holding it does the job's work, the others
 * only try to take the lease, so the work per period is the same for one server or twenty.
 *
 * The database grants a lease until its own `now()` plus the lease's length. This process counts
 * its lease from the moment it *sent* the claim, on its monotonic clock, so it stops leading no
 * later than the database lets another server take over, whatever the two wall clocks say. A
 * renewal every third of the lease keeps it; a server that dies loses it within one lease length,
 * one that stops releases it at once.
 */

export type LeasedJob = "schedule-refresher" | "email-scheduler" | "email-dispatcher" | "webhook-dispatcher";

export interface LeadershipEntry {
  /** Whether this instance runs the job now. */
  leads: boolean;
  /** The instance holding the lease when last looked (null: nobody has yet). */
  leader: string | null;
  /** When the job last ran, on whichever instance (the database's clock). */
  lastRunAt: string | null;
}

export interface JobLeadership {
  readonly instanceId: string;
  /** Whether this instance holds `job`'s lease now: only then does it do the job's work. No I/O. */
  leads(job: LeasedJob): boolean;
  /** Whether this instance leads `job` and its last run, here or on the previous leader, is at least `everyMs` old. */
  due(job: LeasedJob, everyMs: number): boolean;
  /** Records that `job` ran (in the lease row when there is one); never throws. */
  ran(job: LeasedJob): Promise<void>;
  /** `listener` runs each time this instance takes `job`'s lease, so a new leader starts at once. */
  onLead(job: LeasedJob, listener: () => void): void;
  report(): Partial<Record<LeasedJob, LeadershipEntry>>;
}

export interface RunningJobLeadership extends JobLeadership {
  /** Claims or renews every lease now (the timer does it every `renewEveryMs`). */
  renew(): Promise<void>;
  /** Stops renewing and releases the leases held, so another instance takes over at once. */
  stop(): Promise<void>;
  /** Stops renewing and leaves the leases to expire: what a crashed server does (tests). */
  abandon(): void;
}

/** Never run: older than any period. */
const NEVER = Number.MAX_SAFE_INTEGER;

/** host:pid:random, for a process that serves no port. The random part keeps two processes apart even when host and pid repeat (containers are often pid 1). */
export function newInstanceId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/**
 * host:port for an app server: two processes cannot listen on one port of one machine at once, and
 * a server restarted in its place (after a crash, by systemd) takes its own leases back at its
 * first claim instead of waiting a lease out.
 */
export function serverInstanceId(port: number): string {
  return `${os.hostname()}:${port}`;
}

/**
 * For a job started on its own (scripts, tests, one process on the embedded database without the
 * lease table in play): it always leads, and remembers its own last run.
 */
export function soloLeadership(instanceId = newInstanceId()): JobLeadership {
  const lastRun = new Map<LeasedJob, number>();
  return {
    instanceId,
    leads: () => true,
    due: (job, everyMs) => performance.now() - (lastRun.get(job) ?? -NEVER) >= everyMs,
    async ran(job) {
      lastRun.set(job, performance.now());
    },
    onLead() {},
    report: () => ({}),
  };
}

export interface JobLeadershipOptions {
  jobs: readonly LeasedJob[];
  instanceId?: string;
  /** How long a lease runs without renewal: the longest a job waits after its leader dies. */
  leaseSeconds?: number;
  /** Default: a third of the lease, so two renewals can fail before it runs out. */
  renewEveryMs?: number;
  /** Take every lease whoever holds it: the embedded database, which one process alone can open, so a holder left from a previous run is gone. */
  takeOver?: boolean;
  health?: JobHealth;
  log?: (line: string) => void;
}

interface JobState {
  /** performance.now() until which this instance leads (0: it does not). */
  heldUntil: number;
  /** performance.now() of the job's last run here, or as the database reported the previous leader's. */
  lastRunAt: number;
  lease: JobLeaseState | null;
  listeners: Array<() => void>;
}

export function startJobLeadership(db: Kysely<DB>, options: JobLeadershipOptions): RunningJobLeadership {
  const instanceId = options.instanceId ?? newInstanceId();
  const leaseSeconds = options.leaseSeconds ?? 30;
  const renewEveryMs = options.renewEveryMs ?? (leaseSeconds * 1000) / 3;
  const log = options.log ?? ((line: string) => console.log(line));
  const health = options.health ?? createJobHealth({ log });
  const jobs = new Map<LeasedJob, JobState>(options.jobs.map((job) => [job, { heldUntil: 0, lastRunAt: -NEVER, lease: null, listeners: [] }]));
  const write = (job: LeasedJob, message: string) => log(JSON.stringify({ level: "info", time: new Date().toISOString(), job, instance: instanceId, message }));
  const stateOf = (job: LeasedJob) => {
    const state = jobs.get(job);
    if (!state) throw new Error(`${job} is not one of this instance's leased jobs`);
    return state;
  };
  const leads = (job: LeasedJob) => performance.now() < stateOf(job).heldUntil;
  let stopped = false;

  async function renewOne(job: LeasedJob, state: JobState) {
    const sentAt = performance.now();
    const claim = await claimJobLease(db, { job, holder: instanceId, leaseSeconds, takeOver: options.takeOver });
    const wasLeading = performance.now() < state.heldUntil;
    state.lease = claim.lease;
    if (!claim.held || stopped) {
      state.heldUntil = 0;
      if (wasLeading) write(job, `${job}: no longer leads (now ${claim.lease?.holder ?? "nobody"})`);
      return;
    }
    state.heldUntil = sentAt + leaseSeconds * 1000;
    if (wasLeading) return;
    // Taken over: the job's last run, by whoever ran it, counts from the database's clock at the grant.
    const lastRun = claim.lease?.lastRunAt;
    if (lastRun && claim.grantedAt) state.lastRunAt = Math.max(state.lastRunAt, performance.now() - (claim.grantedAt.getTime() - lastRun.getTime()));
    write(job, `${job}: leads`);
    for (const listener of state.listeners) listener();
  }

  let renewing: Promise<void> | null = null;
  function renew(): Promise<void> {
    renewing ??= (async () => {
      let failure: unknown = null;
      for (const [job, state] of jobs) {
        if (stopped) break;
        try {
          await renewOne(job, state);
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure) health.failed("job-leases", failure);
      else health.succeeded("job-leases");
    })().finally(() => {
      renewing = null;
    });
    return renewing;
  }

  void renew();
  const loop = pollEvery(renewEveryMs, renew);

  return {
    instanceId,
    leads,
    due(job, everyMs) {
      return leads(job) && performance.now() - stateOf(job).lastRunAt >= everyMs;
    },
    async ran(job) {
      const state = stateOf(job);
      state.lastRunAt = performance.now();
      try {
        const recorded = await recordJobRun(db, job, instanceId);
        if (recorded && state.lease) state.lease = { ...state.lease, ...recorded };
      } catch (error) {
        health.failed("job-leases", error);
      }
    },
    onLead(job, listener) {
      stateOf(job).listeners.push(listener);
    },
    report() {
      return Object.fromEntries(
        [...jobs].map(([job, state]) => [
          job,
          { leads: leads(job), leader: state.lease?.holder ?? null, lastRunAt: state.lease?.lastRunAt?.toISOString() ?? null },
        ]),
      );
    },
    renew,
    async stop() {
      stopped = true;
      loop.stop();
      await renewing;
      for (const [job, state] of jobs) {
        state.heldUntil = 0;
        if (state.lease?.holder !== instanceId) continue;
        await releaseJobLease(db, job, instanceId).catch((error: unknown) => health.failed("job-leases", error));
      }
    },
    abandon() {
      stopped = true;
      loop.stop();
    },
  };
}
