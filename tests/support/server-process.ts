/*
 * The built portal as a real process, for the crash test and the soak: started with node itself
 * (so a SIGKILL hits the server, not a wrapper), on a scratch PostgreSQL database the caller owns.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createScratchPostgres, postgresAdminUrl } from "../../db/scratch";

export interface ServerProcess {
  child: ChildProcess;
  origin: string;
  /** Resident memory of the server process, in MB (Linux /proc). */
  rssMb(): number | null;
  output: string[];
}

export async function scratchDatabase(prefix: string) {
  const adminUrl = postgresAdminUrl() ?? "postgres://postgres@127.0.0.1:5432/postgres";
  return createScratchPostgres(adminUrl, prefix);
}

/** The Remix build, and with `serverEntry` also the compiled server (`npm run build` makes both). */
export function requireBuild(serverEntry?: string) {
  if (!fs.existsSync(path.resolve("build/index.js"))) throw new Error("No server build: run `npx remix build` first (the npm script does).");
  if (serverEntry && !fs.existsSync(path.resolve(serverEntry))) throw new Error(`No ${serverEntry}: run \`npm run build\` first (the npm script does).`);
}

/**
 * `entry`: the source entry through tsx (the default), or `build/server/serve.js`, which is what
 * production runs (`npm run serve`): node alone, no TypeScript loader.
 */
export async function startServer(options: { port: number; databaseUrl: string; env?: Record<string, string>; entry?: string }): Promise<ServerProcess> {
  const output: string[] = [];
  // serve.ts writes the demo buyer link beside PGLITE_DIR even on PostgreSQL: give it a directory that exists.
  const scratchDir = path.join(os.tmpdir(), `plan-together-${options.port}`);
  fs.mkdirSync(scratchDir, { recursive: true });
  const entry = options.entry ?? "server/serve.ts";
  const args = entry.endsWith(".js") ? ["--max-semi-space-size=8", entry] : ["--import", "tsx", entry];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      SEED_DEMO: "always",
      LOG_REQUESTS: "off",
      PGLITE_DIR: path.join(scratchDir, "pglite"),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split("\n").filter(Boolean));
    if (output.length > 2000) output.splice(0, output.length - 2000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const origin = `http://127.0.0.1:${options.port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output.slice(-20).join("\n")}`);
    try {
      const health = await fetch(`${origin}/healthz`);
      if (health.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 90_000) throw new Error(`the server did not answer /healthz within 90 s:\n${output.slice(-20).join("\n")}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    child,
    origin,
    output,
    rssMb() {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
        return Number.isFinite(kb) ? kb / 1024 : null;
      } catch {
        return null;
      }
    },
  };
}

export async function killHard(server: ServerProcess) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill("SIGKILL");
  await exited;
}

export async function stopGracefully(server: ServerProcess) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (server.child.exitCode === null) await killHard(server);
}

/** A signed-in seller's cookie, from the login form. */
export async function signIn(origin: string, email: string, password = "demo-password"): Promise<string> {
  const response = await fetch(`${origin}/login`, {
    method: "POST",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }).toString(),
    redirect: "manual",
  });
  const cookie = response.headers.getSetCookie().find((c) => c.includes("pt_session="));
  if (response.status !== 302 || !cookie) throw new Error(`could not sign ${email} in (${response.status})`);
  return cookie.split(";")[0];
}

/** A buyer's device cookie for a link token (confirm who you are, keep the cookie). */
export async function buyerCookie(origin: string, token: string, person: { name: string; email: string }): Promise<string> {
  const response = await fetch(`${origin}/s/${token}`, {
    method: "POST",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(person).toString(),
    redirect: "manual",
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("pt_b_"));
  if (response.status !== 302 || !cookie) throw new Error(`the link did not open (${response.status})`);
  return cookie.split(";")[0];
}

export function form(origin: string, cookie: string, values: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { Cookie: cookie, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(values).toString(),
    redirect: "manual",
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
