import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precompressAssets } from "../../server/static-assets";
import { startStaticFileServer } from "../support/http";

describe("build files compressed at build time", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pt-static-"));
  const buildDir = path.join(root, "public", "build");
  // Repetitive, as scripts are: compression has something to do.
  const script = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, label: "row ${i}" }`).join(", ")}];`;
  let origin: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    fs.mkdirSync(path.join(buildDir, "_shared"), { recursive: true });
    fs.writeFileSync(path.join(buildDir, "_shared", "chunk-A.js"), script);
    fs.writeFileSync(path.join(buildDir, "_shared", "chunk-PLAIN.js"), script);
    fs.writeFileSync(path.join(root, "public", "secret.js"), "no");
    expect(precompressAssets(path.join(buildDir, "_shared")).files).toBe(2);
    fs.rmSync(path.join(buildDir, "_shared", "chunk-PLAIN.js.br"));
    fs.rmSync(path.join(buildDir, "_shared", "chunk-PLAIN.js.gz"));
    ({ origin, close } = await startStaticFileServer(path.join(root, "public")));
  });
  afterAll(async () => {
    await close?.();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A raw response (node's fetch would decode the body and hide the encoding's size). */
  async function get(name: string, acceptEncoding: string) {
    const { request } = await import("node:http");
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      request(`${origin}${name}`, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on("error", reject)
        .end();
    });
  }

  it("sends the brotli file to a browser that takes it, the gzip one otherwise, and the file itself to one that takes neither", async () => {
    const br = await get("/build/_shared/chunk-A.js", "gzip, deflate, br, zstd");
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(script);
    // The file compressed at build time (the compression middleware's brotli, at quality 4, differs).
    expect(br.body.equals(fs.readFileSync(path.join(buildDir, "_shared", "chunk-A.js.br")))).toBe(true);

    const gz = await get("/build/_shared/chunk-A.js", "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.body.equals(fs.readFileSync(path.join(buildDir, "_shared", "chunk-A.js.gz")))).toBe(true);

    const plain = await get("/build/_shared/chunk-A.js", "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it("compresses per request a file built without siblings, as before", async () => {
    const answer = await get("/build/_shared/chunk-PLAIN.js", "gzip");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(answer.body).toString()).toBe(script);
  });

  it("sends a build file without a page's headers, and never one outside the build directory", async () => {
    const answer = await get("/build/_shared/chunk-A.js", "br");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    for (const header of ["content-security-policy", "x-frame-options", "referrer-policy", "etag", "last-modified"])
      expect(answer.headers[header], header).toBeUndefined();
    expect((await get("/build/..%2fsecret.js", "br")).status).toBe(404);
    expect((await get("/build/_shared/chunk-NONE.js", "br")).status).toBe(404);
  });
});
