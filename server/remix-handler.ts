import { createReadableStreamFromReadable, createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import type { Readable } from "node:stream";

/*
 * `@remix-run/express`'s handler (its request and response plumbing is not exported), except that the Web Request reads its body from the counted
 * stream limitRequestBodies left in `res.locals.body` rather than from the raw socket (the
 * adapter's createRemixRequest offers no way to swap the stream). When that stream overflows, the
 * 413 is already on its way: the page's work is aborted and its answer dropped.
 */
export function createRemixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: Request, res: Response) => AppLoadContext;
}) {
  const handleRequest = createRequestHandler(options.build, options.mode);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const request = toRemixRequest(req, res);
      const response = await handleRequest(request, options.getLoadContext(req, res));
      if (res.headersSent) {
        await response.body?.cancel();
        return;
      }
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

function toRemixRequest(req: Request, res: Response): globalThis.Request {
  // As the adapter does: the port from X-Forwarded-Host or Host, the host as "trust proxy" allows.
  const port = [req.get("X-Forwarded-Host"), req.get("host")]
    .map((value) => Number.parseInt(value?.split(":")[1] ?? "", 10))
    .find((n) => Number.isSafeInteger(n));
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else if (values) headers.set(key, values);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable((res.locals.body as Readable | undefined) ?? req);
    init.duplex = "half";
  }
  // Abort loaders and actions once no answer can be written (`close` without `finish`), or when
  // the body overflowed and the 413 took the answer's place.
  const abort = () => controller?.abort();
  res.locals.bodyOverflow = abort;
  res.on("finish", () => (controller = null));
  res.on("close", abort);
  return new Request(url.href, init);
}

async function sendRemixResponse(res: Response, response: globalThis.Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // A route's own header replaces the one every response starts with (a download's sandboxing
  // Content-Security-Policy instead of the pages' policy); only cookies add up.
  for (const [key, value] of response.headers.entries()) {
    if (key === "set-cookie") res.append(key, value);
    else res.setHeader(key, value);
  }
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeBody(response.body, res);
  else res.end();
}

/**
 * The adapter's writeReadableStreamToWritable, except for how the bytes leave. It wrote each chunk
 * the page's stream produced (React renders a page in chunks of a few KB: a 100 KB page is dozens)
 * as a syscall of its own, and flushed the compressor after each one (a sync flush per chunk, which
 * also compresses worse). Here the chunks that arrive in one turn of the event loop go out together
 * (the socket is corked until the turn ends) and the compressor is flushed once per turn: a page
 * rendered in one go leaves in one write, while anything that streams over time (a deferred
 * section, server-sent events) still leaves as soon as it was produced.
 */
export async function writeBody(body: ReadableStream<Uint8Array>, res: Response) {
  const reader = body.getReader();
  const flushable = res as Response & { flush?: () => void };
  let corked = false;
  const release = () => {
    if (!corked) return;
    corked = false;
    flushable.flush?.();
    res.uncork();
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!corked) {
        corked = true;
        res.cork();
        setImmediate(release);
      }
      res.write(value);
    }
    // end() sends what is still corked. With compression on it only ends the compressor, whose
    // last bytes come later: they must find the socket uncorked (the compressor waits for the
    // socket's "drain" once it has written more than a buffer's worth, which a corked socket never
    // emits).
    res.end();
    if (corked) {
      corked = false;
      res.uncork();
    }
  } catch (error) {
    corked = false;
    res.destroy(error as Error);
    throw error;
  }
}
