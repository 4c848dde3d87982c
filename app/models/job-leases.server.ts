import { sql } from "kysely";
import type { Conn } from "~/models/conn";

/*
 * Leases on the periodic jobs (ADR 032): one row per job, naming the app server that runs it and
 * until when. Every time in these statements is the database's `now()`, so app servers whose
 * clocks disagree still agree on who holds a lease. Each statement names one job: one shard on
 * Citus, one plain statement through a transaction pooler.
 */

export interface JobLeaseState {
  job: string;
  holder: string;
  acquiredAt: Date;
  expiresAt: Date;
  lastRunAt: Date | null;
  runs: number;
}

export interface JobLeaseClaim {
  /** Whether `holder` holds the lease now (taken or renewed by this statement). */
  held: boolean;
  /** The row as the statement left it; null for a job nobody has ever held. */
  lease: JobLeaseState | null;
  /** The database's clock when the lease was granted (its expiry less its length); null when not held. */
  grantedAt: Date | null;
}

type Row = { job: string; holder: string; acquired_at: Date | string; expires_at: Date | string; last_run_at: Date | string | null; runs: number | string };

const toState = (row: Row): JobLeaseState => ({
  job: row.job,
  holder: row.holder,
  acquiredAt: new Date(row.acquired_at),
  expiresAt: new Date(row.expires_at),
  lastRunAt: row.last_run_at === null ? null : new Date(row.last_run_at),
  runs: Number(row.runs),
});

/**
 * Takes or renews `job`'s lease for `holder` for `leaseSeconds`: granted when nobody holds it, when
 * `holder` does, or when the holder's time has run out; or always with `takeOver` (the embedded
 * database, which only one process can open). When not granted, says who holds it.
 */
export async function claimJobLease(db: Conn, claim: { job: string; holder: string; leaseSeconds: number; takeOver?: boolean }): Promise<JobLeaseClaim> {
  // excluded.acquired_at is this statement's now(): Citus refuses now() itself in the update part.
  const { rows } = await sql<Row>`
    insert into job_leases as l (job, holder, acquired_at, expires_at)
    values (${claim.job}, ${claim.holder}, now(), now() + ${claim.leaseSeconds}::float8 * interval '1 second')
    on conflict (job) do update set
      holder = excluded.holder,
      acquired_at = case when l.holder = excluded.holder and l.expires_at > excluded.acquired_at then l.acquired_at else excluded.acquired_at end,
      expires_at = excluded.expires_at
    where l.holder = excluded.holder or l.expires_at <= excluded.acquired_at or ${claim.takeOver ?? false}::boolean
    returning l.job, l.holder, l.acquired_at, l.expires_at, l.last_run_at, l.runs`.execute(db);
  if (rows[0]) {
    const lease = toState(rows[0]);
    return { held: true, lease, grantedAt: new Date(lease.expiresAt.getTime() - claim.leaseSeconds * 1000) };
  }
  return { held: false, lease: await readJobLease(db, claim.job), grantedAt: null };
}

export async function readJobLease(db: Conn, job: string): Promise<JobLeaseState | null> {
  const row = await db
    .selectFrom("job_leases")
    .select(["job", "holder", "acquired_at", "expires_at", "last_run_at", "runs"])
    .where("job", "=", job)
    .executeTakeFirst();
  return row ? toState(row) : null;
}

/** Records a run of `job` by `holder`: when (the database's clock) and how many so far; null when `holder` no longer holds the lease (nothing recorded). */
export async function recordJobRun(db: Conn, job: string, holder: string): Promise<{ lastRunAt: Date; runs: number } | null> {
  const { rows } = await sql<{ last_run_at: Date | string; runs: number | string }>`
    update job_leases set last_run_at = now(), runs = runs + 1
    where job = ${job} and holder = ${holder}
    returning last_run_at, runs`.execute(db);
  return rows[0] ? { lastRunAt: new Date(rows[0].last_run_at), runs: Number(rows[0].runs) } : null;
}

/** Ends `holder`'s lease on `job` now, so another server takes the job at its next claim instead of waiting for the expiry. */
export async function releaseJobLease(db: Conn, job: string, holder: string): Promise<void> {
  await sql`update job_leases set expires_at = now() where job = ${job} and holder = ${holder} and expires_at > now()`.execute(db);
}
