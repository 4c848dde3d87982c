/*
 * Compiles the server entry points to plain JavaScript in build/server/, so production runs on
 * `node` alone: no TypeScript loader in the process (tsx's off-thread loader costs memory and
 * start-up time; docs/benchmarks.md). Packages stay external (node_modules); our own modules are bundled.
 * `npm start` runs this after `remix build`; the benchmark does too and runs its servers from here.
 */
import path from "node:path";
import { build } from "esbuild";

export const SERVER_ENTRIES = {
  serve: "scripts/serve.ts",
  "bench-server-child": "scripts/bench/server-child.ts",
  "bench-floor-child": "scripts/bench/floor-child.ts",
} as const;

export const SERVER_OUTDIR = path.resolve("build/server");

export async function buildServer(): Promise<void> {
  await build({
    entryPoints: SERVER_ENTRIES,
    outdir: SERVER_OUTDIR,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    jsx: "automatic",
    sourcemap: "linked",
    logLevel: "warning",
    // Bundled CommonJS helpers need `require` inside an ES module.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildServer();
