import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

import { schedulePlan, type ScheduleInput } from "~/domain/schedule";
import { EXIT_INVALID_PLAN, EXIT_OK, EXIT_USAGE, main, nodeIO, type CliIO } from "./schedule";

const EXAMPLE = fileURLToPath(new URL("../docs/examples/plan.json", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "schedule-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function planFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

/** Runs the CLI with the real file system and a fixed "today", capturing its output. */
function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readFile: nodeIO.readFile,
    today: () => "2027-01-04",
  };
  const code = main(argv, io);
  return { code, stdout, stderr };
}

const workedExample = {
  goLive: "2027-03-01",
  milestones: [
    { id: "train", title: "Admin training", durationDays: 3, dependsOn: ["sign"] },
    { id: "sign", title: "Order form signed", durationDays: 0, isClose: true },
  ],
};

describe("npm run schedule", () => {
  it("prints an aligned table and a summary, projecting from today when the plan has none", () => {
    const { code, stdout, stderr } = run([planFile("plan.json", workedExample)]);
    expect(stderr).toBe("");
    expect(code).toBe(EXIT_OK);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^id\s+title\s+days\s+start\s+due\s+projected finish\s+float\s+status\s+notes$/);
    expect(lines[2]).toMatch(/^train\s+Admin training\s+3\s+2027-02-24\s+2027-02-26\s+2027-01-07\s+\+36\s+on_track$/);
    expect(lines[3]).toMatch(/^sign\s+Order form signed\s+0\s+2027-02-23\s+2027-02-23\s+2027-01-04\s+\+36\s+on_track\s+close$/);
    // Columns line up: every row puts its due date where the header says "due".
    const dueColumn = lines[0].indexOf("due");
    expect(lines[2].slice(dueColumn, dueColumn + 10)).toBe("2027-02-26");
    expect(lines[3].slice(dueColumn, dueColumn + 10)).toBe("2027-02-23");
    expect(stdout).toContain("Go-live            2027-03-01 (Mon)");
    expect(stdout).toContain("Projected go-live  2027-03-01 (Mon)  on time");
    expect(stdout).toContain("Slip               0 working days");
    expect(stdout).toContain("Forecast close     2027-02-23 (Tue)");
    expect(stdout).toContain("Projected from     2027-01-04 (Mon)");
    expect(stdout).toContain("Conflicts          none");
  });

  it("prints the raw ScheduleResult with --json", () => {
    const { code, stdout } = run([planFile("plan.json", workedExample), "--json"]);
    expect(code).toBe(EXIT_OK);
    const expected = schedulePlan({ ...workedExample, today: "2027-01-04" } as ScheduleInput);
    expect(JSON.parse(stdout)).toEqual(expected);
    expect(JSON.parse(stdout).forecastCloseDate).toBe("2027-02-23");
  });

  it("lets --today and --go-live override the plan", () => {
    const { code, stdout } = run([planFile("plan.json", { ...workedExample, today: "2027-01-04" }), "--json", "--today=2027-02-25", "--go-live", "2027-03-08"]);
    expect(code).toBe(EXIT_OK);
    const result = JSON.parse(stdout);
    expect(result.milestones[1].projectedFinish).toBe("2027-02-25");
    expect(result.milestones[0].due).toBe("2027-03-05");
  });

  it("reports a pin conflict and a slip in the summary", () => {
    const plan = {
      ...workedExample,
      milestones: [workedExample.milestones[0], { ...workedExample.milestones[1], pinnedDate: "2027-02-25" }],
    };
    const { code, stdout } = run([planFile("pinned.json", plan)]);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain("Projected go-live  2027-03-03 (Wed)\n");
    expect(stdout).toContain("Slip               2 working days");
    expect(stdout).toMatch(/Conflicts {10}1\n {2}- sign \(pinned_after_latest\): .*2027-02-25/);
  });

  it("works on the documented example plan", () => {
    const { code, stdout } = run([EXAMPLE]);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain("Forecast close     2027-01-29 (Fri)");
    expect(stdout).toContain("Slip               1 working day\n");
    const example = JSON.parse(readFileSync(EXAMPLE, "utf8")) as ScheduleInput;
    expect(example.milestones.filter((m) => m.isClose)).toHaveLength(1);
  });

  it("exits 1 with the ScheduleError's code and message on a bad plan", () => {
    const plan = { ...workedExample, milestones: [{ id: "a", durationDays: 1, dependsOn: ["a"] }] };
    const { code, stdout, stderr } = run([planFile("cycle.json", plan)]);
    expect(code).toBe(EXIT_INVALID_PLAN);
    expect(stdout).toBe("");
    expect(stderr).toBe("Invalid plan (cycle) [a]: The dependencies form a cycle: a → a\n");

    const badDate = run([planFile("bad-date.json", { ...workedExample, goLive: "2027-02-30" })]);
    expect(badDate.code).toBe(EXIT_INVALID_PLAN);
    expect(badDate.stderr).toContain("invalid_date");
  });

  it("exits 2 on a missing file, a file that is not JSON, or bad arguments", () => {
    const missing = run([join(dir, "does-not-exist.json")]);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toContain("Cannot read plan file");
    expect(missing.stderr).toContain("does-not-exist.json");

    const notJson = run([planFile("not.json", "{ goLive: ")]);
    expect(notJson.code).toBe(EXIT_USAGE);
    expect(notJson.stderr).toContain("is not valid JSON");

    expect(run([]).code).toBe(EXIT_USAGE);
    expect(run(["a.json", "--frobnicate"]).code).toBe(EXIT_USAGE);
    expect(run(["a.json", "--today", "2027-02-30"]).code).toBe(EXIT_USAGE);
    expect(run(["--help"]).code).toBe(EXIT_OK);
  });
});
