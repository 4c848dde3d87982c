import { sql, type KyselyPlugin } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "~/infra/db.server";
import { devMailbox, startDispatcher } from "~/jobs/email-dispatcher.server";
import { createJobHealth, type JobHealth, type JobName } from "~/jobs/job-health.server";
import { startJobLeadership, type LeasedJob } from "~/jobs/job-leadership.server";
import { startScheduleRefresher } from "~/jobs/schedule-refresher.server";
import { startWebhookDispatcher } from "~/jobs/webhook-dispatcher.server";
import { readJobLease } from "~/models/job-leases.server";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer } from "../support/http";

/*
 * Issue 21, item 3: every app server ran every periodic job, so the work grew with the number of
 * servers. Now each job runs on the one server holding its lease (ADR 032). Several "servers" here
 * are job runners in one process with distinct instance ids over one database; their timers are
 * stretched out of the way and every run is a tick by hand, so the counts below are exact.
 */

const LEASED: LeasedJob[] = ["schedule-refresher", "email-scheduler", "email-dispatcher", "webhook-dispatcher"];
const HOUR = 3_600_000;
const quiet = () => {};

/** A JobHealth that also counts each job's runs (successes and failures alike). */
function countingHealth(): JobHealth & { runs: Map<JobName, number> } {
  const inner = createJobHealth({ log: quiet });
  const runs = new Map<JobName, number>();
  const count = (job: JobName) => runs.set(job, (runs.get(job) ?? 0) + 1);
  return {
    ...inner,
    runs,
    succeeded: (job) => (count(job), inner.succeeded(job)),
    failed: (job, error) => (count(job), inner.failed(job, error)),
  };
}

describe.each(testDatabaseTargets())("each periodic job on one instance at a time on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  const started: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    database = await target.open();
  });
  afterEach(async () => {
    for (const runner of started.splice(0)) await runner.stop();
    // Leases left by runners that "crashed" would hold the next test's runners off.
    await sql`delete from job_leases`.execute(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** One app server's jobs: every job due at every tick (periods of 0), the timers an hour away, statements counted. */
  function startRunner(instanceId: string, leaseSeconds: number, options: { takeOver?: boolean } = {}) {
    const health = countingHealth();
    let statements = 0;
    const counting: KyselyPlugin = {
      transformQuery(args) {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const jobsDb = database.db.withPlugin(counting);
    const leadership = startJobLeadership(database.db, { jobs: LEASED, instanceId, leaseSeconds, renewEveryMs: HOUR, health, log: quiet, ...options });
    const refresher = startScheduleRefresher(jobsDb, 0, { health, leadership, pollMs: HOUR, log: quiet });
    const email = startDispatcher(jobsDb, { mailer: devMailbox, pollMs: HOUR, scheduleEveryMs: 0, health, leadership, log: quiet });
    const webhooks = startWebhookDispatcher(jobsDb, { pollMs: HOUR, health, leadership, log: quiet });
    const stopJobs = () => Promise.all([refresher.stop(), email.stop(), webhooks.stop()]);
    const runner = {
      instanceId,
      leadership,
      health,
      get statements() {
        return statements;
      },
      /** One period: each job's tick, as its timer would. */
      tick: () => Promise.all([refresher.tick(), email.tick(), webhooks.tick()]),
      /** A clean shutdown: the jobs, then the leases, released. */
      stop: async () => {
        await stopJobs();
        await leadership.stop();
      },
      /** `kill -9`: nothing more runs, nothing is released. */
      crash: async () => {
        leadership.abandon();
        await stopJobs();
      },
    };
    started.push(runner);
    return runner;
  }
  type Runner = ReturnType<typeof startRunner>;

  const leaderOf = (runners: Runner[], job: LeasedJob) => runners.filter((r) => r.leadership.leads(job)).map((r) => r.instanceId);
  const runsOf = (runners: Runner[], job: LeasedJob) => runners.map((r) => r.health.runs.get(job) ?? 0);

  /** Started one after another, each once its first claims are in: the first takes every lease. */
  async function startRunners(ids: string[], leaseSeconds: number) {
    const runners: Runner[] = [];
    for (const id of ids) {
      const runner = startRunner(id, leaseSeconds);
      await runner.leadership.renew();
      runners.push(runner);
    }
    return runners;
  }

  it("runs each job on exactly one of three instances each period, and the others send nothing but lease claims", async () => {
    const runners = await startRunners(["server-a", "server-b", "server-c"], 30);
    for (const job of LEASED) expect(leaderOf(runners, job)).toEqual(["server-a"]);
    // Past the runs a new leader starts on its own when it takes a lease.
    for (const r of runners) await r.tick();
    const before = Object.fromEntries(LEASED.map((job) => [job, runsOf(runners, job)]));
    const recorded = Object.fromEntries(await Promise.all(LEASED.map(async (job) => [job, (await readJobLease(database.db, job))!.runs])));

    const periods = 3;
    for (let period = 0; period < periods; period++) {
      await Promise.all(runners.map((r) => r.leadership.renew()));
      for (const r of runners) await r.tick();
    }

    for (const job of LEASED) {
      const leader = leaderOf(runners, job);
      expect(leader).toHaveLength(1);
      const ran = runsOf(runners, job).map((n, i) => n - before[job][i]);
      expect(ran).toEqual(runners.map((r) => (r.instanceId === leader[0] ? periods : 0)));
      const lease = (await readJobLease(database.db, job))!;
      expect(lease.holder).toBe(leader[0]);
      // The webhook dispatcher writes a run down once per poll period (an hour here), not per round.
      if (job !== "webhook-dispatcher") expect(lease.runs - recorded[job]).toBe(periods);
    }
    // The instances leading nothing sent their jobs' tables no statement at all.
    expect(runners.map((r) => r.statements > 0)).toEqual([true, false, false]);
  });

  it("hands the jobs over at once when the leader stops, and not before the lease runs out when it dies", async () => {
    const runners = await startRunners(["server-a", "server-b", "server-c"], 30);
    const [first, ...rest] = runners;
    for (const job of LEASED) expect(leaderOf(runners, job)).toEqual([first.instanceId]);

    await first.stop();
    for (const r of rest) await r.leadership.renew();
    const [second, third] = rest;
    for (const job of LEASED) {
      expect(leaderOf(runners, job)).toEqual([second.instanceId]);
      expect((await readJobLease(database.db, job))!.holder).toBe(second.instanceId);
    }

    await second.crash();
    await third.leadership.renew();
    await third.tick();
    for (const job of LEASED) {
      // Thirty seconds of lease left: the dead server still holds every job, and nobody runs it meanwhile.
      expect(third.leadership.leads(job)).toBe(false);
      expect((await readJobLease(database.db, job))!.holder).toBe(second.instanceId);
      expect(third.health.runs.get(job) ?? 0).toBe(0);
    }
  });

  it("lets another instance take over once a dead leader's lease has run out, and that one runs the jobs", async () => {
    // The dead server's lease is a second long; the survivor's own is the usual length, so that it
    // keeps what it takes while the test looks.
    const dead = startRunner("server-dead", 1);
    await dead.leadership.renew();
    for (const job of LEASED) expect((await readJobLease(database.db, job))!.holder).toBe("server-dead");
    await dead.crash();
    const survivor = startRunner("server-survivor", 30);

    // A generous bound: a loaded machine may take much longer than the second to get round.
    await vi.waitFor(
      async () => {
        await survivor.leadership.renew();
        for (const job of LEASED) expect(survivor.leadership.leads(job)).toBe(true);
      },
      { timeout: 30_000, interval: 250 },
    );
    for (const job of LEASED) {
      // The dead one counted its lease from before the database granted it: it would have stopped by now.
      expect(dead.leadership.leads(job)).toBe(false);
      expect((await readJobLease(database.db, job))!.holder).toBe(survivor.instanceId);
    }
    // Past the runs the survivor started on its own as it took each lease.
    await survivor.tick();
    const before = LEASED.map((job) => survivor.health.runs.get(job) ?? 0);
    await survivor.tick();
    expect(LEASED.map((job) => survivor.health.runs.get(job) ?? 0)).toEqual(before.map((n) => n + 1));
  });

  it("gives a server restarted in its place (same host and port, so the same id) its leases back at once", async () => {
    const before = startRunner("app-1.internal:3000", 30);
    await before.leadership.renew();
    const other = startRunner("app-2.internal:3000", 30);
    await before.crash();
    const restarted = startRunner("app-1.internal:3000", 30);
    await other.leadership.renew();
    await restarted.leadership.renew();
    for (const job of LEASED) {
      expect(other.leadership.leads(job)).toBe(false);
      expect(restarted.leadership.leads(job)).toBe(true);
    }
  });

  it("takes every lease at once on the embedded database's terms (one process: a holder from an earlier run is gone)", async () => {
    const earlier = startRunner("earlier-run", 30);
    await earlier.leadership.renew();
    await earlier.crash();
    const restarted = startRunner("this-run", 30, { takeOver: true });
    await restarted.leadership.renew();
    for (const job of LEASED) {
      expect(restarted.leadership.leads(job)).toBe(true);
      expect((await readJobLease(database.db, job))!.holder).toBe("this-run");
    }
  });

  it("says in /healthz which jobs this instance leads, who leads the others, and when each last ran", async () => {
    const leader = startRunner("server-leader", 30);
    await leader.leadership.renew();
    const follower = startRunner("server-follower", 30);
    await follower.leadership.renew();
    await leader.tick();
    // The follower learns of the leader's runs when it next tries for the leases.
    await follower.leadership.renew();

    const servers = await Promise.all(
      [leader, follower].map((r) => startTestServer(database.db, target.name, [], { jobHealth: r.health, jobLeadership: r.leadership })),
    );
    try {
      const [fromLeader, fromFollower] = await Promise.all(
        servers.map(async (s) => {
          const response = await fetch(`${s.origin}/healthz`);
          expect(response.status).toBe(200);
          return (await response.json()) as {
            status: string;
            database: { status: string };
            jobs: Record<string, { status: string; lastRunAt: string }>;
            instance: string;
            leadership: Record<string, { leads: boolean; leader: string | null; lastRunAt: string | null }>;
          };
        }),
      );
      expect(fromLeader).toMatchObject({ status: "ok", database: { status: "ok" }, instance: "server-leader" });
      expect(fromFollower).toMatchObject({ status: "ok", database: { status: "ok" }, instance: "server-follower" });
      for (const job of LEASED) {
        const lease = (await readJobLease(database.db, job))!;
        expect(lease.lastRunAt).not.toBeNull();
        const lastRunAt = lease.lastRunAt!.toISOString();
        expect(fromLeader.leadership[job]).toEqual({ leads: true, leader: "server-leader", lastRunAt });
        expect(fromFollower.leadership[job]).toEqual({ leads: false, leader: "server-leader", lastRunAt });
        expect(fromLeader.jobs[job]).toMatchObject({ status: "ok" });
        expect(fromFollower.jobs[job]).toBeUndefined();
      }
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});
