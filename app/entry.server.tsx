import fs from "node:fs";
import { PassThrough } from "node:stream";
import path from "node:path";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/components/nonce";
import { PAGE_ENHANCEMENTS } from "~/components/page-enhancements.server";
import { PageEnhancementsContext } from "~/components/page-scripts";
import { InlineStylesheetContext, stylesheetHref } from "~/components/stylesheet";
import { redactSecretPaths } from "~/domain/secret-addresses";

/*
 * Remix's default Node entry, plus the CSP nonce: the HTTP layer puts a fresh nonce on each
 * request's context and in the Content-Security-Policy header; the scripts Remix writes carry it.
 */
const ABORT_DELAY = 5_000;

/**
 * What Remix logs when a loader, an action or rendering fails. Its default also logged every 404
 * and 405 for an address no route serves, quoting the address: `/s/<token>/x` put a buyer's token
 * in the server's output. Those are the client's mistakes, not ours: not logged. Real errors are,
 * with any token in an address redacted.
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  const inner = isRouteErrorResponse(error) && (error as { error?: unknown }).error ? (error as { error?: unknown }).error : error;
  const text = inner instanceof Error ? `${inner.message}\n${inner.stack ?? ""}` : String(inner);
  console.error(redactSecretPaths(text));
}

let stylesheetText: string | null | undefined;
/** The built stylesheet's text, read once from public/ (null if it cannot be read: the page links it instead). */
function builtStylesheet(): string | null {
  if (stylesheetText === undefined) {
    try {
      stylesheetText = fs.readFileSync(path.join(path.resolve("public"), stylesheetHref), "utf8");
    } catch {
      stylesheetText = null;
    }
  }
  return stylesheetText;
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // An error inside a Suspense boundary before the shell is ready does not stop the shell: React
    // renders its fallback and the page goes out as a 500. Nothing else reports that error, so it is
    // logged with the shell (an error that stops the shell reaches Remix's handleError instead).
    let errorBeforeShell: unknown;
    const abortTimer: { id?: ReturnType<typeof setTimeout> } = {};
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        {/* What a page without React's runtime carries inline (ADR 041, ADR 047); the page chooses. */}
        <InlineStylesheetContext.Provider value={builtStylesheet()}>
          <PageEnhancementsContext.Provider value={PAGE_ENHANCEMENTS}>
            <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
          </PageEnhancementsContext.Provider>
        </InlineStylesheetContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          if (errorBeforeShell !== undefined) console.error(errorBeforeShell);
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
          body.once("close", () => clearTimeout(abortTimer.id));
        },
        onShellError(error: unknown) {
          clearTimeout(abortTimer.id);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are already streaming; log them once, without request data.
          if (shellRendered) console.error(error);
          else errorBeforeShell ??= error;
        },
      },
    );
    // Abandons a render still streaming after ABORT_DELAY. Cleared once the page is sent: left
    // pending, each timer kept its finished render and output buffers alive for ABORT_DELAY
    // (docs/benchmarks.md, fix 4). A client that leaves early closes the stream, and React aborts
    // the render itself.
    abortTimer.id = setTimeout(abort, ABORT_DELAY);
  });
}
