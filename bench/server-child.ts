/*
 * The real server for the benchmark: the same createHttpApp, server build and options as
 * server/serve.ts (production mode, request logs on), on a loopback port, in its own process.
 * The database is already migrated and seeded by the benchmark. On request it also times given
 * statements on its own pool, so that raw SQL is measured beside the pages in the same process.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { runCompiled } from "./baselines";
import { closeDatabase, getDatabase } from "~/infra/db.server";
import { getEnv } from "~/infra/env.server";
import { createHttpApp } from "../server/http";
import { reportChildError, serveParent, type StatementText } from "./children";

try {
  const env = getEnv();
  const database = await getDatabase();
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const app = createHttpApp({
    db: database.db,
    databaseKind: database.kind,
    build,
    mode: env.NODE_ENV,
    secureCookies: env.NODE_ENV === "production" && (env.APP_URL ?? "").startsWith("https://"),
    publicDir: path.resolve("public"),
    logRequests: env.LOG_REQUESTS === "on",
    appUrl: env.APP_URL,
  });
  const server = app.listen(Number(process.env.BENCH_PORT), "127.0.0.1", () => process.send!({ type: "ready" }));
  server.on("error", reportChildError);
  // The forecast row's raw SQL, timed here between page loads (bench/forecast.ts).
  process.on("message", (m: { type: string; statements?: StatementText[] }) => {
    if (m.type !== "time-statements") return;
    void (async () => {
      const ms: number[] = [];
      for (const statement of m.statements ?? []) {
        const t0 = performance.now();
        await runCompiled(database.db, statement);
        ms.push(performance.now() - t0);
      }
      process.send!({ type: "statement-times", ms });
    })().catch(reportChildError);
  });
  serveParent(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await closeDatabase();
  });
} catch (error) {
  reportChildError(error);
}
