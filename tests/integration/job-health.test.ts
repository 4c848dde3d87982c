import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { devMailbox, startDispatcher } from "~/jobs/email-dispatcher.server";
import { createJobHealth } from "~/jobs/job-health.server";
import { startWebhookDispatcher } from "~/jobs/webhook-dispatcher.server";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer } from "../support/http";

/*
 * Issue 20: on Citus the outbox claims were refused, and the dispatchers logged the same error
 * every few seconds while mail and webhooks silently stopped. A job that fails must show in
 * /healthz (which job, since when, the last error) and be logged once when it starts failing and
 * once when it recovers.
 */

const REFUSAL = "could not run distributed query with FOR UPDATE/SHARE";

describe.each(testDatabaseTargets())("background job health on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const logLines: string[] = [];
  const health = createJobHealth({ log: (line) => logLines.push(line) });
  // Every statement the dispatchers send fails while `broken`, as the claims did on Citus.
  let broken = false;
  const breaking: KyselyPlugin = {
    transformQuery(args) {
      if (broken) throw new Error(REFUSAL);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };

  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database.db, target.name, [], { jobHealth: health });
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const healthz = async () => {
    const response = await fetch(`${server.origin}/healthz`);
    expect(response.status).toBe(200);
    return (await response.json()) as { status: string; jobs: Record<string, { status: string; failures?: number; lastError?: string; since?: string }> };
  };
  const linesAbout = (job: string) => logLines.map((l) => JSON.parse(l) as { level: string; job?: string; message: string }).filter((l) => l.job === job);

  it("shows dispatchers whose statements fail in /healthz, logs each once, and clears them when the statements work again", async () => {
    const db = database.db.withPlugin(breaking);
    // Ticked by hand: the timers would add runs the counts below cannot predict.
    const email = startDispatcher(db, { mailer: devMailbox, pollMs: 3_600_000, scheduleEveryMs: Number.POSITIVE_INFINITY, health, log: () => {} });
    const webhooks = startWebhookDispatcher(db, { pollMs: 3_600_000, health, log: () => {} });
    try {
      await email.tick();
      await webhooks.tick();
      expect(await healthz()).toMatchObject({ status: "ok", jobs: { "email-dispatcher": { status: "ok" }, "webhook-dispatcher": { status: "ok" } } });

      broken = true;
      for (let run = 0; run < 3; run++) {
        await email.tick();
        await webhooks.tick();
      }
      const failing = await healthz();
      expect(failing.status).toBe("degraded");
      for (const job of ["email-dispatcher", "webhook-dispatcher"]) {
        expect(failing.jobs[job]).toMatchObject({ status: "failing", failures: 3, lastError: REFUSAL });
        expect(Date.parse(failing.jobs[job].since!)).not.toBeNaN();
        // Once when it started failing, not once per run.
        expect(linesAbout(job)).toEqual([expect.objectContaining({ level: "error", message: `${job} failing: ${REFUSAL}` })]);
      }

      broken = false;
      await email.tick();
      await webhooks.tick();
      expect(await healthz()).toMatchObject({ status: "ok", jobs: { "email-dispatcher": { status: "ok" }, "webhook-dispatcher": { status: "ok" } } });
      for (const job of ["email-dispatcher", "webhook-dispatcher"]) {
        expect(linesAbout(job).map((l) => l.level)).toEqual(["error", "info"]);
        expect(linesAbout(job)[1].message).toBe(`${job} recovered`);
      }
    } finally {
      broken = false;
      await email.stop();
      await webhooks.stop();
    }
  });
});
