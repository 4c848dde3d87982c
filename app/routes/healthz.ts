import type { LoaderFunctionArgs } from "@remix-run/node";
import { databaseLatencyMs } from "~/models/health.server";

/**
 * For load balancers: 200 when the database answers, 503 when it does not. For monitoring, also
 * how this process's background jobs (email, webhooks, re-projection) are doing: a job whose last
 * run failed makes the status "degraded", with the job, since when and its last error. Still a
 * 200: the pages work, and a balancer that took every server out because one background statement
 * fails everywhere would turn stalled mail into an outage. And which periodic jobs this process
 * leads among the servers sharing the database (ADR 032): for each, whether it leads, which
 * instance does, and when the job last ran there.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const jobs = context.jobHealth?.report() ?? {};
  const degraded = context.jobHealth?.failing() ?? false;
  const instance = context.jobLeadership?.instanceId ?? null;
  const leadership = context.jobLeadership?.report() ?? {};
  try {
    const latencyMs = await databaseLatencyMs(context.db);
    return Response.json(
      { status: degraded ? "degraded" : "ok", database: { status: "ok", kind: context.databaseKind, latencyMs }, jobs, instance, leadership },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : "unknown error";
    return Response.json(
      { status: "error", database: { status: "error", kind: context.databaseKind, message }, jobs, instance, leadership },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
