import type { LoaderFunctionArgs } from "@remix-run/node";
import { isUuid } from "~/domain/ids";
import { getLogo } from "~/models/branding.server";

/*
 * GET /logo/<organisation>/<sha256>: an organisation's logo, for its buyers' pages and the emails
 * they get (mail clients fetch it without cookies, so it needs no session: ADR 039). The hash in
 * the address is the file's, so the answer never changes and caches for a year; a replaced logo's
 * old address finds nothing. Only raster types that were sniffed on upload are ever stored; the HTTP layer adds nosniff to every answer.
 */
const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

export async function loader({ context, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? "";
  const hash = params.hash ?? "";
  const logo = isUuid(orgId) && /^[0-9a-f]{64}$/.test(hash) ? await getLogo(context.db, orgId, hash) : undefined;
  if (!logo) return new Response("No such logo.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  return new Response(new Uint8Array(logo.bytes), {
    headers: {
      "Content-Type": logo.type,
      "Content-Length": String(logo.bytes.byteLength),
      "Content-Disposition": `inline; filename="logo.${EXTENSIONS[logo.type] ?? "img"}"`,
      "Cache-Control": "public, max-age=31536000, immutable",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
