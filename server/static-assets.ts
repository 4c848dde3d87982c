/*
 * The build's hashed scripts and stylesheet, as a phone on a slow network receives them (issue 23
 * item 1, ADR 041). Each is compressed once, when it is built, at the highest levels (brotli 11,
 * gzip 9): smaller than what the compression middleware makes per request (its brotli runs at
 * quality 4, larger than its gzip), and no CPU spent compressing the same file on every first
 * load. A file without a compressed sibling (an earlier build's, the test's) is served as before.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { NextFunction, Request, Response } from "express";
import { acceptedEncodings } from "~/infra/negotiate.server";

/** What gets compressed siblings: text that a page loads. Images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|css|map|json|svg)$/;

const CONTENT_TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
  ".map": "application/json; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".svg": "image/svg+xml",
};

const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/** Writes `<file>.br` and `<file>.gz` beside every compressible file under `dir` (a fresh `remix build` output). */
export function precompressAssets(dir: string): { files: number; bytes: number; brotliBytes: number } {
  const totals = { files: 0, bytes: 0, brotliBytes: 0 };
  if (!fs.existsSync(dir)) return totals;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const body = fs.readFileSync(file);
    const brotli = zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
    fs.writeFileSync(`${file}.br`, brotli);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }));
    totals.files++;
    totals.bytes += body.length;
    totals.brotliBytes += brotli.length;
  }
  return totals;
}

/**
 * Serves `/build/<name>` from the first of `dirs` that has it, compressed beforehand when the
 * browser accepts it, cached for a year as immutable; otherwise hands the request on (to the
 * uncompressed file, then the 404). No ETag or Last-Modified: an immutable file is never revalidated.
 */
export function precompressedAssets(dirs: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !COMPRESSIBLE.test(req.path)) return next();
    let name: string;
    try {
      name = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const accepted = acceptedEncodings(
      req.headers["accept-encoding"],
      ENCODINGS.map((e) => e.name),
    );
    const encodings = accepted.map((name) => ENCODINGS.find((e) => e.name === name)!);
    for (const dir of dirs) {
      const file = path.join(dir, name);
      // path.join resolves any "..": the file must still be inside the directory.
      if (!file.startsWith(dir + path.sep)) return next();
      for (const encoding of encodings) {
        const compressed = `${file}${encoding.suffix}`;
        if (!fs.existsSync(compressed)) continue;
        res.setHeader("Content-Type", CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream");
        res.setHeader("Content-Encoding", encoding.name);
        res.setHeader("Vary", "Accept-Encoding");
        res.sendFile(compressed, { maxAge: "1y", immutable: true, etag: false, lastModified: false, acceptRanges: false }, (error) => {
          if (error && !res.headersSent) next(error);
        });
        return;
      }
    }
    next();
  };
}
