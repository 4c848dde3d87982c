/*
 * `npm run soak` (item 11 of the safety suite): the built server on a scratch PostgreSQL database
 * under 50 concurrent users (buyers on their links and signed-in reps and managers) for
 * SOAK_SECONDS (default 120; run 1800 for the documented 30 minutes). Reports requests, errors,
 * latency percentiles and the server's resident memory; fails when errors reach 0.1% of requests
 * or memory grows 10% or more between the first and the last stretch of the run.
 *
 * SOAK_SECONDS=1800 SOAK_USERS=50 npm run soak
 */
import { loadSigningSecret } from "~/models/app-secrets.server";
import { openDatabase } from "~/infra/db.server";
import { percentile, requireBuild, scratchDatabase, startServer, stopGracefully } from "../support/server-process";
import { prepareSoakUsers, runSoakUsers } from "./soak-workload";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const USERS = Number(process.env.SOAK_USERS ?? 50);
const BUYER_SHARE = 0.6;
const PORT = Number(process.env.SOAK_PORT ?? 3470);

requireBuild();
const scratch = await scratchDatabase("pt_soak");
const database = await openDatabase({ databaseUrl: scratch.url });
const db = database.db;
const server = await startServer({ port: PORT, databaseUrl: scratch.url, env: { EMAIL_DISPATCHER: "on" } });
// The buyers' links are made in this process: signed with the secret the server stored (ADR 018).
await loadSigningSecret(db);

interface Sample {
  action: string;
  ms: number;
  status: number | "network";
}
const samples: Sample[] = [];
const rss: Array<{ t: number; mb: number }> = [];

try {
  const origin = server.origin;
  const users = await prepareSoakUsers(db, origin, USERS, BUYER_SHARE);
  const buyers = users.buyers;

  async function timed(action: string, _safe: boolean, run: (origin: string) => Promise<Response>) {
    const t0 = performance.now();
    try {
      const response = await run(origin);
      await response.arrayBuffer();
      samples.push({ action, ms: performance.now() - t0, status: response.status });
    } catch {
      samples.push({ action, ms: performance.now() - t0, status: "network" });
    }
  }

  const deadline = Date.now() + SECONDS * 1000;
  const started = Date.now();
  const sampler = setInterval(() => {
    const mb = server.rssMb();
    if (mb !== null) rss.push({ t: (Date.now() - started) / 1000, mb });
  }, 1000);
  const progress = setInterval(
    () => console.log(`${Math.round((Date.now() - started) / 1000)} s: ${samples.length} requests, RSS ${rss.at(-1)?.mb.toFixed(0) ?? "?"} MB`),
    15_000,
  );
  await runSoakUsers(db, users, deadline, timed);
  clearInterval(sampler);
  clearInterval(progress);

  // ------------------------------------------------------------------ report
  const ok = (s: Sample) => typeof s.status === "number" && (s.status < 400 || s.status === 409);
  const errors = samples.filter((s) => !ok(s));
  const conflicts = samples.filter((s) => s.status === 409).length;
  const errorRate = errors.length / Math.max(1, samples.length);
  const all = samples.map((s) => s.ms).sort((a, b) => a - b);
  // Memory: the median of the first tenth after a tenth of warm-up, against the median of the last tenth.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const tenth = Math.max(1, Math.floor(rss.length / 10));
  const early = median(rss.slice(tenth, 2 * tenth).map((r) => r.mb));
  const late = median(rss.slice(-tenth).map((r) => r.mb));
  const growth = (late - early) / early;
  const byAction = new Map<string, number[]>();
  for (const s of samples) byAction.set(s.action, [...(byAction.get(s.action) ?? []), s.ms]);

  console.log(`
Soak on PostgreSQL: ${USERS} concurrent users (${buyers.length} buyers, ${USERS - buyers.length} reps and managers) for ${SECONDS} s
  requests     ${samples.length} (${(samples.length / SECONDS).toFixed(1)}/s); 409 conflicts (expected between concurrent editors) ${conflicts}
  errors       ${errors.length} (${(errorRate * 100).toFixed(3)}%): ${JSON.stringify(errors.reduce<Record<string, number>>((acc, s) => ({ ...acc, [String(s.status)]: (acc[String(s.status)] ?? 0) + 1 }), {}))}
  latency      p50 ${percentile(all, 50).toFixed(0)} ms, p95 ${percentile(all, 95).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms, max ${all.at(-1)?.toFixed(0)} ms
  memory (RSS) ${early.toFixed(0)} MB early → ${late.toFixed(0)} MB at the end: ${(growth * 100).toFixed(1)}% (peak ${Math.max(...rss.map((r) => r.mb)).toFixed(0)} MB)
  per action   ${[...byAction]
    .map(
      ([a, ms]) =>
        `${a} ${ms.length} p95 ${percentile(
          ms.sort((x, y) => x - y),
          95,
        ).toFixed(0)} ms`,
    )
    .join("; ")}
  result       ${errorRate < 0.001 && growth < 0.1 ? "held: errors < 0.1% and RSS growth < 10%" : "FAILED"}`);
  process.exitCode = errorRate < 0.001 && growth < 0.1 ? 0 : 1;
} finally {
  await stopGracefully(server);
  await database.close();
  await scratch.drop();
}
