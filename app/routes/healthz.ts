import type { LoaderFunctionArgs } from "@remix-run/node";
import { databaseLatencyMs } from "~/models/health.server";

/** For load balancers: 200 when the database answers, 503 when it does not. */
export async function loader({ context }: LoaderFunctionArgs) {
  try {
    const latencyMs = await databaseLatencyMs(context.db);
    return Response.json({ status: "ok", database: { status: "ok", kind: context.databaseKind, latencyMs } }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    const message = error instanceof Error ? error.message : "unknown error";
    return Response.json(
      { status: "error", database: { status: "error", kind: context.databaseKind, message } },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
