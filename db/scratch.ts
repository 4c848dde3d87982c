import { randomBytes } from "node:crypto";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";

/*
 * Throwaway PostgreSQL databases on the server named by TEST_DATABASE_URL (or DATABASE_URL), for
 * whatever needs a database of its own and drops it afterwards: the integration tests, the
 * browser tests' server, the crash test and soak, the benchmark. Here, below all of them, so that
 * none imports another's folder for it.
 */
export function postgresAdminUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** A Citus coordinator for a third run of the integration and browser tests (ADR 030). */
export function citusAdminUrl(): string | undefined {
  return process.env.TEST_CITUS_URL || undefined;
}

function withDatabaseName(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, statement: string) {
  return adminQueries(adminUrl, [statement]);
}

async function adminQueries(adminUrl: string, statements: string[]) {
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }) });
  try {
    const results = [];
    for (const statement of statements) results.push((await sql.raw<Record<string, unknown>>(statement).execute(admin)).rows);
    return results;
  } finally {
    await admin.destroy();
  }
}

/**
 * The workers of a Citus coordinator, as URLs of their own admin database, or [] when the server is
 * plain PostgreSQL. Citus does not carry CREATE DATABASE to its workers: a scratch database on a
 * cluster is made on every node and the new coordinator database is told its workers.
 */
async function citusWorkers(adminUrl: string): Promise<string[]> {
  const [[citus]] = await adminQueries(adminUrl, ["select exists (select 1 from pg_extension where extname = 'citus') as present"]);
  if (!citus.present) return [];
  const [nodes] = await adminQueries(adminUrl, ["select nodename, nodeport from pg_dist_node where groupid <> 0 and noderole = 'primary' order by nodeport"]);
  return nodes.map((n) => {
    const u = new URL(adminUrl);
    u.hostname = String(n.nodename);
    u.port = String(n.nodeport);
    return u.toString();
  });
}

/**
 * Tells a scratch coordinator database one of its workers. Adding a node writes to the worker's
 * catalogs that all its databases share, so two test files setting up databases at the same
 * moment can collide ("tuple concurrently updated", reported as a failed essential connection);
 * the add rolled back whole, and it is tried again.
 */
async function addCitusNode(coordinatorUrl: string, workerUrl: string) {
  const { hostname, port } = new URL(workerUrl);
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQueries(coordinatorUrl, ["set client_min_messages = warning", `select citus_add_node('${hostname}', ${Number(port)})`]);
      return;
    } catch (error) {
      const collided = /tuple concurrently updated|failure on connection marked as essential/.test(String((error as Error).message));
      if (!collided || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 400));
    }
  }
}

export async function createScratchPostgres(adminUrl: string, prefix = "pt_test") {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const workers = await citusWorkers(adminUrl);
  const url = withDatabaseName(adminUrl, name);
  await adminQuery(adminUrl, `create database ${name}`);
  if (workers.length > 0) {
    for (const worker of workers) {
      await adminQuery(worker, `create database ${name}`);
      await adminQuery(withDatabaseName(worker, name), "create extension citus");
    }
    await adminQueries(url, ["set client_min_messages = warning", "create extension citus"]);
    for (const worker of workers) await addCitusNode(url, worker);
  }
  return {
    url,
    drop: async () => {
      for (const server of [adminUrl, ...workers]) await adminQuery(server, `drop database if exists ${name} with (force)`);
    },
  };
}

/** Drops the scratch databases an earlier run left (a killed server cannot drop its own), on every node. */
export async function dropLeftoverScratch(adminUrl: string, prefix: string) {
  for (const server of [adminUrl, ...(await citusWorkers(adminUrl))]) {
    const [rows] = await adminQueries(server, [`select datname from pg_database where datname like '${prefix}\\_%'`]);
    for (const { datname } of rows) await adminQuery(server, `drop database if exists "${String(datname)}" with (force)`);
  }
}
