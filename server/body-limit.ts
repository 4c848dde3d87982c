import { Transform, type TransformCallback } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import { problem } from "~/domain/api";

/*
 * Request bodies are counted while they stream, before anything buffers them: Remix's adapter hands
 * the socket straight to `request.formData()`/`text()`, which would otherwise hold a body of any
 * size in memory (a huge login form once took the server's memory past a gigabyte; ADR 016).
 * A declared Content-Length over the limit is refused without reading a byte; a chunked body is cut
 * off at the limit. Either way the answer is a 413 and the connection is closed soon after, so the
 * rest of the upload is never buffered.
 */

export interface BodyLimitRule {
  /** Path prefix the rule covers; the longest matching prefix wins. */
  prefix: string;
  maxBytes: number;
  /** When set, the rule covers only the paths under `prefix` that match it as a whole. */
  pattern?: RegExp;
}

export const MB = 1024 * 1024;

/** Forms and the JSON API take 1 MB. Uploads, when they come, get a longer prefix and their own size. */
export const DEFAULT_BODY_LIMITS: readonly BodyLimitRule[] = [
  { prefix: "/", maxBytes: 1 * MB },
  { prefix: "/api/", maxBytes: 1 * MB },
];

/** Room for the multipart framing and the form's other fields around the file. */
const UPLOAD_FORM_OVERHEAD = 64 * 1024;

/**
 * The two upload addresses (the rep's and the buyer's) take a file of `fileBytes`; the upload
 * itself counts the file's own bytes against the limit (ADR 035).
 */
export function uploadBodyLimits(fileBytes: number): BodyLimitRule[] {
  const maxBytes = fileBytes + UPLOAD_FORM_OVERHEAD;
  return [
    { prefix: "/plans/", pattern: /^\/plans\/[^/]+\/resources$/, maxBytes },
    { prefix: "/p/", pattern: /^\/p\/[^/]+\/resources$/, maxBytes },
  ];
}

export function bodyLimitFor(pathname: string, rules: readonly BodyLimitRule[] = DEFAULT_BODY_LIMITS): number {
  let best: BodyLimitRule | undefined;
  for (const rule of rules) {
    if (rule.pattern && !rule.pattern.test(pathname)) continue;
    if (pathname.startsWith(rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
  }
  if (!best) throw new Error(`no body limit covers ${pathname}: add a rule with prefix "/"`);
  return best.maxBytes;
}

export function formatBytes(bytes: number): string {
  return bytes >= MB && bytes % MB === 0 ? `${bytes / MB} MB` : bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} kB` : `${bytes} bytes`;
}

export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${formatBytes(maxBytes)}.`);
    this.name = "BodyTooLarge";
  }
}

/** Passes bytes through until `maxBytes`, then fails with BodyTooLarge instead of passing more. */
class CountingStream extends Transform {
  private received = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly onOverflow: () => void,
  ) {
    super();
  }
  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.received += chunk.length;
    if (this.received > this.maxBytes) {
      this.onOverflow();
      callback(new BodyTooLarge(this.maxBytes));
      return;
    }
    callback(null, chunk);
  }
}

/** How long a refused upload may keep arriving, unread, after the 413 is sent. */
const LINGER_MS = 2_000;
/** How much of it is read and dropped before the connection is cut anyway. */
const LINGER_MAX_BYTES = 8 * MB;

/*
 * Closing a socket that still has unread upload bytes makes the kernel send a reset, and a client
 * still writing then sees "connection reset"/EPIPE instead of the 413 it was already sent. So, as
 * nginx and Apache do ("lingering close"), the server half-closes after the answer and keeps
 * reading and dropping for a short, bounded while, giving the client time to read the answer and
 * stop. Node closes a `Connection: close` response through `socket.destroySoon()`; this replaces
 * that one call for this one socket.
 */
function lingerBeforeClosing(req: Request) {
  const socket = req.socket;
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_MAX_BYTES) socket.destroy();
  });
  req.resume();
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
    // The client has read the answer and finished (or given up) sending: nothing left to wait for.
    socket.once("end", () => socket.destroy());
  };
}

function refuse(req: Request, res: Response, maxBytes: number) {
  if (res.headersSent) {
    // The page already answered without reading the body; nothing more to say on this connection.
    req.socket.destroy();
    return;
  }
  // `Connection: close`: the rest of the upload is not read through to reach a next request on
  // this connection; it ends once the client has had the answer (see lingerBeforeClosing).
  const detail = `The request body is larger than the ${formatBytes(maxBytes)} allowed here. Send less and try again.`;
  res.status(413).set("Connection", "close");
  lingerBeforeClosing(req);
  // The JSON API answers in its own error format, forms in plain words.
  if (req.path.startsWith("/api/")) res.type("application/problem+json").send(JSON.stringify(problem(413, "body-too-large", detail)));
  else res.type("text/plain").send(`Payload too large: ${detail}`);
}

const WITHOUT_BODY = new Set(["GET", "HEAD"]);

/**
 * Express middleware: checks the declared length, and gives the page handler a counted stream of
 * the body in `res.locals.body` (see remixBodyStream) instead of the raw socket.
 */
export function limitRequestBodies(rules: readonly BodyLimitRule[] = DEFAULT_BODY_LIMITS) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Remix never reads a GET's or HEAD's body; Node discards one if sent.
    if (WITHOUT_BODY.has(req.method)) return next();
    const maxBytes = bodyLimitFor(req.path, rules);
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) return refuse(req, res, maxBytes);

    let overflowed = false;
    const body = new CountingStream(maxBytes, () => {
      overflowed = true;
      req.unpipe(body);
      res.locals.bodyOverflow?.();
      refuse(req, res, maxBytes);
    });
    req.pipe(body);
    res.locals.body = body;
    // A page that answers without reading the whole body (a 405, a refused action) leaves the rest
    // on a keep-alive connection: read it off and drop it, still counting, so the next request on
    // that connection can be parsed and an endless body still ends at the limit.
    res.once("finish", () => {
      if (req.complete || overflowed) return;
      req.unpipe(body);
      let rest = 0;
      req.on("data", (chunk: Buffer) => {
        rest += chunk.length;
        if (rest > maxBytes) req.socket.destroy();
      });
      req.resume();
    });
    next();
  };
}
