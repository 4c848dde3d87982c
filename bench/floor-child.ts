/*
 * The floor: a bare node:http server that renders the same React tree from the same data with
 * the app's own entry.server (renderToPipeableStream of <NonceContext><RemixServer/></...>), and
 * does nothing else. How it gets there:
 *
 *   1. Once, at start: the benchmark sends the loader data it loaded up front with the routes'
 *      own loaders (the same model functions, the same database). Remix's request handler runs
 *      one request over a copy of the server build whose loaders return that data, and the entry
 *      context it hands to entry.server (manifest, route modules, router state with the data) is
 *      kept.
 *   2. Per request: a fresh copy of that context, the data encoded for hydration as Remix encodes
 *      it (turbo-stream), and the app's entry.server render, streamed to the socket.
 *
 * So the bytes are the page's bytes (checked at start), and the work left out is exactly what a
 * page costs beyond rendering: Express and its middleware, the session, the database, the
 * loaders, Remix's routing and request plumbing.
 *
 * With FLOOR_DATA=on (and the database's DATABASE_URL), each request also does the page's data
 * work before rendering, as our server does it: the session lookup and the routes' own loaders,
 * with their SQL, through the same pool. Their result is dropped (the captured data is rendered,
 * so the bytes stay the page's). Not the floor: a second reference that leaves out only
 * Express and Remix's request plumbing, to tell the framework's share from the database's.
 */
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type EntryContext, type ServerBuild } from "@remix-run/node";
import { encodeViaTurboStreamOnRead } from "@remix-run/server-runtime/dist/single-fetch.js";
import type { ServerMode } from "@remix-run/server-runtime/dist/mode.js";
import { createLucia } from "~/infra/sessions.server";
import { closeDatabase, getDatabase } from "~/infra/db.server";
import { reportChildError, serveParent } from "./children";
import { loadPageData, type PageKey } from "./page-data";

export interface FloorInit {
  /** The page's path, e.g. /p/<id>. */
  path: string;
  /** Headers of the request the data was loaded for (cookies), for the one Remix request at start. */
  headers: Record<string, string>;
  /** routeId → what its loader returned. */
  loaderData: Record<string, unknown>;
  page: PageKey;
  planId: string;
}

const NONCE = "YmVuY2htYXJrLWZsb29yLW5vbmNl";
const port = Number(process.env.BENCH_PORT);
const origin = `http://127.0.0.1:${port}`;

async function start(init: FloorInit) {
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const entry = build.entry.module;
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => [
      id,
      id in init.loaderData ? { ...route, module: { ...route.module, loader: () => init.loaderData[id] } } : route,
    ]),
  ) as ServerBuild["routes"];

  let captured: { status: number; headers: [string, string][]; context: EntryContext } | undefined;
  const capturing: ServerBuild = {
    ...build,
    routes,
    entry: {
      module: {
        ...entry,
        default: (request: Request, status: number, headers: Headers, context: EntryContext, loadContext: AppLoadContext) => {
          captured = { status, headers: [...headers], context };
          return entry.default(request, status, headers, context, loadContext);
        },
      },
    },
  };
  const loadContext = { cspNonce: NONCE } as AppLoadContext;
  const reference = await (await createRequestHandler(capturing, "production")(new Request(origin + init.path, { headers: init.headers }), loadContext)).text();
  if (!captured) throw new Error(`The floor's first render did not reach entry.server: ${reference.slice(0, 300)}`);
  const base = captured;
  const sc = base.context.staticHandlerContext;
  const state = { loaderData: sc.loaderData, actionData: sc.actionData, errors: null };

  async function render(url: string, userAgent: string) {
    const context: EntryContext = {
      ...base.context,
      staticHandlerContext: { ...sc },
      serverHandoffStream: encodeViaTurboStreamOnRead(state, new AbortController().signal, entry.streamTimeout, "production" as ServerMode),
      renderMeta: {},
    };
    const request = new Request(origin + url, { headers: { "user-agent": userAgent } });
    return (await entry.default(request, base.status, new Headers(base.headers), context, loadContext)) as Response;
  }

  // The floor's bytes must be the page's bytes.
  const again = await (await render(init.path, "")).text();
  if (again !== reference) throw new Error(`The floor renders ${again.length} bytes where Remix rendered ${reference.length}.`);

  // The data work per request (FLOOR_DATA=on): the page's session lookup and loaders, result
  // dropped. The bare floor keeps its plain render, without even an extra promise.
  let respond = (req: http.IncomingMessage) => render(req.url ?? "/", req.headers["user-agent"] ?? "");
  if (process.env.FLOOR_DATA === "on") {
    const database = await getDatabase();
    const lucia = createLucia(database.db, { secureCookies: false });
    const renderOnly = respond;
    respond = (req) =>
      loadPageData(build, database.db, database.kind, lucia, init.page, init.planId, req.headers.cookie ?? "", origin).then(() => renderOnly(req));
  }

  const server = http.createServer((req, res) => {
    respond(req)
      .then(async (response) => {
        res.statusCode = response.status;
        for (const [name, value] of response.headers) res.setHeader(name, value);
        await writeReadableStreamToWritable(response.body!, res);
      })
      .catch((error: unknown) => {
        console.error(error);
        res.statusCode = 500;
        res.end();
      });
  });
  server.on("error", reportChildError);
  server.listen(port, "127.0.0.1", () => process.send!({ type: "floor-ready", bytes: Buffer.byteLength(reference) }));
  serveParent(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    if (process.env.FLOOR_DATA === "on") await closeDatabase();
  });
}

process.once("message", (m: { type: string; init: FloorInit }) => {
  if (m.type === "init") start(m.init).catch(reportChildError);
});
process.send!({ type: "want-init" });
