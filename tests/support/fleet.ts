/*
 * Debian's HAProxy as the fleet test runs it (PgBouncer: ./pgbouncer.ts): with a config file of its own in
 * a temporary directory, on the test's ports, in the foreground as a child of the test (so a system
 * service the package may have started is neither needed nor touched).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { waitForPort } from "./pgbouncer";

export interface Daemon {
  child: ChildProcess;
  output: string[];
  dir: string;
  stop(): Promise<void>;
}

/** Which of the two programs are missing from PATH (and /usr/sbin, where Debian puts them). */
export function missingPrograms(): string[] {
  return ["haproxy", "pgbouncer"].filter((name) => programPath(name) === null);
}

function programPath(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"]) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function launch(name: string, args: string[], dir: string): Daemon {
  const output: string[] = [];
  const child = spawn(programPath(name) ?? name, args, { stdio: ["ignore", "pipe", "pipe"] });
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split("\n").filter(Boolean));
    if (output.length > 500) output.splice(0, output.length - 500);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    child,
    output,
    dir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function tempDir(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // PgBouncer refuses to run as root and drops to the postgres user, which must read its files.
  fs.chmodSync(dir, 0o755);
  return dir;
}

/**
 * HAProxy on `port` balancing round robin over `servers` (name → port), each checked on /healthz.
 * A request whose connection to a server fails (a dead or stopping server) is retried on another
 * (`retries` + `option redispatch`); nothing else is retried, since a request a server has taken
 * may have done its work. The runtime API's socket lets the test drain a server before a restart.
 */
export async function startHaproxy(options: { port: number; servers: Record<string, number> }) {
  const dir = tempDir("pt-haproxy-");
  const socket = path.join(dir, "admin.sock");
  fs.writeFileSync(
    path.join(dir, "haproxy.cfg"),
    [
      "global",
      "  maxconn 2000",
      `  stats socket ${socket} mode 600 level admin`,
      "defaults",
      "  mode http",
      "  timeout connect 2s",
      "  timeout client 60s",
      "  timeout server 60s",
      "  timeout queue 10s",
      "  retries 3",
      "  option redispatch 1",
      // A new server connection per request: a server that stops never holds a reused idle
      // connection the next request would be written into (and lost with, a 502 on a POST).
      "  option http-server-close",
      "  option forwardfor",
      "frontend portal",
      `  bind 127.0.0.1:${options.port}`,
      "  default_backend app",
      "backend app",
      "  balance roundrobin",
      "  option httpchk GET /healthz",
      "  http-check expect status 200",
      // Down after three failed checks a second apart, each given 5 s: a server busy enough to answer
      // slowly stays in (taking every server out for slowness would be an outage), a dead one
      // refuses the connection at once. Until it is marked down, its refused connections are
      // retried on another server, so nobody sees the gap.
      "  timeout check 5s",
      "  default-server inter 1s fall 3 rise 2",
      ...Object.entries(options.servers).map(([name, port]) => `  server ${name} 127.0.0.1:${port} check`),
      "",
    ].join("\n"),
  );
  const check = spawnSync(programPath("haproxy") ?? "haproxy", ["-c", "-q", "-f", path.join(dir, "haproxy.cfg")], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`haproxy refused its config:\n${check.stdout}${check.stderr}`);
  const daemon = launch("haproxy", ["-db", "-f", path.join(dir, "haproxy.cfg")], dir);
  await waitForPort(options.port, daemon.child, "haproxy", () => daemon.output.slice(-20).join("\n"));
  return {
    ...daemon,
    origin: `http://127.0.0.1:${options.port}`,
    /** One runtime API command (e.g. `set server app/s2 state drain`), its answer. */
    command: (line: string) => haproxyCommand(socket, line),
  };
}

function haproxyCommand(socket: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const connection = net.createConnection(socket, () => connection.end(`${line}\n`));
    connection.on("data", (c: Buffer) => chunks.push(c));
    connection.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    connection.on("error", reject);
  });
}

/** What `show stat` says per server of a backend: state, requests in flight and sent to it, retries, and 5xx it answered. */
export async function serverStats(command: (line: string) => Promise<string>, backend = "app") {
  const [header, ...rows] = (await command("show stat")).trim().split("\n");
  const columns = header.replace(/^# /, "").split(",");
  const at = (row: string[], name: string) => row[columns.indexOf(name)];
  return rows
    .map((line) => line.split(","))
    .filter((row) => at(row, "pxname") === backend && !["FRONTEND", "BACKEND"].includes(at(row, "svname")))
    .map((row) => ({
      server: at(row, "svname"),
      status: at(row, "status"),
      current: Number(at(row, "scur")),
      sessions: Number(at(row, "stot")),
      retries: Number(at(row, "wretr")),
      redispatches: Number(at(row, "wredis")),
      http5xx: Number(at(row, "hrsp_5xx")),
      /** Times the checks took it from up to down. */
      wentDown: Number(at(row, "chkdown")),
    }));
}
