/*
 * A PgBouncer of the test's own (Debian's package, `apt-get install pgbouncer`), in transaction
 * mode in front of one PostgreSQL server: what a fleet puts between its app servers and the
 * database (docs/deploy.md). Its ini and log live in a temporary directory removed on stop.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const BINARY_PATHS = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"];

export function pgbouncerBinary(): string | null {
  return BINARY_PATHS.find((p) => fs.existsSync(p)) ?? null;
}

/**
 * Why the pooler tests cannot run here, or null when they can. Outside CI a missing package skips
 * them; in CI (`CI` set, as `.ci/run` does, which installs the package) it fails them instead, so a
 * green CI never hides a skipped pooler test.
 */
export function pgbouncerMissing(): string | null {
  if (pgbouncerBinary()) return null;
  const reason = "pgbouncer is not installed (apt-get install -y pgbouncer)";
  if (process.env.CI) throw new Error(`${reason}: CI must run the pooler tests`);
  return reason;
}

export interface PgBouncer {
  /** The same database as `serverUrl`, reached through the pooler. */
  url: string;
  log(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on now, for a server the test starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Waits until `child` (named `name`) listens on `port`; fails with its log if it exits or takes over 15 s. */
export async function waitForPort(port: number, child: ChildProcess, name: string, log: () => string) {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() - started > 15_000) throw new Error(`${name} did not listen on ${port} within 15 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts PgBouncer (transaction mode unless told otherwise) with `poolSize` server connections per
 * database, in front of the server `serverUrl` names (its user and password are the pooler's to the
 * server), on `port` or a free one.
 */
export async function startPgBouncer(
  serverUrl: string,
  options: { poolSize?: number; poolMode?: "session" | "transaction"; port?: number } = {},
): Promise<PgBouncer> {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error("pgbouncer is not installed");
  const server = new URL(serverUrl);
  const port = options.port ?? (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pt-pgbouncer-"));
  const logFile = path.join(dir, "pgbouncer.log");
  const runAs = process.getuid?.() === 0 ? "postgres" : null;
  const connect = [
    `host=${server.hostname}`,
    `port=${server.port || 5432}`,
    `user=${decodeURIComponent(server.username || "postgres")}`,
    server.password ? `password=${decodeURIComponent(server.password)}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const ini = [
    "[databases]",
    // Any database name the client asks for, on the one server (the test's scratch databases).
    `* = ${connect}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    // The pooler logs in as the user above whoever the client says it is: no userlist to keep.
    "auth_type = any",
    `pool_mode = ${options.poolMode ?? "transaction"}`,
    `default_pool_size = ${options.poolSize ?? 3}`,
    "max_client_conn = 200",
    `logfile = ${logFile}`,
    // PgBouncer refuses to run as root; it drops to this user after reading its files.
    ...(runAs ? [`user = ${runAs}`] : []),
  ].join("\n");
  const iniFile = path.join(dir, "pgbouncer.ini");
  fs.writeFileSync(iniFile, `${ini}\n`);
  fs.writeFileSync(logFile, "");
  if (runAs) {
    spawnSync("chown", ["-R", runAs, dir]);
  }
  fs.chmodSync(dir, 0o755);
  const child = spawn(binary, [iniFile], { stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const log = () => {
    const file = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
    return `${file}${output.join("")}`;
  };
  try {
    await waitForPort(port, child, "pgbouncer", log);
  } catch (error) {
    child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = new URL(serverUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        // SIGINT: PgBouncer's "safe shutdown" waits for clients; SIGTERM closes at once.
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Tells the scratch URL of a database on `serverUrl` by the same name on the pooler. */
export function throughPooler(pooler: PgBouncer, databaseUrl: string): string {
  const url = new URL(pooler.url);
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}
