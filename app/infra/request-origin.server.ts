import { AsyncLocalStorage } from "node:async_hooks";
import type { Request } from "express";

/*
 * The public origin of the request being served, for the absolute URLs written while serving it
 * (share links, feed addresses, the links in emails queued by a change). It is carried with the
 * request's async work instead of being passed down, because the emails are rendered deep inside
 * the one write path (runPlanCommand → queueNotifications), which has no business knowing about
 * HTTP. publicBaseUrl() in env.server.ts is the only reader.
 */
// One store per process, kept on globalThis: the HTTP layer (build/server) and the routes (the
// Remix bundle, build/index.js) each carry their own copy of this module.
const KEY = Symbol.for("plan-together.request-origin");
const holder = globalThis as typeof globalThis & { [KEY]?: AsyncLocalStorage<string> };
const store = (holder[KEY] ??= new AsyncLocalStorage<string>());

/** Runs `fn` (the request's handler) with `origin` as the current request's public origin. */
export function withRequestOrigin<T>(origin: string, fn: () => T): T {
  return store.run(origin, fn);
}

/** The current request's public origin, or undefined outside a request (timers, scripts). */
export function currentRequestOrigin(): string | undefined {
  return store.getStore();
}

/**
 * The origin the browser used: the protocol and host Express resolves under its "trust proxy"
 * setting (X-Forwarded-Proto and X-Forwarded-Host from a trusted proxy, else the connection and
 * Host). The port comes with the host it was sent with: a proxy's X-Forwarded-Host without one
 * means the default port, not the port the proxy happened to reach us on.
 */
export function originOf(req: Pick<Request, "protocol" | "hostname" | "get">): string {
  const forwarded = req.get("X-Forwarded-Host")?.split(",")[0]?.trim();
  const trusted = forwarded !== undefined && forwarded.replace(/:\d+$/, "") === req.hostname;
  const port = (trusted ? forwarded : (req.get("host") ?? "")).match(/:(\d+)$/)?.[1];
  return `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}`;
}
