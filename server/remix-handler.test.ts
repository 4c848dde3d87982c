import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createGunzip, gunzipSync, gzipSync } from "node:zlib";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import compression from "compression";
import express, { type Response } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { writeBody } from "./remix-handler";

/*
 * How a page's bytes leave the server (writeBody): a page rendered in one go leaves in one write
 * of the socket, compressed or not, and what streams over time still leaves as it is produced.
 */

const CHUNKS = 50;
const chunk = (i: number) => `<div>chunk ${i} ${"x".repeat(2000)}</div>`;

/** Counts the writes `res`'s socket hands to the kernel (each a write or writev system call). */
function countWrites(res: Response) {
  const handle = (res.socket as Socket & { _handle: Record<string, (...args: unknown[]) => unknown> })._handle;
  const counter = { writes: 0 };
  for (const method of ["writev", "writeBuffer", "writeUtf8String", "writeLatin1String", "writeAsciiString", "writeUcs2String"]) {
    const original = handle[method];
    if (typeof original !== "function") continue;
    handle[method] = function (this: unknown, ...args: unknown[]) {
      counter.writes++;
      return original.apply(this, args);
    };
  }
  return counter;
}

let server: http.Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  return new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

async function serve(handler: (res: Response) => Promise<void>) {
  const app = express();
  app.use(compression());
  app.get("/", (_req, res) => void handler(res));
  server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server!.once("listening", () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/**
 * A page as entry.server hands it over: React writes its chunks into a PassThrough in one go, and
 * Remix turns that into the Response's web stream.
 */
const renderedPage = () => {
  const body = new PassThrough();
  const stream = createReadableStreamFromReadable(body);
  setImmediate(() => {
    for (let i = 0; i < CHUNKS; i++) body.write(chunk(i));
    body.end();
  });
  return stream;
};

const expected = Array.from({ length: CHUNKS }, (_, i) => chunk(i)).join("");

describe("writeBody", () => {
  it("sends a page's chunks produced at once in one write of the socket", async () => {
    const counts: number[] = [];
    const url = await serve(async (res) => {
      const counter = countWrites(res);
      res.type("html");
      await writeBody(renderedPage(), res);
      res.once("finish", () => counts.push(counter.writes));
    });
    const response = await fetch(url, { headers: { "accept-encoding": "identity" } });
    expect(await response.text()).toBe(expected);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Each chunk was a write of its own before (50 here); the response's end may take a second.
    expect(counts).toHaveLength(1);
    expect(counts[0]).toBeLessThanOrEqual(2);
  });

  it("compresses the page whole when the browser accepts gzip", async () => {
    const url = await serve(async (res) => {
      res.type("html");
      await writeBody(renderedPage(), res);
    });
    const response = await new Promise<http.IncomingMessage>((resolve) => http.get(url, { headers: { "accept-encoding": "gzip" } }, resolve));
    const parts: Buffer[] = [];
    for await (const part of response) parts.push(part as Buffer);
    expect(response.headers["content-encoding"]).toBe("gzip");
    const body = Buffer.concat(parts);
    expect(gunzipSync(body).toString()).toBe(expected);
    // Flushed once for the whole page, not once per chunk (each sync flush adds its own bytes).
    expect(body.length).toBeLessThan(gzipSync(expected).length + 100);
  });

  it("sends a large compressed page whole (the compressor waits for the socket to drain)", { timeout: 20_000 }, async () => {
    // Random text compresses little: the compressed page is far more than a socket buffer's worth.
    const parts = Array.from({ length: CHUNKS }, () => randomBytes(3000).toString("base64"));
    const url = await serve(async (res) => {
      res.type("html");
      const body = new PassThrough();
      const stream = createReadableStreamFromReadable(body);
      setImmediate(() => {
        for (const part of parts) body.write(part);
        body.end();
      });
      await writeBody(stream, res);
    });
    const response = await new Promise<http.IncomingMessage>((resolve) => http.get(url, { headers: { "accept-encoding": "gzip" } }, resolve));
    const received: Buffer[] = [];
    for await (const part of response) received.push(part as Buffer);
    expect(gunzipSync(Buffer.concat(received)).toString()).toBe(parts.join(""));
  });

  it("still sends what streams over time as soon as it is produced", async () => {
    let sendRest: () => void = () => {};
    const url = await serve(async (res) => {
      res.type("text/plain");
      const rest = new Promise<void>((resolve) => (sendRest = resolve));
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode("first part\n"));
          await rest;
          controller.enqueue(new TextEncoder().encode("second part\n"));
          controller.close();
        },
      });
      await writeBody(stream, res);
    });
    for (const encoding of ["identity", "gzip"]) {
      const response = await new Promise<http.IncomingMessage>((resolve) => http.get(url, { headers: { "accept-encoding": encoding } }, resolve));
      const decoded = encoding === "gzip" ? response.pipe(createGunzip()) : response;
      const iterator = decoded[Symbol.asyncIterator]();
      // The first part arrives while the second is not produced yet (it waits for this read).
      const first = await iterator.next();
      expect(String(first.value)).toBe("first part\n");
      sendRest();
      let remainder = "";
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) remainder += String(next.value);
      expect(remainder).toBe("second part\n");
    }
  });
});
