/**
 * npm run schedule -- plan.json [--json] [--today YYYY-MM-DD] [--go-live YYYY-MM-DD]
 *
 * Schedules a plan file (shaped like ScheduleInput; milestones may carry a `title` to display)
 * and prints a table and a summary, or the raw ScheduleResult with --json. Lets a rep or a support
 * engineer try a template against a date without the UI.
 *
 * Exit codes: 0 scheduled; 1 the plan is invalid (the ScheduleError's code and message on stderr);
 * 2 usage error, or the file is missing, unreadable or not JSON.
 *
 * The logic lives in `main(argv, io)` so tests can run it without spawning a process; only the
 * default `io` touches the file system and the clock (the domain module never does).
 */
import { readFileSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { isValidISODate, weekday } from "~/domain/calendar";
import { schedulePlan, ScheduleError, type ScheduleInput, type ScheduleResult } from "~/domain/schedule";
import { plural } from "~/domain/words";

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The file's text; throws when it cannot be read. */
  readFile(path: string): string;
  /** Today's date where the command runs (used when the plan has no `today`). */
  today(): string;
}

export const EXIT_OK = 0;
export const EXIT_INVALID_PLAN = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: npm run schedule -- <plan.json> [--json] [--today YYYY-MM-DD] [--go-live YYYY-MM-DD]

  <plan.json>          a ScheduleInput as JSON (milestones may have a "title")
  --json               print the raw ScheduleResult as JSON
  --today DATE         project from DATE (default: the plan's "today", else the current date)
  --go-live DATE       try the plan against another go-live date
`;

function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const nodeIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, "utf8"),
  today: localToday,
};

interface Options {
  file: string;
  json: boolean;
  today?: string;
  goLive?: string;
}

/** Parses argv; returns an error message for a usage problem. */
function parseArgs(argv: string[]): Options | string {
  let file: string | undefined;
  let json = false;
  let today: string | undefined;
  let goLive: string | undefined;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    const [flag, inlineValue] = arg.startsWith("--") && arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => inlineValue ?? argv[++k];
    if (flag === "--json") json = true;
    else if (flag === "--today") today = value();
    else if (flag === "--go-live") goLive = value();
    else if (flag.startsWith("-")) return `Unknown option ${flag}`;
    else if (file === undefined) file = arg;
    else return `Only one plan file, please (got ${file} and ${arg})`;
  }
  if (file === undefined) return "Which plan file?";
  for (const [name, date] of [
    ["--today", today],
    ["--go-live", goLive],
  ] as const) {
    if (date !== undefined && !isValidISODate(date)) return `${name} needs a date written YYYY-MM-DD, got ${date}`;
  }
  return { file, json, today, goLive };
}

export function main(argv: string[], io: CliIO = nodeIO): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const options = parseArgs(argv);
  if (typeof options === "string") {
    io.stderr(`${options}\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  let text: string;
  try {
    text = io.readFile(options.file);
  } catch (error) {
    io.stderr(`Cannot read plan file ${options.file}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    io.stderr(`Plan file ${options.file} is not valid JSON: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }

  const input = withDates(parsed, options, io);
  let result: ScheduleResult;
  try {
    result = schedulePlan(input as ScheduleInput);
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error; // a bug, not a bad plan: let it surface
    const ids = error.milestoneIds.length > 0 ? ` [${error.milestoneIds.join(", ")}]` : "";
    io.stderr(`Invalid plan (${error.code})${ids}: ${error.message}\n`);
    return EXIT_INVALID_PLAN;
  }

  io.stdout(options.json ? `${JSON.stringify(result, null, 2)}\n` : render(input as ScheduleInput, result));
  return EXIT_OK;
}

/** Applies --today/--go-live, and today's date when the plan has none. Leaves non-objects alone. */
function withDates(parsed: unknown, options: Options, io: CliIO): unknown {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return parsed;
  const plan = { ...(parsed as Record<string, unknown>) };
  if (options.today !== undefined) plan.today = options.today;
  else if (plan.today === undefined) plan.today = io.today();
  if (options.goLive !== undefined) plan.goLive = options.goLive;
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

const WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function withWeekday(date: string): string {
  return `${date} (${WEEKDAY_NAMES[weekday(date) - 1]})`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** Left-aligns text columns and right-aligns the numeric ones. */
function table(header: string[], rows: string[][], numeric: Set<number>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n";
}

function render(input: ScheduleInput, result: ScheduleResult): string {
  type Displayed = ScheduleInput["milestones"][number] & { title?: unknown };
  const milestones = input.milestones as Displayed[];
  const hasTitles = milestones.some((m) => typeof m.title === "string" && m.title !== "");

  const header = ["id", ...(hasTitles ? ["title"] : []), "days", "start", "due", "projected finish", "float", "status", "notes"];
  const rows = result.milestones.map((scheduled, i) => {
    const m = milestones[i];
    const notes = [m.isClose === true ? "close" : "", typeof m.pinnedDate === "string" ? "pinned" : ""].filter(Boolean);
    return [
      scheduled.id,
      ...(hasTitles ? [typeof m.title === "string" ? m.title : ""] : []),
      String(m.durationDays),
      scheduled.start,
      scheduled.due,
      scheduled.projectedFinish,
      signed(scheduled.floatDays),
      scheduled.status,
      notes.join(", "),
    ];
  });
  const daysColumn = hasTitles ? 2 : 1;
  const onTime = result.slipDays === 0;
  const summary = [
    `Go-live            ${withWeekday(input.goLive)}`,
    `Projected go-live  ${withWeekday(result.projectedGoLive)}${onTime ? "  on time" : ""}`,
    `Slip               ${plural(result.slipDays, "working day")}`,
    `Forecast close     ${result.forecastCloseDate === null ? "none (no close milestone)" : withWeekday(result.forecastCloseDate)}`,
    `Projected from     ${withWeekday(input.today)}`,
    `Conflicts          ${result.conflicts.length === 0 ? "none" : result.conflicts.length}`,
    ...result.conflicts.map((conflict) => `  - ${conflict.milestoneId} (${conflict.kind}): ${conflict.message}`),
  ];
  return `${table(header, rows, new Set([daysColumn, daysColumn + 4]))}\n${summary.join("\n")}\n`;
}

// Run only when started as a script (npm run schedule), not when a test imports main().
function startedAsScript(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(resolve(script)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (startedAsScript()) process.exitCode = main(process.argv.slice(2));
