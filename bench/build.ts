/*
 * The benchmark's server processes (our server, the floor, and the re-projection's process), compiled as production compiles
 * its server (server/build.ts) so that they run on plain `node`, into build/bench/: out of
 * build/server, which is what production ships. Run by the benchmark itself before it measures.
 */
import { build } from "esbuild";
import { nodeProcessBuild } from "../server/build";
import { BENCH_OUTDIR } from "./children";

export const BENCH_CHILDREN = {
  "server-child": "bench/server-child.ts",
  "floor-child": "bench/floor-child.ts",
  "refresh-child": "bench/refresh-child.ts",
} as const;

export async function buildBenchChildren(): Promise<void> {
  await build(nodeProcessBuild(BENCH_CHILDREN, BENCH_OUTDIR));
}
