import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { DEMO_LOGINS } from "../db/demo-seed";
import { createLucia, startSession } from "~/infra/sessions.server";
import { findLoginAccount } from "~/models/user.server";
import { ServerChild } from "./children";
import { withDatabase, type ScratchDatabase } from "./database";
import { median } from "./load";
import type { BenchOptions } from "./options";
import { pagePath } from "./page-data";
import type { PageBenchData } from "./seed";

/*
 * What a person feels on a first load (issue 23 item 1): Lighthouse 12's performance audit of the
 * buyer page on its mobile profile (simulated Slow 4G, 4× CPU slow-down), and of the rep's plan
 * workspace and the manager's forecast on its desktop profile, against the real server (production
 * build, compression on, as a browser asks for it) on the page phase's database. Each page is
 * audited several times in a fresh Chromium; each figure is the median of those runs.
 */

export type LighthouseProfile = "mobile" | "desktop";

export interface LighthouseAudit {
  page: "buyer" | "rep" | "forecast";
  profile: LighthouseProfile;
  runs: number;
  score: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  /** Bytes over the network, compressed as sent. */
  transferredBytes: number;
  /** Speed index, for the record. */
  speedIndexMs: number;
  /**
   * Lighthouse's own reading of the host's CPU speed. The mobile profile's 4× slow-down is applied
   * on top of the host, so blocking time on a slower host reads higher for the same page.
   */
  benchmarkIndex: number;
}

export type LighthouseResult = { audits: LighthouseAudit[] } | { error: string };

const CHROMIUM = process.env.CHROME_PATH || "/usr/bin/chromium";

async function managerCookie(scratch: ScratchDatabase): Promise<string> {
  return withDatabase(scratch, async ({ db }) => {
    const manager = await findLoginAccount(db, DEMO_LOGINS.manager);
    if (!manager) throw new Error("The demo has no manager.");
    const lucia = createLucia(db, { secureCookies: false });
    return (await startSession(lucia, { id: manager.id, org_id: manager.org_id })).split(";")[0];
  });
}

async function audit(url: string, cookie: string, profile: LighthouseProfile, port: number) {
  const result = await lighthouse(
    url,
    { port, output: "json", logLevel: "error", onlyCategories: ["performance"], extraHeaders: { Cookie: cookie } },
    profile === "desktop" ? desktopConfig : undefined,
  );
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  // BENCH_LIGHTHOUSE_DIR=<dir>: the full report of every audit, for what the medians do not say.
  const keep = process.env.BENCH_LIGHTHOUSE_DIR;
  if (keep) {
    fs.mkdirSync(keep, { recursive: true });
    const name = `${profile}-${new URL(url).pathname.split("/")[1] || "root"}-${Date.now()}`;
    fs.writeFileSync(path.join(keep, `${name}.json`), JSON.stringify(lhr));
    // The trace behind the report (open it in DevTools' Performance panel): what each long task did.
    fs.writeFileSync(path.join(keep, `${name}.trace.json`), JSON.stringify(result.artifacts.Trace));
  }
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const value = (id: string) => {
    const v = lhr.audits[id]?.numericValue;
    if (typeof v !== "number") throw new Error(`Lighthouse measured no ${id} for ${url}`);
    return v;
  };
  return {
    score: lhr.categories.performance.score ?? NaN,
    fcpMs: value("first-contentful-paint"),
    lcpMs: value("largest-contentful-paint"),
    tbtMs: value("total-blocking-time"),
    transferredBytes: value("total-byte-weight"),
    speedIndexMs: value("speed-index"),
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

export async function runLighthousePhase(scratch: ScratchDatabase, data: PageBenchData, options: BenchOptions): Promise<LighthouseResult> {
  if (options.lighthouseRuns === 0) return { error: "skipped (--lighthouse-runs 0)" };
  if (!fs.existsSync(CHROMIUM)) return { error: `no Chromium at ${CHROMIUM} (set CHROME_PATH)` };
  options.log(`lighthouse: the buyer page (mobile), the rep's workspace and the forecast (desktop), ${options.lighthouseRuns} runs each…`);
  const manager = await managerCookie(scratch);
  const server = await ServerChild.start("server-child.ts", options.portBase + 10, scratch.env);
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"] });
  try {
    const pages = [
      { page: "buyer", profile: "mobile", path: pagePath("buyer", data.demo.planId), cookie: data.demo.buyerCookie },
      { page: "rep", profile: "desktop", path: pagePath("rep", data.demo.planId), cookie: data.repCookie },
      { page: "forecast", profile: "desktop", path: "/forecast", cookie: manager },
    ] as const;
    // BENCH_LIGHTHOUSE_PAGES=buyer,rep: only those pages, for working on one of them.
    const only = process.env.BENCH_LIGHTHOUSE_PAGES?.split(",").map((p) => p.trim());
    const audits: LighthouseAudit[] = [];
    for (const { page, profile, path, cookie } of pages.filter((p) => !only || only.includes(p.page))) {
      // A first request warms the server (route modules, prepared statements): the audit times the page, not that.
      await fetch(server.origin + path, { headers: { cookie } });
      const runs: Array<Awaited<ReturnType<typeof audit>>> = [];
      for (let run = 0; run < options.lighthouseRuns; run++) runs.push(await audit(server.origin + path, cookie, profile, chrome.port));
      const mid = (pick: (r: (typeof runs)[number]) => number) => median(runs.map(pick));
      audits.push({
        page,
        profile,
        runs: runs.length,
        score: mid((r) => r.score),
        fcpMs: mid((r) => r.fcpMs),
        lcpMs: mid((r) => r.lcpMs),
        tbtMs: mid((r) => r.tbtMs),
        transferredBytes: mid((r) => r.transferredBytes),
        speedIndexMs: mid((r) => r.speedIndexMs),
        benchmarkIndex: mid((r) => r.benchmarkIndex),
      });
      const last = audits[audits.length - 1];
      options.log(
        `lighthouse: ${page} (${profile}): score ${last.score.toFixed(2)}, FCP ${last.fcpMs.toFixed(0)} ms, LCP ${last.lcpMs.toFixed(0)} ms, TBT ${last.tbtMs.toFixed(0)} ms, ${(last.transferredBytes / 1024).toFixed(0)} KiB (host benchmark index ${last.benchmarkIndex.toFixed(0)})`,
      );
    }
    return { audits };
  } finally {
    await chrome.kill();
    await server.stop();
  }
}
