/*
 * postinstall: route matching without recompiling the route table (docs/decisions/008).
 *
 * Every route match, four per page request on the server (Remix's handler, its static handler,
 * the render's router and its route discovery), flattens and ranks the whole route tree and
 * compiles a RegExp for each route pattern it tries: ~175 µs a call for our 38 routes. Under load
 * that was ~29 % of everything our server allocated. Both results depend only on the routes:
 * - `compilePath` keeps each matcher it built, keyed by the pattern and its two flags (route
 *   patterns, never request paths; the RegExp has no global or sticky state to share);
 * - `matchRoutes` keeps the ranked branches of each routes array it was given (a WeakMap, so
 *   they go with the array), computed again if routes were added to the tree since (the client
 *   router patches discovered routes in).
 *
 * Plain Node, no dependencies: it runs on `npm ci`. If the router's code is not where this expects
 * it (a new version), it says so and leaves the file alone: the app works the same, only slower,
 * and tests/integration/route-matching.test.ts fails until this is looked at.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PATCH_MARKER = "/* plan-together: route matching memo */";
const COMPILE = "function compilePath(path, caseSensitive, end) {";
const RANK = `  let branches = flattenRoutes(routes);
  rankRouteBranches(branches);`;
const CACHE_LIMIT = 2000;

const compileMemo = `${PATCH_MARKER}
const compiledPaths = new Map();
function compilePath(path, caseSensitive, end) {
  // pattern → its four compilations (case-sensitive or not, to the end or not). The pattern is the
  // route's own string, whose hash V8 keeps: no key is built per call.
  let variants = compiledPaths.get(path);
  if (variants === undefined) {
    // Patterns come from route definitions: the bound only guards against a caller that builds
    // them from input.
    if (compiledPaths.size >= ${CACHE_LIMIT}) compiledPaths.clear();
    variants = [undefined, undefined, undefined, undefined];
    compiledPaths.set(path, variants);
  }
  const slot = (caseSensitive === true ? 2 : 0) + (end === false ? 0 : 1);
  let compiled = variants[slot];
  if (compiled === undefined) {
    compiled = compilePathUncached(path, caseSensitive, end);
    variants[slot] = compiled;
  }
  return compiled;
}
function compilePathUncached(path, caseSensitive, end) {`;

const rankMemo = `  let branches = rankedBranchesOf(routes);`;

const rankHelpers = `${PATCH_MARKER}
const rankedBranches = new WeakMap();
function countRoutes(routes) {
  let count = routes.length;
  for (const route of routes) if (route.children) count += countRoutes(route.children);
  return count;
}
function rankedBranchesOf(routes) {
  const size = countRoutes(routes);
  let cached = rankedBranches.get(routes);
  if (cached === undefined || cached.size !== size) {
    const branches = flattenRoutes(routes);
    rankRouteBranches(branches);
    cached = { size, branches };
    rankedBranches.set(routes, cached);
  }
  return cached.branches;
}
function flattenRoutes(routes, branches, parentsMeta, parentPath) {`;

const once = (source, text) => source.split(text).length === 2;

/** The patched text (the same text if already patched), or null when the code is not as expected. */
function patchRouterSource(source) {
  if (source.includes(PATCH_MARKER)) return source;
  const FLATTEN = "function flattenRoutes(routes, branches, parentsMeta, parentPath) {";
  if (!once(source, COMPILE) || !once(source, RANK) || !once(source, FLATTEN)) return null;
  return source.replace(COMPILE, compileMemo).replace(RANK, rankMemo).replace(FLATTEN, rankHelpers);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "node_modules", "@remix-run", "router", "dist");
// Not installed (yet): nothing to do.
for (const file of ["router.cjs.js", "router.js"]) {
  const target = path.join(dist, file);
  if (!fs.existsSync(target)) continue;
  const source = fs.readFileSync(target, "utf8");
  const patched = patchRouterSource(source);
  if (patched === null) {
    console.warn(`patch-router: ${path.relative(root, target)} is not the code this patch knows; route matching stays uncached.`);
  } else if (patched !== source) {
    fs.writeFileSync(target, patched);
  }
}
