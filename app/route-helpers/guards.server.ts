import { redirect, type AppLoadContext } from "@remix-run/node";
import type { SessionUser } from "~/infra/sessions.server";
import type { Viewer } from "~/domain/permissions";

// Stands in for the app's origin: only whether a target stays on it matters, not its name.
const HOME = "https://plan-together.invalid";

/**
 * A `redirectTo` reduced to a path on this site, or `fallback`. It is read the way a browser will
 * read the Location header (URL parsing drops tabs and newlines, turns `\` into `/`), so `/\t/evil`
 * cannot become `//evil`; the answer is the parsed path, never the raw text.
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/plans"): string {
  if (typeof to !== "string" || !to.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(to, HOME);
  } catch {
    return fallback;
  }
  if (url.origin !== HOME) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil` parses to the path `//evil`, which a browser would read as another host.
  return path.startsWith("//") ? fallback : path;
}

export function requireUser(context: AppLoadContext, request: Request): SessionUser {
  if (context.user) return context.user;
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

export function requireAdmin(context: AppLoadContext, request: Request): SessionUser {
  const user = requireUser(context, request);
  if (user.role !== "admin") throw new Response("Only an administrator can do this.", { status: 403 });
  return user;
}

export function viewerOf(user: SessionUser): Viewer {
  return { id: user.id, orgId: user.orgId, role: user.role };
}

export function notFound(message = "We couldn't find that page."): never {
  throw new Response(message, { status: 404 });
}
