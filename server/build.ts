/*
 * Compiles the server entry points to plain JavaScript in build/server/, so production runs on
 * `node` alone: no TypeScript loader in the process (tsx's off-thread loader costs memory and
 * start-up time; docs/benchmarks.md, fix 8). Packages stay external (node_modules); our own
 * modules are bundled.
 * `npm start` runs this after `remix build`. The benchmark's own server processes are built by the
 * benchmark (bench/build.ts), not here: they are no part of the product.
 */
import path from "node:path";
import { build, type Plugin } from "esbuild";
import { ASSET_ARCHIVE_DIR, archiveAssets } from "./asset-archive";
import { precompressAssets } from "./static-assets";

export const SERVER_ENTRIES = { serve: "server/serve.ts" } as const;

export const SERVER_OUTDIR = path.resolve("build/server");

/**
 * Packages stay in node_modules; our modules are bundled, including `~/…` (app/), which esbuild's
 * own `packages: "external"` would take for a package named `~`.
 */
const packagesExternal: Plugin = {
  name: "packages-external",
  setup(b) {
    b.onResolve({ filter: /^[^./~]/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** esbuild's options for a server-side process: our modules bundled, packages left to node_modules. */
export function nodeProcessBuild(entryPoints: Record<string, string>, outdir: string) {
  return {
    entryPoints,
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    plugins: [packagesExternal],
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

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildServer();
  // After `remix build` (npm run build runs it first): each script and the stylesheet compressed
  // once, at the highest levels (ADR 041), then this bundle's assets kept past the next build.
  const compressed = precompressAssets(path.resolve("public/build"));
  console.log(
    `Assets compressed: ${compressed.files} files, ${Math.round(compressed.bytes / 1024)} KiB → ${Math.round(compressed.brotliBytes / 1024)} KiB with brotli.`,
  );
  const archived = archiveAssets(path.resolve("public/build"), ASSET_ARCHIVE_DIR);
  console.log(`Assets of build ${archived.id} archived; ${archived.builds} build(s) servable under /build.`);
}
