import type { ServerBuild } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { DB } from "../db/types";
import { authenticate, type AppLucia } from "~/infra/sessions.server";
import type { AppContext } from "../server/context";

export type PageKey = "buyer" | "rep";

/** The routes whose loaders make each page's data (the layout's too, for the rep's workspace). */
export const PAGE_ROUTES: Record<PageKey, string[]> = {
  buyer: ["routes/p.$planId"],
  rep: ["routes/_app", "routes/_app.plans.$planId._index"],
};

export function pagePath(page: PageKey, planId: string) {
  return page === "buyer" ? `/p/${planId}` : `/plans/${planId}`;
}

/**
 * A page's data work, as our server does it for one GET: the session lookup of the HTTP layer,
 * then each route's own loader with the same kind of context. Returns routeId → loader result.
 */
export async function loadPageData(
  build: ServerBuild,
  db: Kysely<DB>,
  kind: "postgres" | "pglite",
  lucia: AppLucia,
  page: PageKey,
  planId: string,
  cookie: string,
  origin = "http://127.0.0.1",
): Promise<Record<string, unknown>> {
  const { user } = await authenticate(lucia, cookie);
  const context: AppContext = {
    db,
    databaseKind: kind,
    lucia,
    user,
    requestId: "benchmark-floor",
    clientIp: "127.0.0.1",
    now: new Date(),
    secureCookies: false,
    cspNonce: "",
    devMailbox: false,
  };
  const url = `${origin}${pagePath(page, planId)}`;
  const loaderData: Record<string, unknown> = {};
  for (const id of PAGE_ROUTES[page]) {
    const request = new Request(url, { headers: { cookie } });
    loaderData[id] = await build.routes[id].module.loader!({ request, params: { planId }, context });
  }
  return loaderData;
}
