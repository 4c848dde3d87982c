import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Kysely } from "kysely";
import type { DB } from "../db/types";
import { authenticate, createLucia, type SessionUser } from "~/infra/sessions.server";
import { DEFAULT_BODY_LIMITS, limitRequestBodies, uploadBodyLimits, type BodyLimitRule } from "./body-limit";
import type { UploadLimits } from "~/domain/resources";
import { refuseLegacyDataRequests } from "./legacy-data";
import { DEFAULT_CONCURRENCY_LIMITS, limitConcurrency, type ConcurrencyLimits } from "./overload";
import { createRemixHandler } from "./remix-handler";
import type { AppContext } from "./context";
import { devMailboxEnabled, getEnv, trustProxySetting, uploadLimitsFromEnv, type Env } from "~/infra/env.server";
import type { JobHealth } from "~/jobs/job-health.server";
import type { JobLeadership } from "~/jobs/job-leadership.server";
import { originOf, withRequestOrigin } from "~/infra/request-origin.server";
import { sendPlainAnswer } from "./plain-answer";
import { isPrivateAddressPage, redactSecretPaths } from "~/domain/secret-addresses";
import { ASSET_ARCHIVE_DIR } from "./asset-archive";
import { precompressedAssets } from "./static-assets";

export interface HttpOptions {
  db: Kysely<DB>;
  databaseKind: "pglite" | "postgres";
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "development" | "production" | "test";
  /** Secure cookies with the __Host- prefix: on in production (HTTPS). */
  secureCookies: boolean;
  publicDir: string;
  /** Earlier builds' hashed assets, served when public/build no longer has them (asset-archive.ts). */
  assetArchiveDir?: string;
  logRequests: boolean;
  log?: (line: string) => void;
  /** The portal's public origin when it sits behind a proxy that rewrites Host. */
  appUrl?: string;
  /** The clock for sessions and requests; tests inject one to cross timeouts. Default: the real one. */
  now?: () => Date;
  /** Express's `trust proxy`: which peers' X-Forwarded-For is believed. Default: TRUST_PROXY. */
  trustProxy?: false | number | string[];
  /** Whether admins may read the outbox at /dev/mailbox. Default: DEV_MAILBOX (see env.server.ts). */
  devMailbox?: boolean;
  /** Request body limits per path prefix (default: 1 MB for forms and the API). */
  bodyLimits?: readonly BodyLimitRule[];
  /** File size and organisation quota for uploads (default: FILE_MAX_MB and FILE_QUOTA_MB); the upload addresses' body limit follows. */
  uploadLimits?: UploadLimits;
  /** How many requests run at once and how many may wait (default: 32 and 128). */
  concurrency?: ConcurrencyLimits;
  /** The background jobs this process runs, reported by /healthz (none: a process without jobs). */
  jobHealth?: JobHealth;
  /** Which of those jobs this process leads, reported by /healthz. */
  jobLeadership?: Pick<JobLeadership, "instanceId" | "report">;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A non-GET request must come from our own pages: browsers send Origin (and Sec-Fetch-Site) on
 * every cross-site POST, so a foreign or missing Origin is refused before any action runs.
 */
export function csrfRejection(req: Pick<Request, "method" | "headers" | "protocol" | "path" | "hostname" | "get">, appUrl?: string): string | null {
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
  // A form posted natively from a page whose Referrer-Policy is no-referrer (or from a browser or
  // extension that hides referrers) carries `Origin: null`, though it came from our own page.
  // Sec-Fetch-Site is set by the browser alone (no page or script can forge it) and says
  // same-origin only when the whole redirect chain stayed on this origin: enough to trust the post
  // (ADR 010). A null Origin from anywhere else (a sandboxed frame, a data: URL, a cross-site
  // redirect, an older browser without fetch metadata) is still refused.
  if (origin === "null" && site === "same-origin") return null;
  if (!origin) return "request without an Origin header refused";
  // The origin our own pages are served from, as every link the app writes states it.
  const expected = appUrl ? new URL(appUrl).origin : originOf(req);
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

/** The options the environment decides, so the server and the benchmark's copy of it start alike. */
export function httpOptionsFromEnv(env: Env) {
  return {
    mode: env.NODE_ENV,
    secureCookies: env.NODE_ENV === "production" && (env.APP_URL ?? "").startsWith("https://"),
    publicDir: path.resolve("public"),
    assetArchiveDir: ASSET_ARCHIVE_DIR,
    logRequests: env.LOG_REQUESTS === "on",
    appUrl: env.APP_URL,
  };
}

export function createHttpApp(options: HttpOptions) {
  const app = express();
  const log = options.log ?? ((line: string) => console.log(line));
  const lucia = createLucia(options.db, { secureCookies: options.secureCookies, now: options.now });
  const devMailbox = options.devMailbox ?? devMailboxEnabled();

  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy ?? trustProxySetting(getEnv().TRUST_PROXY));
  app.use(compression());

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Content-Type-Options", "nosniff");
    // A build file (a script, the stylesheet) is no document: a page's policy, framing and referrer
    // headers do nothing on it, and they were ~700 of its bytes, sent for each of the 30-odd files
    // a page loads (ADR 041). Its request id stays in the log.
    const buildFile = req.path.startsWith("/build/");
    if (!buildFile) {
      res.setHeader("X-Request-Id", requestId);
      res.setHeader("X-Frame-Options", "DENY");
      const nonce = randomBytes(16).toString("base64");
      res.locals.cspNonce = nonce;
      res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, options.mode === "development"));
      const privatePage = isPrivateAddressPage(req.path);
      // Pages whose address is a credential never leak it to other sites, and stay out of search engines.
      // `same-origin`, not `no-referrer`: other sites still get nothing, but the buyer's own form
      // posts carry a real Origin, so they pass the CSRF check in every browser, with or without
      // fetch metadata and with or without JavaScript (ADR 010). The Referer then reaches only this
      // server, which (like any proxy before it) sees the page's own address anyway.
      res.setHeader("Referrer-Policy", privatePage ? "same-origin" : "strict-origin-when-cross-origin");
      if (privatePage) res.setHeader("X-Robots-Tag", "noindex");
    }
    if (options.logRequests) {
      res.on("finish", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log(
          JSON.stringify({
            level: "info",
            time: new Date().toISOString(),
            requestId,
            method: req.method,
            path: redactSecretPaths(req.path),
            status: res.statusCode,
            ms: Math.round(ms * 10) / 10,
          }),
        );
      });
    }
    next();
  });

  // Fingerprinted build output never changes: cache it for a year (never revalidated, so no ETag
  // or Last-Modified). Scripts and the stylesheet go out compressed at build time when the browser
  // takes it (static-assets.ts). Other public files briefly.
  const buildDirs = [path.join(options.publicDir, "build"), ...(options.assetArchiveDir ? [options.assetArchiveDir] : [])];
  app.use("/build", precompressedAssets(buildDirs));
  const hashedAssets = { immutable: true, maxAge: "1y", index: false, etag: false, lastModified: false } as const;
  app.use("/build", express.static(path.join(options.publicDir, "build"), hashedAssets));
  // A page of the previous (or the next) version may ask this server for its files mid-deploy.
  if (options.assetArchiveDir) app.use("/build", express.static(options.assetArchiveDir, hashedAssets));
  // No page lives under /build: a name no kept build has is a plain 404, without rendering a page.
  app.use("/build", (_req, res) => {
    res.status(404).type("text/plain").send("Not found: this file belongs to no build this server keeps.");
  });
  // Every other public file has an extension: page paths skip the file-system lookup (a stat and
  // an ENOENT per page request otherwise).
  const publicFiles = express.static(options.publicDir, { maxAge: "1h", index: false });
  app.use((req, res, next) => (/\.[^/]+$/.test(req.path) ? publicFiles(req, res, next) : next()));
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));

  // More after a secret token than any route takes (/s/<token>/x): answered here, because Remix's
  // router would print the unmatched address, token and all, to the server's output.
  app.use((req, res, next) => {
    if (!/^\/(s|o|calendar|email-preferences|password\/set)\/[^/]+\/./.test(req.path)) return next();
    sendPlainAnswer(req, res, {
      status: 404,
      text: "This link is not active.",
      title: "This link is not active",
      message: "Check that the whole link was copied. Shared plan links expire, and the person who shared one can withdraw it: ask them for a new link.",
    });
  });

  const uploadLimits = options.uploadLimits ?? uploadLimitsFromEnv(getEnv());
  app.use(limitRequestBodies([...(options.bodyLimits ?? DEFAULT_BODY_LIMITS), ...uploadBodyLimits(uploadLimits.fileBytes)]));
  app.use(refuseLegacyDataRequests);

  app.use((req, res, next) => {
    const rejection = csrfRejection(req, options.appUrl);
    if (!rejection) {
      // Remix repeats an origin check on native (document) posts and answers a null Origin with a
      // bare 500. This check has already vouched for the request, from Sec-Fetch-Site.
      if (req.headers.origin === "null") delete req.headers.origin;
      return next();
    }
    sendPlainAnswer(req, res, {
      status: 403,
      text: `Forbidden: ${rejection}.`,
      title: "This form could not be sent",
      message:
        "Your browser did not confirm that this form came from a Plan Together page, so nothing was changed. Go back, reload the page and try again. If it keeps happening, open the link from your email again.",
    });
  });

  app.use(limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY_LIMITS, log));

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

  const handleRequest = createRemixHandler({
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
      devMailbox,
      jobHealth: options.jobHealth,
      jobLeadership: options.jobLeadership,
      uploadLimits,
    }),
  });
  // Every absolute URL written while serving this request starts with the same origin: the public
  // URL when configured, else the one the browser used (see publicBaseUrl).
  app.all("*", (req, res, next) => withRequestOrigin(options.appUrl?.replace(/\/+$/, "") ?? originOf(req), () => handleRequest(req, res, next)));

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const clientError = clientErrorStatus(error);
    if (clientError) {
      // Express refuses an address it cannot decode (a broken %-escape) with a 400 of its own. Its
      // message quotes the raw path, which may hold a token: only the status is written down.
      log(
        JSON.stringify({
          level: "warn",
          time: new Date().toISOString(),
          requestId: res.locals.requestId,
          method: req.method,
          path: redactSecretPaths(req.path),
          status: clientError,
        }),
      );
      if (!res.headersSent) {
        sendPlainAnswer(req, res, {
          status: clientError,
          text: "Bad request: this address could not be read. Check the link and try again.",
          title: "This address could not be read",
          message: "Part of the link is damaged. Check that the whole link was copied, and try again.",
        });
      }
      return;
    }
    log(
      JSON.stringify({
        level: "error",
        time: new Date().toISOString(),
        requestId: res.locals.requestId,
        method: req.method,
        path: redactSecretPaths(req.path),
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    if (!res.headersSent) {
      sendPlainAnswer(req, res, {
        status: 500,
        text: "Something went wrong on our side. Please try again.",
        title: "Something went wrong",
        message: "Something went wrong on our side. Please reload the page in a moment.",
      });
    }
  });

  return app;
}
