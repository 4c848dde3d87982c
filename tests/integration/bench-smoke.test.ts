import { describe, expect, it } from "vitest";
import { smokeDefaults, type BenchOptions } from "../../bench/options";
import { markdown, rows, textTable } from "../../bench/report";
import { runBench } from "../../bench/run";
import { postgresAdminUrl } from "../support/databases";

/*
 * `npm run bench` at tiny sizes (1-second loads on 2 connections, plans of 10 and 30 milestones,
 * a 200-plan forecast), so the benchmark cannot rot: every row must come out with figures. No
 * timing is asserted: on a shared machine these figures mean nothing. Needs the server build.
 */
// The Citus rows (BENCH_CITUS_URL) seed and load a second database: the run takes about twice as
// long. One Lighthouse audit per page adds about a minute.
const SMOKE_TIMEOUT_MS = process.env.BENCH_CITUS_URL ? 540_000 : 300_000;

describe("the benchmark, at smoke sizes", () => {
  it(
    "produces every row of the table with figures",
    async () => {
      const log: string[] = [];
      // BENCH_CITUS_URL adds the Citus rows (they need PostgreSQL beside them).
      const citusUrl = postgresAdminUrl() ? process.env.BENCH_CITUS_URL : undefined;
      const options: BenchOptions = { ...smokeDefaults(), postgresUrl: postgresAdminUrl(), citusUrl, log: (line) => log.push(line) };
      const results = await runBench(options);
      const table = rows(results);
      // On PostgreSQL each page row is followed by ours vs the floor that also does the page's data work.
      const withData = results.pages.kind === "postgres" ? ["… vs the floor with its data"] : [];
      expect(table.map((r) => r.measure.replace(/ at .*/, ""))).toEqual([
        "Buyer plan page",
        ...withData,
        "Rep plan workspace",
        ...withData,
        "Requests per second per core",
        "SQL per page",
        "Buyer's first load on a phone",
        "Rep workspace, first load (desktop)",
        "Forecast, first load (desktop)",
        "Team forecast",
        "Team forecast, org 10× larger",
        "Forecast accuracy",
        "Forecast accuracy, org 10× larger",
        "Daily re-projection",
        "Daily re-projection memory, org 10× larger",
        "Schedule",
        "Buyer edit (mark done)",
        "Memory",
        ...(citusUrl ? ["Buyer plan page on Citus", "Buyer edit on Citus", "Team forecast on Citus"] : []),
      ]);
      for (const row of table) {
        expect(row.figure, row.measure).toMatch(/\d/);
        expect(row.figure, row.measure).not.toMatch(/NaN|Infinity|failed requests/);
      }
      // Every page run read its server's CPU time: the capacity row's figures.
      for (const t of results.pages.throughput) expect([t.page, t.oursCpuMs! > 0, t.floorCpuMs! > 0]).toEqual([t.page, true, true]);
      expect("error" in results.forecast ? results.forecast.error : null).toBeNull();
      // The re-projection claimed every active plan each day, and the bare SQL the same ones.
      if (!("error" in results.forecast)) {
        for (const org of [results.forecast.small, results.forecast.large]) {
          expect("error" in org.refresh ? org.refresh.error : null).toBeNull();
          if (!("error" in org.refresh)) for (const day of org.refresh.rounds) expect(day.plans).toBeGreaterThan(0);
        }
      }
      if (citusUrl) expect(results.citus && "error" in results.citus ? results.citus.error : null).toBeNull();
      // Statement counts are exact, whatever the machine: the same for both plan sizes.
      const counts = (page: string) => results.pages.queries.filter((q) => q.page === page).map((q) => q.count);
      expect(new Set(counts("buyer")).size).toBe(1);
      expect(new Set(counts("rep")).size).toBe(1);
      expect(textTable(results)).toContain("Machine:");
      expect(markdown(results)).toContain("| Buyer plan page |");
    },
    SMOKE_TIMEOUT_MS,
  );
});
