import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { matchPath, matchRoutes } from "@remix-run/react";
import { describe, expect, it } from "vitest";

/*
 * `npm ci` patches @remix-run/router so that route matching stops recompiling the route table on
 * every call (patch-package applies patches/@remix-run+router+1.23.3.patch, ADR 008). What would
 * break if the patch went wrong: a page answered by the wrong route, or a route discovered later in
 * the browser never matched.
 */
const require = createRequire(import.meta.url);
type RouteObject = Parameters<typeof matchRoutes>[0][number];

describe("route matching, as patched at install", () => {
  it("is patched in both of the router's builds (the server's and the browser's)", () => {
    const dist = path.dirname(require.resolve("@remix-run/router"));
    for (const file of ["router.cjs.js", "router.js"]) {
      expect(fs.readFileSync(path.join(dist, file), "utf8"), file).toContain("plan-together: route matching memo");
    }
  });

  it("matches the same routes on every call, with each call's own params", () => {
    const routes: RouteObject[] = [
      {
        id: "root",
        path: "/",
        children: [
          { id: "buyer", path: "s/:token" },
          { id: "plan", path: "plans/:planId" },
          { id: "plans", path: "plans" },
          { id: "home", index: true },
        ],
      },
    ];
    const ids = (pathname: string) => matchRoutes(routes, pathname)?.map((m) => m.route.id) ?? null;
    for (let i = 0; i < 3; i++) {
      expect(ids("/s/abc")).toEqual(["root", "buyer"]);
      expect(ids("/plans")).toEqual(["root", "plans"]);
      expect(ids("/")).toEqual(["root", "home"]);
      expect(ids("/nowhere")).toBeNull();
    }
    expect(matchRoutes(routes, "/plans/1")?.[1].params).toEqual({ planId: "1" });
    expect(matchRoutes(routes, "/plans/2")?.[1].params).toEqual({ planId: "2" });
  });

  it("sees routes added to a tree it has already matched (the browser discovers routes as it goes)", () => {
    const children: RouteObject[] = [{ id: "a", path: "a" }];
    const routes: RouteObject[] = [{ id: "root", path: "/", children }];
    expect(matchRoutes(routes, "/b")).toBeNull();
    children.push({ id: "b", path: "b" });
    expect(matchRoutes(routes, "/b")?.map((m) => m.route.id)).toEqual(["root", "b"]);
  });

  it("keeps a pattern's case-sensitive and prefix compilations apart", () => {
    expect(matchPath({ path: "/Plans", caseSensitive: true }, "/plans")).toBeNull();
    expect(matchPath({ path: "/Plans" }, "/plans")?.pathname).toBe("/plans");
    expect(matchPath({ path: "/Plans", end: true }, "/plans/x")).toBeNull();
    expect(matchPath({ path: "/Plans", end: false }, "/plans/x")?.pathnameBase).toBe("/plans");
    expect(matchPath({ path: "/Plans", caseSensitive: true, end: false }, "/Plans/x")?.pathnameBase).toBe("/Plans");
  });
});
