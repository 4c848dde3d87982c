import { performance } from "node:perf_hooks";
import pg from "pg";
import type { KyselyPlugin } from "kysely";
import { todayIn } from "~/domain/dates";
import { findBuyer } from "~/models/buyer-access.server";
import { buyerSetDone } from "~/models/buyer-commands.server";
import { loadPlanContents } from "~/models/plan-page.server";
import { createScratchDatabase, withDatabase, type ScratchDatabase } from "./database";
import { median } from "./load";
import { seedPageBench } from "./seed";

/*
 * Where a buyer's edit spends its time on Citus beside PostgreSQL (ADR 034): the edit through the
 * write path with each of its statements timed, then the statement shapes and transaction shapes
 * it could take instead, each alone. `npm run bench:citus-write` with DATABASE_URL (PostgreSQL) and
 * BENCH_CITUS_URL (a coordinator); prints medians in ms.
 */

const EDITS = 100;
const SHAPE_RUNS = 200;
const WARMUP = 20;

/** Times every statement between Kysely's hand-off and its result, keyed by the statement's head. */
function statementTimer() {
  const started = new Map<unknown, [string, number]>();
  const times = new Map<string, number[]>();
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      const head =
        node.kind === "RawNode"
          ? node.sqlFragments
              .join("?")
              .replace(/\/\*.*?\*\//g, "")
              .replace(/\s+/g, " ")
              .trim()
              .slice(0, 40)
          : `${node.kind.replace("QueryNode", "").toLowerCase()} built by Kysely${node.kind === "SelectQueryNode" && node.endModifiers?.length ? " (… for update)" : ""}`;
      started.set(queryId, [head, performance.now()]);
      return node;
    },
    async transformResult({ result, queryId }) {
      const start = started.get(queryId);
      if (start) times.set(start[0], [...(times.get(start[0]) ?? []), performance.now() - start[1]]);
      return result;
    },
  };
  return { plugin, times };
}

async function timeEdits(scratch: ScratchDatabase) {
  return withDatabase(scratch, async ({ db }) => {
    const data = await seedPageBench(db, [10, 100]);
    const now = new Date();
    const today = todayIn("UTC", now);
    const buyer = await findBuyer(db, data.demo.planId, data.demo.buyerCookie.split("=")[1], now);
    if (!buyer) throw new Error("The demo buyer's session does not resolve.");
    const milestone = (await loadPlanContents(db, buyer.org_id, data.demo.planId)).milestones.find((m) => m.owner_side === "buyer" && !m.completed_on);
    if (!milestone) throw new Error("The demo plan has no open buyer milestone.");
    const timer = statementTimer();
    const timed = db.withPlugin(timer.plugin);
    let version = milestone.version;
    const edits: number[] = [];
    for (let i = 0; i < WARMUP + EDITS; i++) {
      if (i === WARMUP) timer.times.clear();
      const t0 = performance.now();
      await buyerSetDone(timed, buyer, today, `bench-${i}`, milestone.id, version++, i % 2 === 0);
      if (i >= WARMUP) edits.push(performance.now() - t0);
    }
    return { edit: median(edits), statements: [...timer.times].map(([head, times]) => ({ head, ms: median(times) })) };
  });
}

/** Statement and transaction shapes on the same data, each run alone, on a connection of its own. */
async function timeShapes(url: string) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows: plans } = await client.query("select org_id, id from plans where milestones_total = 10 order by id limit 1");
    const { org_id: org, id: plan } = plans[0];
    const { rows: milestones } = await client.query("select id from milestones where org_id = $1 and plan_id = $2 order by position limit 1", [org, plan]);
    const milestone = milestones[0].id;
    await client.query(`create or replace function bench_store(o uuid, p uuid) returns void language plpgsql as $$
      begin
        update plans set slip_days = slip_days where org_id = o and id = p;
        insert into plan_date_history (org_id, plan_id, field, old_date, new_date, actor_name, actor_side, effective_on)
          values (o, p, 'projected_close', null, null, 'bench', 'buyer', current_date);
        update milestones set lag_days = lag_days where org_id = o and plan_id = p and position = 0;
      end $$`);
    const citus = (await client.query("select 1 from pg_extension where extname = 'citus'")).rowCount === 1;
    if (citus)
      await client.query("select create_distributed_function('bench_store(uuid,uuid)', 'o', colocate_with => 'organisations', force_delegation => true)");
    const q = (name: string, text: string, values: unknown[]) => () => client.query({ name, text, values });
    const inTransaction = {
      "lock, fast path": q("s1", "select * from plans where org_id = $1 and id = $2 for update", [org, plan]),
      "lock reading the webhook endpoints (today's)": q(
        "s2",
        "select *, (select json_agg(e.id) from webhook_endpoints e where e.org_id = $1 and e.active) from plans where org_id = $1 and id = $2 for update",
        [org, plan],
      ),
      "milestone bump returning the row before (today's)": q(
        "s3",
        "update milestones m set version = m.version + 1 from (select * from milestones where org_id = $1 and plan_id = $2 and id = $3) old where m.org_id = $1 and m.id = old.id returning old.*",
        [org, plan, milestone],
      ),
      "milestone bump, fast path": q("s4", "update milestones set version = version + 1 where org_id = $1 and id = $2 returning *", [org, milestone]),
    };
    const whole = {
      "select, fast path, no transaction": async () =>
        void (await client.query({ name: "w1", text: "select * from plans where org_id = $1 and id = $2", values: [org, plan] })),
      "begin; lock; update; insert; commit": async () => {
        await client.query("begin");
        await inTransaction["lock, fast path"]();
        await client.query({ name: "w2", text: "update plans set slip_days = slip_days where org_id = $1 and id = $2", values: [org, plan] });
        await client.query({
          name: "w3",
          text: "insert into plan_date_history (org_id, plan_id, field, old_date, new_date, actor_name, actor_side, effective_on) values ($1, $2, 'projected_close', null, null, 'bench', 'buyer', current_date)",
          values: [org, plan],
        });
        await client.query("commit");
      },
      "begin; lock; the same three writes in one function; commit": async () => {
        await client.query("begin");
        await inTransaction["lock, fast path"]();
        // A constant distribution argument: Citus delegates only a call whose org is known at planning.
        await client.query(`select bench_store('${org}', '${plan}')`);
        await client.query("commit");
      },
      "the function alone, no transaction block": async () => void (await client.query(`select bench_store('${org}', '${plan}')`)),
    };
    const results: Record<string, number> = {};
    for (const [label, run] of Object.entries(inTransaction)) {
      const times: number[] = [];
      for (let i = 0; i < SHAPE_RUNS; i++) {
        // After a first statement, so the worker's BEGIN is not in the time.
        await client.query("begin");
        await client.query({ name: "w1", text: "select * from plans where org_id = $1 and id = $2", values: [org, plan] });
        const t0 = performance.now();
        await run();
        if (i >= WARMUP) times.push(performance.now() - t0);
        await client.query("rollback");
      }
      results[`in a transaction: ${label}`] = median(times);
    }
    for (const [label, run] of Object.entries(whole)) {
      const times: number[] = [];
      for (let i = 0; i < SHAPE_RUNS; i++) {
        const t0 = performance.now();
        await run();
        if (i >= WARMUP) times.push(performance.now() - t0);
      }
      results[label] = median(times);
    }
    return results;
  } finally {
    await client.end();
  }
}

async function measure(adminUrl: string, label: string) {
  const scratch = await createScratchDatabase(adminUrl, `citus_write_${label}`);
  try {
    const edits = await timeEdits(scratch);
    const shapes = await timeShapes(scratch.env.DATABASE_URL);
    return { edits, shapes };
  } finally {
    await scratch.drop();
  }
}

const postgresUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
const citusUrl = process.env.BENCH_CITUS_URL;
if (!postgresUrl || !citusUrl) {
  console.error("Set DATABASE_URL (PostgreSQL) and BENCH_CITUS_URL (a Citus coordinator).");
  process.exit(2);
}
const postgres = await measure(postgresUrl, "pg");
const citus = await measure(citusUrl, "citus");
const row = (label: string, a: number, b: number) => console.log(`| ${label} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(2)}× |`);
console.log("| Measure | PostgreSQL ms | Citus ms | Citus / PostgreSQL |\n|---|---|---|---|");
row(`buyer edit through the write path (median of ${EDITS})`, postgres.edits.edit, citus.edits.edit);
for (const statement of postgres.edits.statements) {
  const other = citus.edits.statements.find((s) => s.head === statement.head);
  if (other) row(`… its statement \`${statement.head}…\``, statement.ms, other.ms);
}
for (const [label, ms] of Object.entries(postgres.shapes)) row(label, ms, citus.shapes[label]);
