import { redirect, type AppLoadContext } from "@remix-run/node";
import type { SessionUser } from "./auth.server";
import type { Viewer } from "../domain/permissions";

/** Only same-site relative paths: never bounce a user to another site after login. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/plans"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
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
