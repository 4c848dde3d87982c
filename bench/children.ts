import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { SERVER_NODE_FLAGS } from "../server/flags";
import type { RefreshChildReport } from "./refresh-child";

/**
 * Where bench/build.ts compiles the two server processes. Defined here, not in build.ts: the
 * children import this module, and build.ts pulls in esbuild and server/build.ts, whose
 * command-line entry (it compares import.meta.url with argv[1]) matched inside a compiled child
 * and rebuilt the server and archived its assets as every benchmark server started.
 */
export const BENCH_OUTDIR = path.resolve("build/bench");

export type MemoryUsage = ReturnType<typeof process.memoryUsage>;
export type ChildMessage =
  | { type: "ready" }
  | { type: "want-init" }
  | { type: "rss"; rss: number; memory: MemoryUsage }
  | { type: "cpu"; micros: number }
  | { type: "error"; message: string }
  | { type: "floor-ready"; bytes: number }
  | { type: "statement-times"; ms: number[] }
  | { type: "refresh-report"; report: RefreshChildReport };

/** A compiled statement as it crosses to a server process: text and parameters. */
export interface StatementText {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * A server in a process of its own (so its RSS is its own, and the load generator in this process
 * never shares its thread). Both run compiled, over the app's own server build.
 */
export class ServerChild {
  private constructor(
    readonly child: ChildProcess,
    readonly origin: string,
    private stderr: string[],
  ) {}

  static async start(
    script: "server-child.ts" | "floor-child.ts" | "refresh-child.ts",
    port: number,
    env: Record<string, string>,
    init?: unknown,
  ): Promise<ServerChild> {
    const stderr: string[] = [];
    // The servers run as production does: compiled JavaScript on plain node (bench/build.ts, run
    // by runBench first), no TypeScript loader in the process.
    const compiled = path.join(BENCH_OUTDIR, script.replace(/\.ts$/, ".js"));
    const child = fork(compiled, [], {
      // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (--cpu-prof).
      // Our server (and the refresher, a job of its) runs with production's Node flags; the floor is a bare node with none.
      execArgv: [
        ...(script === "floor-child.ts" ? [] : SERVER_NODE_FLAGS),
        // The refresher's process collects fully once after each timed run, to report the heap it keeps.
        ...(script === "refresh-child.ts" ? ["--expose-gc"] : []),
        ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      env: { ...process.env, NODE_ENV: "production", LOG_REQUESTS: "on", SEED_DEMO: "never", EMAIL_DISPATCHER: "off", ...env, BENCH_PORT: String(port) },
      // Request logs go to /dev/null: written (the production default), not kept.
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    const server = new ServerChild(child, `http://127.0.0.1:${port}`, stderr);
    // The child asks for its data once it listens for it (a message sent earlier could be lost).
    if (init !== undefined) child.once("message", (m: ChildMessage) => m.type === "want-init" && child.send({ type: "init", init }));
    await server.waitFor((m) => m.type === "ready" || m.type === "floor-ready", 120_000);
    return server;
  }

  waitFor(match: (m: ChildMessage) => boolean, timeoutMs = 30_000): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error, message?: ChildMessage) => {
        clearTimeout(timer);
        this.child.off("message", onMessage);
        this.child.off("exit", onExit);
        if (error) reject(error);
        else resolve(message!);
      };
      const onMessage = (m: ChildMessage) => {
        if (m.type === "error") done(new Error(m.message));
        else if (match(m)) done(undefined, m);
      };
      const onExit = (code: number | null) => done(new Error(`server process exited (${code}): ${this.stderr.join("").slice(-2000)}`));
      const timer = setTimeout(() => done(new Error(`server process did not answer in ${timeoutMs} ms: ${this.stderr.join("").slice(-2000)}`)), timeoutMs);
      this.child.on("message", onMessage);
      this.child.on("exit", onExit);
    });
  }

  /** The server process's resident set size, in bytes. */
  async rss(): Promise<number> {
    return (await this.memory()).rss;
  }

  /** The server process's process.memoryUsage(): RSS, V8 heap, external and array buffers. */
  async memory(): Promise<MemoryUsage> {
    const reply = this.waitFor((m) => m.type === "rss");
    this.child.send({ type: "rss" });
    return ((await reply) as { memory: MemoryUsage }).memory;
  }

  /**
   * CPU seconds the server process has used so far (user and system, process.cpuUsage): read
   * before and after a loaded run, it gives the CPU each request cost the server, a figure the
   * machine's other work disturbs far less than requests per second.
   */
  async cpuSeconds(): Promise<number> {
    const reply = this.waitFor((m) => m.type === "cpu");
    this.child.send({ type: "cpu" });
    return ((await reply) as { micros: number }).micros / 1e6;
  }

  /**
   * Runs each statement once, in turn, on the server process's own database pool, and answers
   * how long each took (ms, timed in the server): the raw SQL beside the page, in the same
   * process and at the same moment.
   */
  async timeStatements(statements: StatementText[]): Promise<number[]> {
    const reply = this.waitFor((m) => m.type === "statement-times", 120_000);
    this.child.send({ type: "time-statements", statements });
    return ((await reply) as { ms: number[] }).ms;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.send({ type: "stop" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The answers every child gives: its RSS and CPU time on request, and a clean stop. */
export function serveParent(onStop: () => Promise<void>) {
  process.on("message", (m: { type: string }) => {
    if (m.type === "rss") {
      const memory = process.memoryUsage();
      process.send!({ type: "rss", rss: memory.rss, memory });
    }
    if (m.type === "cpu") {
      const { user, system } = process.cpuUsage();
      process.send!({ type: "cpu", micros: user + system });
    }
    if (m.type === "stop") void onStop().finally(() => process.exit(0));
  });
  process.on("disconnect", () => void onStop().finally(() => process.exit(0)));
}

export function reportChildError(error: unknown) {
  process.send?.({ type: "error", message: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) });
  setTimeout(() => process.exit(1), 100);
}
