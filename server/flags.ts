/*
 * The Node flags the production server runs with (docs/decisions/009). `npm start` and
 * `npm run serve` spell them out in package.json, the benchmark starts its server with them, and
 * server/flags.test.ts checks that the three agree.
 *
 * --max-semi-space-size=8: V8's young generation in two 8 MB halves instead of 16 MB. It keeps the
 * server's RSS under load lower for the same CPU per request within noise (page objects die young
 * either way); the figures are in docs/benchmarks.md (fix 15).
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=8"] as const;
