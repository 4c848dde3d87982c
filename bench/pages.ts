import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { DB } from "../db/types";
import { createLucia } from "~/infra/sessions.server";
import { createHttpApp } from "../server/http";
import { ServerChild, type MemoryUsage } from "./children";
import { withDatabase, type ScratchDatabase } from "./database";
import type { FloorInit } from "./floor-child";
import { load, mean, type LoadResult } from "./load";
import { roundRatios, type RoundRatio } from "./noise";
import type { BenchOptions } from "./options";
import { QueryCounter } from "./query-count";
import { loadPageData, pagePath, type PageKey } from "./page-data";
import { seedPageBench, type PageBenchData } from "./seed";

export type { PageKey } from "./page-data";

export interface PageThroughput {
  page: PageKey;
  bytes: number;
  ours: LoadResult[];
  floor: LoadResult[];
  oursRps: number;
  floorRps: number;
  /** Ours over the floor, round for round: the median and the spread. */
  ratio: RoundRatio;
  oursP99: number;
  floorP99: number;
  /** Requests that did not answer 2xx, or failed: a run with any is not a measurement. */
  failures: number;
  /**
   * The floor that also does the page's data work (session lookup, loaders, SQL) per request:
   * what is left between it and ours is Express and Remix's request plumbing. PostgreSQL only
   * (a PGlite directory belongs to one process, and our server holds it); empty otherwise.
   */
  floorWithData: LoadResult[];
  floorWithDataRps: number | null;
  ratioToFloorWithData: number | null;
  /**
   * CPU per request (ms of the server process's user and system time, over all rounds): ours and
   * the bare floor. Its inverse is requests per second per core, the capacity figure.
   */
  oursCpuMs: number | null;
  floorCpuMs: number | null;
}

const cpuText = (r: LoadResult) => `${((1000 * (r.cpuSeconds ?? NaN)) / r.requests).toFixed(2)} ms CPU per request`;

/** ms of CPU per request over runs whose server CPU was read (null if none was). */
export function cpuMsPerRequest(runs: LoadResult[]): number | null {
  const timed = runs.filter((r) => r.cpuSeconds !== undefined && r.requests > 0);
  if (!timed.length) return null;
  return (1000 * timed.reduce((sum, r) => sum + r.cpuSeconds!, 0)) / timed.reduce((sum, r) => sum + r.requests, 0);
}

export interface QueryCount {
  page: PageKey;
  milestones: number;
  count: number;
  kinds: string[];
}

export interface PagePhaseResult {
  kind: "postgres" | "pglite";
  throughput: PageThroughput[];
  queries: QueryCount[];
  /** RSS of the real server at the end of each of its loaded runs (bytes). */
  rssAfterRuns: number[];
  /** The real server's memory once started (before any load) and at the end of its last loaded run. */
  memoryAtStart: MemoryUsage | null;
  memoryAtEnd: MemoryUsage | null;
  /** What was seeded (the write-path measure reuses it). */
  data: PageBenchData;
}

export async function importBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
}

function listen(app: ReturnType<typeof createHttpApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, "127.0.0.1", () => resolve(server));
    server.once("error", reject);
  });
}

/**
 * Counts the statements one GET of a page sends on the Kysely instance, everything included: the
 * session lookup in the HTTP layer, the layout's loader, the page's loader. The page is fetched
 * once before counting (a buyer's first visit in half an hour also records the visit: that write
 * is reported apart).
 */
async function countQueries(
  db: Kysely<DB>,
  kind: "postgres" | "pglite",
  data: PageBenchData,
  options: BenchOptions,
): Promise<{ counts: QueryCount[]; bytes: Record<PageKey, number> }> {
  const counter = new QueryCounter();
  const counted = db.withPlugin(counter);
  const build = await importBuild();
  const app = createHttpApp({
    db: counted,
    databaseKind: kind,
    build,
    mode: "production",
    secureCookies: false,
    publicDir: path.resolve("public"),
    logRequests: false,
  });
  const server = await listen(app, options.portBase + 3);
  const origin = `http://127.0.0.1:${options.portBase + 3}`;
  const counts: QueryCount[] = [];
  const bytes = { buyer: 0, rep: 0 };
  try {
    const get = async (url: string, cookie: string) => {
      const response = await fetch(origin + url, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
      return body;
    };
    for (const page of ["buyer", "rep"] as const) {
      for (const plan of data.sized) {
        const cookie = page === "buyer" ? plan.buyerCookie : data.repCookie;
        await get(pagePath(page, plan.planId), cookie);
        counter.reset();
        await get(pagePath(page, plan.planId), cookie);
        counts.push({ page, milestones: plan.milestones, count: counter.count, kinds: [...counter.statements] });
      }
      const cookie = page === "buyer" ? data.demo.buyerCookie : data.repCookie;
      bytes[page] = Buffer.byteLength(await get(pagePath(page, data.demo.planId), cookie));
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return { counts, bytes };
}

/** What the page's routes' loaders return, loaded once with the app's own loaders and database. */
async function loadFloorData(db: Kysely<DB>, kind: "postgres" | "pglite", page: PageKey, planId: string, cookie: string): Promise<FloorInit> {
  const lucia = createLucia(db, { secureCookies: false });
  const loaderData = await loadPageData(await importBuild(), db, kind, lucia, page, planId, cookie);
  return { path: pagePath(page, planId), headers: { cookie }, loaderData, page, planId };
}

/** Seeds, counts statements, then loads our server and the floor in turn, 50 connections each. */
export async function runPagePhase(scratch: ScratchDatabase, options: BenchOptions): Promise<PagePhaseResult> {
  const { log } = options;
  log(`pages: seeding the demo organisation and plans of ${options.planSizes.join(" and ")} milestones (${scratch.kind})…`);
  const prepared = await withDatabase(scratch, async (database) => {
    const data = await seedPageBench(database.db, options.planSizes);
    log("pages: counting statements per page…");
    const { counts, bytes } = await countQueries(database.db, database.kind, data, options);
    const floors = {
      buyer: await loadFloorData(database.db, database.kind, "buyer", data.demo.planId, data.demo.buyerCookie),
      rep: await loadFloorData(database.db, database.kind, "rep", data.demo.planId, data.repCookie),
    };
    return { data, counts, bytes, floors };
  });

  const { data, counts, bytes, floors } = prepared;
  const cookies: Record<PageKey, string> = { buyer: data.demo.buyerCookie, rep: data.repCookie };
  log("pages: starting our server and the floor servers…");
  const ours = await ServerChild.start("server-child.ts", options.portBase + 1, scratch.env);
  const memoryAtStart = await ours.memory();
  const floorServers: Partial<Record<PageKey, ServerChild>> = {};
  const dataFloorServers: Partial<Record<PageKey, ServerChild>> = {};
  const rssAfterRuns: number[] = [];
  let memoryAtEnd: MemoryUsage | null = null;
  const throughput: PageThroughput[] = [];
  try {
    floorServers.buyer = await ServerChild.start("floor-child.ts", options.portBase + 2, {}, floors.buyer);
    floorServers.rep = await ServerChild.start("floor-child.ts", options.portBase + 4, {}, floors.rep);
    if (scratch.kind === "postgres") {
      dataFloorServers.buyer = await ServerChild.start("floor-child.ts", options.portBase + 8, { ...scratch.env, FLOOR_DATA: "on" }, floors.buyer);
      dataFloorServers.rep = await ServerChild.start("floor-child.ts", options.portBase + 9, { ...scratch.env, FLOOR_DATA: "on" }, floors.rep);
    }
    for (const page of ["buyer", "rep"] as const) {
      const url = pagePath(page, data.demo.planId);
      const headers = { cookie: cookies[page] };
      const floor = floorServers[page]!;
      const dataFloor = dataFloorServers[page];
      const run = async (server: ServerChild, seconds: number) => {
        const before = await server.cpuSeconds();
        const result = await load(server.origin + url, { connections: options.connections, durationSeconds: seconds, headers });
        return { ...result, cpuSeconds: (await server.cpuSeconds()) - before };
      };
      if (options.warmupSeconds > 0) {
        await run(ours, options.warmupSeconds);
        await run(floor, options.warmupSeconds);
        if (dataFloor) await run(dataFloor, options.warmupSeconds);
      }
      const result: PageThroughput = {
        page,
        bytes: bytes[page],
        ours: [],
        floor: [],
        oursRps: 0,
        floorRps: 0,
        ratio: roundRatios([], []),
        oursP99: 0,
        floorP99: 0,
        failures: 0,
        floorWithData: [],
        floorWithDataRps: null,
        ratioToFloorWithData: null,
        oursCpuMs: null,
        floorCpuMs: null,
      };
      for (let round = 0; round < options.rounds; round++) {
        const mine = await run(ours, options.durationSeconds);
        memoryAtEnd = await ours.memory();
        rssAfterRuns.push(memoryAtEnd.rss);
        const theirs = await run(floor, options.durationSeconds);
        const withData = dataFloor ? await run(dataFloor, options.durationSeconds) : null;
        result.ours.push(mine);
        result.floor.push(theirs);
        if (withData) result.floorWithData.push(withData);
        log(
          `pages: ${page} round ${round + 1}: ours ${mine.rps.toFixed(0)} req/s (p99 ${mine.p99} ms, ${cpuText(mine)}), floor ${theirs.rps.toFixed(0)} req/s (p99 ${theirs.p99} ms, ${cpuText(theirs)})` +
            (withData ? `, floor with the data work ${withData.rps.toFixed(0)} req/s (p99 ${withData.p99} ms)` : ""),
        );
      }
      result.oursRps = mean(result.ours.map((r) => r.rps));
      result.floorRps = mean(result.floor.map((r) => r.rps));
      result.ratio = roundRatios(
        result.ours.map((r) => r.rps),
        result.floor.map((r) => r.rps),
      );
      if (result.floorWithData.length) {
        result.floorWithDataRps = mean(result.floorWithData.map((r) => r.rps));
        result.ratioToFloorWithData = result.oursRps / result.floorWithDataRps;
      }
      result.oursCpuMs = cpuMsPerRequest(result.ours);
      result.floorCpuMs = cpuMsPerRequest(result.floor);
      result.oursP99 = Math.max(...result.ours.map((r) => r.p99));
      result.floorP99 = Math.max(...result.floor.map((r) => r.p99));
      result.failures = [...result.ours, ...result.floor, ...result.floorWithData].reduce((sum, r) => sum + r.non2xx + r.errors, 0);
      throughput.push(result);
    }
  } finally {
    await ours.stop();
    await floorServers.buyer?.stop();
    await floorServers.rep?.stop();
    await dataFloorServers.buyer?.stop();
    await dataFloorServers.rep?.stop();
  }
  return { kind: scratch.kind, throughput, queries: counts, rssAfterRuns, memoryAtStart, memoryAtEnd, data };
}

/** RSS of a server on PGlite at the end of a 50-connection run of the buyer page. */
export async function measurePgliteMemory(scratch: ScratchDatabase, options: BenchOptions): Promise<number> {
  options.log("memory: the same run on a PGlite server…");
  const data = await withDatabase(scratch, (database) => seedPageBench(database.db, options.planSizes));
  const server = await ServerChild.start("server-child.ts", options.portBase + 5, scratch.env);
  try {
    const url = `${server.origin}${pagePath("buyer", data.demo.planId)}`;
    await load(url, { connections: options.connections, durationSeconds: options.durationSeconds, headers: { cookie: data.demo.buyerCookie } });
    return await server.rss();
  } finally {
    await server.stop();
  }
}
