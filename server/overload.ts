import type { NextFunction, Request, Response } from "express";

/*
 * Under a flood (ADR 016: many connections on /forecast made /healthz take seconds) every request used to be
 * started at once, so each one waited on all the others. Now at most `maxConcurrent` requests run;
 * up to `maxQueued` more wait their turn in arrival order for at most `queueTimeoutMs`; anyone
 * beyond that gets a fast 503 with Retry-After instead of a slow answer. The health check skips the
 * queue so a load balancer still sees the truth (it queries the database like before).
 */

export interface ConcurrencyLimits {
  maxConcurrent: number;
  maxQueued: number;
  queueTimeoutMs: number;
  /** What Retry-After tells a refused client. */
  retryAfterSeconds: number;
}

export const DEFAULT_CONCURRENCY_LIMITS: ConcurrencyLimits = { maxConcurrent: 32, maxQueued: 128, queueTimeoutMs: 10_000, retryAfterSeconds: 5 };

/** Paths served ahead of the queue. */
const EXEMPT = new Set(["/healthz"]);

export function limitConcurrency(limits: ConcurrencyLimits, log: (line: string) => void = () => {}) {
  let running = 0;
  const queue: Array<() => void> = [];

  const release = () => {
    running--;
    const nextInLine = queue.shift();
    if (nextInLine) nextInLine();
  };

  const start = (res: Response, next: NextFunction) => {
    running++;
    let released = false;
    // `close` comes after every response, finished or cut off.
    res.once("close", () => {
      if (released) return;
      released = true;
      release();
    });
    next();
  };

  const refuse = (req: Request, res: Response, why: string) => {
    log(
      JSON.stringify({
        level: "warn",
        time: new Date().toISOString(),
        requestId: res.locals.requestId,
        method: req.method,
        status: 503,
        overload: why,
        running,
        queued: queue.length,
      }),
    );
    res.status(503).set("Retry-After", String(limits.retryAfterSeconds)).set("Cache-Control", "no-store");
    const detail = `The portal is busy right now. Please try again in ${limits.retryAfterSeconds} seconds.`;
    if (req.path.startsWith("/api/"))
      res
        .type("application/problem+json")
        .send(JSON.stringify({ type: "https://plan-together.dev/problems/overloaded", title: "Service unavailable", status: 503, detail }));
    else res.type("text/plain").send(detail);
  };

  const middleware = (req: Request, res: Response, next: NextFunction) => {
    if (EXEMPT.has(req.path)) return next();
    if (running < limits.maxConcurrent) return start(res, next);
    if (queue.length >= limits.maxQueued) return refuse(req, res, "queue full");
    const turn = () => {
      clearTimeout(timer);
      res.off("close", leave);
      start(res, next);
    };
    // A client that gives up while waiting leaves the queue.
    const leave = () => {
      clearTimeout(timer);
      const at = queue.indexOf(turn);
      if (at >= 0) queue.splice(at, 1);
    };
    const timer = setTimeout(() => {
      leave();
      res.off("close", leave);
      refuse(req, res, "waited too long");
    }, limits.queueTimeoutMs);
    res.once("close", leave);
    queue.push(turn);
  };
  /** For tests and logs: requests running and waiting now. */
  middleware.load = () => ({ running, queued: queue.length });
  return middleware;
}
