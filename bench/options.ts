export interface BenchOptions {
  smoke: boolean;
  /** An admin URL of a PostgreSQL server for scratch databases; unset: PGlite in temporary directories. */
  postgresUrl?: string;
  /** The admin URL of a Citus coordinator (BENCH_CITUS_URL): the buyer page, buyer edit and team forecast again on it, beside PostgreSQL. */
  citusUrl?: string;
  /** autocannon connections and seconds per run. */
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** How many times ours and the floor alternate (ours, floor, ours, floor…). */
  rounds: number;
  /** The two plan sizes whose pages must send the same number of statements. */
  planSizes: [number, number];
  /** Plans of the larger organisation for the forecast; the smaller has a tenth. 0 skips the forecast. */
  forecastPlans: number;
  /** Days of re-projection of each forecast organisation (the refresher, then the bare SQL, each day). */
  refreshRounds: number;
  /** Page loads timed (sequentially) per forecast measure. */
  forecastSamples: number;
  /** Milestones of the scheduler's large plan (the template-sized plan is fixed). */
  scheduleSize: number;
  /** Buyer edits timed per method. */
  writeIterations: number;
  /** Lighthouse audits per page (0 skips them). */
  lighthouseRuns: number;
  /** Also measure a PGlite server's RSS when the main run is on PostgreSQL. */
  pgliteMemory: boolean;
  /** Servers listen on loopback ports from here (the benchmark's range is 3380–3399). */
  portBase: number;
  log: (line: string) => void;
}

export function benchOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`Unknown argument "${argv[i]}"`);
    const next = argv[i + 1];
    flags.set(match[1], match[2] ?? (next !== undefined && !next.startsWith("--") ? (i++, next) : true));
  }
  const known = new Set([
    "smoke",
    "duration",
    "connections",
    "rounds",
    "warmup",
    "forecast-plans",
    "refresh-rounds",
    "write-iterations",
    "lighthouse-runs",
    "no-pglite-memory",
    "port-base",
    "pglite",
  ]);
  for (const key of flags.keys()) if (!known.has(key)) throw new Error(`Unknown option --${key}. Options: ${[...known].map((k) => `--${k}`).join(", ")}`);
  const num = (key: string, fallback: number) => {
    const raw = flags.get(key);
    if (raw === undefined) return fallback;
    const n = Number(String(raw).replace(/[_,]/g, ""));
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${key} needs a number`);
    return n;
  };
  const smoke = flags.has("smoke");
  const base = smoke ? smokeDefaults() : fullDefaults();
  return {
    ...base,
    postgresUrl: flags.has("pglite") ? undefined : env.DATABASE_URL || env.TEST_DATABASE_URL || undefined,
    citusUrl: env.BENCH_CITUS_URL || undefined,
    durationSeconds: num("duration", base.durationSeconds),
    connections: num("connections", base.connections),
    rounds: num("rounds", base.rounds),
    warmupSeconds: num("warmup", base.warmupSeconds),
    forecastPlans: num("forecast-plans", base.forecastPlans),
    refreshRounds: Math.max(1, num("refresh-rounds", base.refreshRounds)),
    writeIterations: num("write-iterations", base.writeIterations),
    lighthouseRuns: num("lighthouse-runs", base.lighthouseRuns),
    pgliteMemory: !flags.has("no-pglite-memory") && base.pgliteMemory,
    portBase: num("port-base", base.portBase),
    log: (line) => process.stderr.write(`${line}\n`),
  };
}

function fullDefaults(): Omit<BenchOptions, "log" | "postgresUrl" | "citusUrl"> {
  return {
    smoke: false,
    connections: 50,
    durationSeconds: 10,
    warmupSeconds: 3,
    rounds: 5,
    planSizes: [10, 1000],
    forecastPlans: 100_000,
    forecastSamples: 15,
    refreshRounds: 3,
    scheduleSize: 10_000,
    writeIterations: 200,
    lighthouseRuns: 3,
    pgliteMemory: true,
    portBase: 3380,
  };
}

/** Tiny sizes: every row is produced, in seconds; the figures mean nothing. */
export function smokeDefaults(): Omit<BenchOptions, "log" | "postgresUrl" | "citusUrl"> {
  return {
    smoke: true,
    connections: 2,
    durationSeconds: 1,
    warmupSeconds: 0,
    rounds: 1,
    planSizes: [10, 30],
    forecastPlans: 200,
    forecastSamples: 2,
    refreshRounds: 1,
    scheduleSize: 2_000,
    writeIterations: 3,
    lighthouseRuns: 1,
    pgliteMemory: false,
    portBase: 3390,
  };
}
