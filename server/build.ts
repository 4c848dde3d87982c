/*
 * Compiles the server entry points to plain JavaScript in build/server/, so production runs on
 * `node` alone: no TypeScript loader in the process (tsx's off-thread loader costs memory and
 * start-up time; docs/benchmarks.md, fix 8). Packages stay external (node_modules); our own
 * modules are bundled.
 * `npm start` runs this after `remix build`. The benchmark's own server processes are built by the
 * benchmark (bench/build.ts), not here: they are no part of the product.
 */
import path from "node:path";
import { build } from "esbuild";

export const SERVER_ENTRIES = { serve: "server/serve.ts" } as const;

export const SERVER_OUTDIR = path.resolve("build/server");

/** esbuild's options for a server-side process: our modules bundled, packages left to node_modules. */
export function nodeProcessBuild(entryPoints: Record<string, string>, outdir: string) {
  return {
    entryPoints,
    outdir,
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
  } satisfies Parameters<typeof build>[0];
}

export async function buildServer(): Promise<void> {
  await build(nodeProcessBuild(SERVER_ENTRIES, SERVER_OUTDIR));
}

if (import.meta.url === `file://${process.argv[1]}`) await buildServer();
