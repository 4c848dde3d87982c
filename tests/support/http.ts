import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB } from "../../db/types";
import { createHttpApp, type HttpOptions } from "../../server/http";

/**
 * Serves the built app (run `npm run build` first) on a random loopback port against a test database.
 * `options` may turn on production cookies, inject a clock or set the public URL.
 */
export async function startTestServer(
  db: Kysely<DB>,
  databaseKind: "pglite" | "postgres" | "citus",
  logLines: string[] = [],
  options: Partial<
    Pick<
      HttpOptions,
      "secureCookies" | "now" | "appUrl" | "devMailbox" | "trustProxy" | "bodyLimits" | "uploadLimits" | "concurrency" | "jobHealth" | "jobLeadership"
    >
  > = {},
) {
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const app = createHttpApp({
    db,
    // A Citus coordinator is a PostgreSQL server to the app.
    databaseKind: databaseKind === "pglite" ? "pglite" : "postgres",
    build,
    mode: "production",
    secureCookies: false,
    publicDir: path.resolve("public"),
    logRequests: true,
    log: (line) => logLines.push(line),
    ...options,
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    logLines,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The HTTP layer alone over a public directory, for what it answers before any page or database:
 * the build's files. No Remix build and no connection is ever used.
 */
export async function startStaticFileServer(publicDir: string, assetArchiveDir?: string) {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ max: 1 }) }) });
  const app = createHttpApp({
    db,
    databaseKind: "postgres",
    build: () => Promise.reject(new Error("no page is rendered in this test")),
    mode: "production",
    secureCookies: false,
    publicDir,
    assetArchiveDir,
    logRequests: false,
    trustProxy: false,
    devMailbox: false,
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
    },
  };
}

/** A tiny cookie-keeping client, enough to walk login flows like a browser would. */
export class TestClient {
  private cookies = new Map<string, string>();
  constructor(readonly origin: string) {}

  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** The value of one cookie this client holds, e.g. "pt_session". */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async request(pathname: string, init: RequestInit & { form?: Record<string, string> } = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader);
    let body = init.body;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers.set("Content-Type", "application/x-www-form-urlencoded");
      if (!headers.has("Origin")) headers.set("Origin", this.origin);
    }
    const response = await fetch(`${this.origin}${pathname}`, { ...init, body, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...rest] = pair.split("=");
      const value = rest.join("=");
      if (value === "" || /max-age=0/i.test(cookie)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return response;
  }

  get(pathname: string, init: RequestInit = {}) {
    return this.request(pathname, init);
  }

  post(pathname: string, form: Record<string, string>, init: RequestInit = {}) {
    return this.request(pathname, { ...init, method: "POST", form });
  }

  login(email: string, password: string) {
    return this.post("/login", { email, password });
  }
}

/** A request's whole body as text (for the local receivers webhook and chat tests run). */
export function readRequestBody(req: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}
