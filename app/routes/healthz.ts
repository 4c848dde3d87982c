import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "kysely";

/** For load balancers: 200 when the database answers, 503 when it does not. */
export async function loader({ context }: LoaderFunctionArgs) {
  const started = performance.now();
  try {
    await sql`select 1`.execute(context.db);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return Response.json({ status: "ok", database: { status: "ok", kind: context.databaseKind, latencyMs } }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    const message = error instanceof Error ? error.message : "unknown error";
    return Response.json(
      { status: "error", database: { status: "error", kind: context.databaseKind, message } },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
