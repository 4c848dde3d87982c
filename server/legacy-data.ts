import type { NextFunction, Request, Response } from "express";

/*
 * `?_data=<route id>` is Remix's data protocol from before single fetch. This app uses single fetch
 * (`.data` addresses), so no page of ours ever asks for it, yet Remix still answers it, and crashes
 * with a 500 on every loader that returns null (/login, /signup for anyone signed out). Such
 * requests are refused in plain words before they reach Remix.
 */
export function refuseLegacyDataRequests(req: Request, res: Response, next: NextFunction) {
  // Read the query as Remix does (URLSearchParams), not through Express's nested parser.
  const query = req.originalUrl.indexOf("?");
  if (query < 0 || !new URLSearchParams(req.originalUrl.slice(query + 1)).has("_data")) return next();
  res.status(400).type("text/plain").send("Bad request: the portal does not answer `_data` requests. Open the page without `?_data=…`.");
}
