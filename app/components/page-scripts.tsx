import { Scripts, ScrollRestoration, useMatches } from "@remix-run/react";
import { createContext, useContext } from "react";

/*
 * A buyer's pages (ADR 047) and the manager's forecast reports (ADR 050) go out as HTML that works
 * alone, without React's runtime: every form is a plain GET or a POST with post/redirect/get, and
 * a first load is the document and nothing else. A route says so with
 * `export const handle: PageHandle = { hydrate: false }`. Such a page carries one small inline
 * script instead (page-enhancements.server.ts): focus on what changed, one post at a time, copy
 * buttons. The rep's pages hydrate as before.
 */

export interface PageHandle {
  hydrate?: false;
}

/** The enhancement script's source, set by entry.server (null in the browser, which never needs it). */
export const PageEnhancementsContext = createContext<string | null>(null);

/**
 * False on a page served without React's runtime (a route matched with `hydrate: false`). In the
 * browser it is always true: React runs there only on a hydrated page, and a route that is sent
 * as HTML alone is still drawn by React when a hydrated page navigates to it (the rep's header
 * links to the forecast), with Remix's scripts kept in place.
 */
export function useHydrates(): boolean {
  const matches = useMatches();
  if (typeof document !== "undefined") return true;
  return !matches.some((match) => (match.handle as PageHandle | undefined)?.hydrate === false);
}

/** The end of <body>: Remix's scripts, or on a page that does not hydrate, the enhancement script alone. */
export function PageScripts({ nonce }: { nonce?: string }) {
  const enhancements = useContext(PageEnhancementsContext);
  if (useHydrates()) {
    return (
      <>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </>
    );
  }
  return enhancements ? <script nonce={nonce} dangerouslySetInnerHTML={{ __html: enhancements }} /> : null;
}
