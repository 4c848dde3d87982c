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

function withDatabaseName(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, statement: string) {
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }) });
  try {
    await sql.raw(statement).execute(admin);
  } finally {
    await admin.destroy();
  }
}

export async function createScratchPostgres(adminUrl: string, prefix = "pt_test") {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `create database ${name}`);
  return {
    url: withDatabaseName(adminUrl, name),
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

/**
 * A throwaway database on a Citus cluster whose coordinator `adminUrl` names: Citus does not
 * propagate CREATE DATABASE, so it is created on the coordinator and on every worker the admin
 * database knows (pg_dist_node), each with the extension, and the workers are registered in it.
 * Dropped on every node afterwards.
 */
export async function createScratchCitus(adminUrl: string, prefix = "pt_test") {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let workers: Array<{ host: string; port: number }>;
  try {
    const { rows } = await admin.query<{ host: string; port: number }>(
      "select nodename as host, nodeport as port from pg_dist_node where noderole = 'primary' and groupid <> 0 order by nodeid",
    );
    workers = rows;
  } finally {
    await admin.end();
  }
  const onNode = (host: string, port: number, database: string) => {
    const u = new URL(adminUrl);
    u.hostname = host;
    u.port = String(port);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const coordinator = new URL(adminUrl);
  const nodeAdminUrls = [adminUrl, ...workers.map((w) => onNode(w.host, w.port, coordinator.pathname.slice(1) || "postgres"))];
  const run = async (url: string, statements: string[]) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const drop = () => Promise.all(nodeAdminUrls.map((url) => adminQuery(url, `drop database if exists ${name} with (force)`))).then(() => undefined);
  try {
    for (const url of nodeAdminUrls) {
      await adminQuery(url, `create database ${name}`);
      await run(withDatabaseName(url, name), ["create extension if not exists citus"]);
    }
    await run(
      withDatabaseName(adminUrl, name),
      workers.map((w) => `select citus_add_node('${w.host.replace(/'/g, "''")}', ${Number(w.port)})`),
    );
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: withDatabaseName(adminUrl, name), drop };
}
