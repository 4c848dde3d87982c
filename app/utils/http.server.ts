import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { authenticate, createLucia, type SessionUser } from "./auth.server";
import type { AppContext } from "./context.server";

export interface HttpOptions {
  db: Kysely<DB>;
  databaseKind: "pglite" | "postgres";
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "development" | "production" | "test";
  /** Secure cookies with the __Host- prefix: on in production (HTTPS). */
  secureCookies: boolean;
  publicDir: string;
  logRequests: boolean;
  log?: (line: string) => void;
  /** The portal's public origin when it sits behind a proxy that rewrites Host. */
  appUrl?: string;
  /** The clock for sessions and requests; tests inject one to cross timeouts. Default: the real one. */
  now?: () => Date;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Paths as they may appear in logs: link tokens, calendar feed tokens and signed email-preference
 * tokens (which also name the recipient) are secrets and never written down.
 */
export function redactPath(pathname: string): string {
  return pathname
    .replace(/^\/s\/[^/]+/, "/s/[token]")
    .replace(/^\/o\/[^/]+/, "/o/[token]")
    .replace(/^\/calendar\/[^/]+/, "/calendar/[token]")
    .replace(/^\/email-preferences\/[^/]+/, "/email-preferences/[token]");
}

/**
 * A non-GET request must come from our own pages: browsers send Origin (and Sec-Fetch-Site) on
 * every cross-site POST, so a foreign or missing Origin is refused before any action runs.
 */
export function csrfRejection(req: Pick<Request, "method" | "headers" | "protocol" | "path">, appUrl?: string): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  // RFC 8058 one-click unsubscribe: the mail provider posts from its own servers, with no Origin
  // and no Sec-Fetch-Site (a browser always sends one of them). The signed token in the path is
  // the credential, and it can only quiet emails. A browser's cross-site post is still refused.
  if (/^\/email-preferences\/[^/]+$/.test(req.path) && !req.headers.origin && !req.headers["sec-fetch-site"]) return null;
  // The JSON API (/api/v1/*) authenticates with a bearer token, never a cookie: a browser on another
  // site cannot attach that header on its own (and a cross-origin request with it needs a CORS
  // preflight we never grant), so a forged request carries no credential. CRMs call from servers,
  // without an Origin. A request without the header still goes through the check below.
  if (req.path.startsWith("/api/v1/") && /^Bearer\s/i.test(String(req.headers.authorization ?? ""))) return null;
  const site = req.headers["sec-fetch-site"];
  if (site && site !== "same-origin" && site !== "none") return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  const origin = req.headers.origin;
  if (!origin) return "request without an Origin header refused";
  const expected = appUrl ? new URL(appUrl).origin : `${req.protocol}://${req.headers.host}`;
  if (origin !== expected) return "request from another origin refused";
  return null;
}

/**
 * Only our own scripts run (Remix's inline ones carry the nonce); no framing, no plugins, forms
 * post only to us. Styles may be inline attributes (progress bars, SVG), never remote.
 */
export function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${development ? " ws://localhost:* ws://127.0.0.1:*" : ""}`,
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** The 4xx status an error from Express itself carries (e.g. 400 for an undecodable path), if any. */
export function clientErrorStatus(error: unknown): number | null {
  const status = typeof error === "object" && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === "number" && status >= 400 && status < 500 ? status : null;
}

export function createHttpApp(options: HttpOptions) {
  const app = express();
  const log = options.log ?? ((line: string) => console.log(line));
  const lucia = createLucia(options.db, { secureCookies: options.secureCookies, now: options.now });

  app.disable("x-powered-by");
  app.set("trust proxy", "loopback, linklocal, uniquelocal");
  app.use(compression());

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, options.mode === "development"));
    const buyerPage = req.path.startsWith("/s/") || req.path.startsWith("/o/") || req.path.startsWith("/p/");
    // Buyer pages never leak their address to other sites, and stay out of search engines.
    // "same-origin", not "no-referrer": with no-referrer Chromium sends "Origin: null" on the page's
    // own native form posts, which the CSRF checks refuse, so buyers without JavaScript could not
    // post at all; a referrer sent only to ourselves tells us nothing the request does not.
    res.setHeader("Referrer-Policy", buyerPage ? "same-origin" : "strict-origin-when-cross-origin");
    if (buyerPage) res.setHeader("X-Robots-Tag", "noindex");
    if (options.logRequests) {
      res.on("finish", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log(JSON.stringify({
          level: "info", time: new Date().toISOString(), requestId, method: req.method,
          path: redactPath(req.path), status: res.statusCode, ms: Math.round(ms * 10) / 10,
        }));
      });
    }
    next();
  });

  // Fingerprinted build output never changes: cache it for a year. Other public files briefly.
  app.use("/build", express.static(path.join(options.publicDir, "build"), { immutable: true, maxAge: "1y" }));
  // Every other public file has an extension: page paths skip the file-system lookup (a stat and
  // an ENOENT per page request otherwise).
  const publicFiles = express.static(options.publicDir, { maxAge: "1h", index: false });
  app.use((req, res, next) => (/\.[^/]+$/.test(req.path) ? publicFiles(req, res, next) : next()));
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));

  // More after a secret token than any route takes (/s/<token>/x): answered here, because Remix's
  // router would print the unmatched address, token and all, to the server's output.
  app.use((req, res, next) => {
    if (!/^\/(s|o|calendar|email-preferences)\/[^/]+\/./.test(req.path)) return next();
    res.status(404).type("text/plain").send("This link is not active.");
  });

  app.use((req, res, next) => {
    const rejection = csrfRejection(req, options.appUrl);
    if (!rejection) return next();
    res.status(403).type("text/plain").send(`Forbidden: ${rejection}.`);
  });

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const { user, setCookies } = await authenticate(lucia, req.headers.cookie);
      for (const cookie of setCookies) res.append("Set-Cookie", cookie);
      res.locals.user = user;
      next();
    } catch (error) {
      next(error);
    }
  });

  app.all(
    "*",
    createRequestHandler({
      build: options.build,
      mode: options.mode,
      getLoadContext: (req, res): AppContext => ({
        db: options.db,
        databaseKind: options.databaseKind,
        lucia,
        user: (res.locals.user as SessionUser | null) ?? null,
        requestId: res.locals.requestId as string,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        now: options.now?.() ?? new Date(),
        secureCookies: options.secureCookies,
        cspNonce: res.locals.cspNonce as string,
      }),
    }),
  );

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const clientError = clientErrorStatus(error);
    if (clientError) {
      // Express refuses an address it cannot decode (a broken %-escape) with a 400 of its own. Its
      // message quotes the raw path, which may hold a token: only the status is written down.
      log(JSON.stringify({ level: "warn", time: new Date().toISOString(), requestId: res.locals.requestId, method: req.method, path: redactPath(req.path), status: clientError }));
      if (!res.headersSent) res.status(clientError).type("text/plain").send("Bad request: this address could not be read. Check the link and try again.");
      return;
    }
    log(JSON.stringify({
      level: "error", time: new Date().toISOString(), requestId: res.locals.requestId, method: req.method,
      path: redactPath(req.path), error: error instanceof Error ? error.message : String(error),
    }));
    if (!res.headersSent) res.status(500).type("text/plain").send("Something went wrong on our side. Please try again.");
  });

  return app;
}
