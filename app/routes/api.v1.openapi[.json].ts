import { OPENAPI_DOCUMENT } from "~/domain/openapi";

/** GET /api/v1/openapi.json : the API's description (public: it holds no data). */
export function loader() {
  return new Response(JSON.stringify(OPENAPI_DOCUMENT, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
