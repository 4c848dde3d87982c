import type { ActionFunctionArgs, AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import type { ApiTokenScope } from "../../db/types";
import { bearerToken, malformedTextPath, problem, tokenScopeGrants, type Problem } from "~/domain/api";
import { PlanInputError } from "~/domain/plan-validation";
import { ScheduleError } from "~/domain/schedule";
import { authenticateApiToken, takeRateLimit, type ApiPrincipal } from "~/models/api-tokens.server";
import { PlanNotFound, PlanVersionConflict, type PlanCommandContext } from "~/models/plan-command.server";
import { apiActor, fieldErrorsOf } from "~/models/api-commands.server";
import { getApiPlan } from "~/models/api.server";
import { getOrganisation } from "~/models/organisation.server";
import { todayIn } from "~/domain/dates";
import { isUuid } from "~/domain/ids";

/*
 * The plumbing of the /api/v1 resource routes: bearer-token authentication (no cookies, hence the
 * CSRF exemption in http.server.ts), scopes, the per-token rate limit, JSON bodies, and errors as
 * application/problem+json. Anything a route throws that is not a Response becomes a problem
 * document (4xx for what the client can fix) instead of an HTML error page.
 */

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function apiJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers: { ...JSON_HEADERS, ...init.headers } });
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "Content-Type": "application/problem+json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

/** The token behind the request, allowed `needs` and within its rate limit; else throws the problem. */
export async function requireApiToken(context: AppLoadContext, request: Request, needs: ApiTokenScope): Promise<ApiPrincipal> {
  const raw = bearerToken(request.headers.get("authorization"));
  const challenge = { "WWW-Authenticate": 'Bearer realm="plan-together"' };
  if (!raw)
    throw problemResponse(
      problem(401, "unauthorized", "Send an API token as `Authorization: Bearer <token>`. An administrator creates tokens under Settings → API."),
      challenge,
    );
  const principal = await authenticateApiToken(context.db, raw, context.now);
  if (!principal)
    throw problemResponse(problem(401, "unauthorized", "This API token is unknown or was revoked."), {
      ...challenge,
      "WWW-Authenticate": 'Bearer realm="plan-together", error="invalid_token"',
    });
  const wait = await takeRateLimit(context.db, principal, context.now);
  if (wait > 0) {
    throw problemResponse(problem(429, "rate-limited", `This token may make ${principal.rateLimitPerMinute} requests a minute. Try again in ${wait} s.`), {
      "Retry-After": String(wait),
    });
  }
  if (!tokenScopeGrants(principal.scope, needs)) {
    throw problemResponse(problem(403, "insufficient-scope", "This token can only read. Create a read-and-write token to change plans."));
  }
  return principal;
}

/** The request's JSON object body, or a 415/400 problem. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type))
    throw problemResponse(problem(415, "unsupported-media-type", "Send the body as JSON with `Content-Type: application/json`."));
  const text = await readTextUpTo(request, MAX_JSON_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw problemResponse(problem(400, "malformed-json", "The body is not valid JSON."));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw problemResponse(problem(400, "malformed-json", "The body must be a JSON object."));
  // JSON may spell half a surrogate pair (`"\ud800"`); no database column can store it, and it is
  // no character anyone typed. Refused here, for every field of every endpoint.
  const broken = malformedTextPath(value);
  if (broken !== null)
    throw problemResponse(
      problem(400, "malformed-text", `The text in \`${broken || "body"}\` is not valid Unicode (it holds half of a surrogate pair).`, {
        [broken || "body"]: ["Not valid Unicode text."],
      }),
    );
  return value as Record<string, unknown>;
}

/** A JSON body may hold this much; counted while it streams, so a bigger one is never held whole. */
export const MAX_JSON_BYTES = 100 * 1024;

/** The body as UTF-8 text, or a 413 problem as soon as more than `maxBytes` have arrived. */
async function readTextUpTo(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const tooLarge = () => problemResponse(problem(413, "body-too-large", `The body is larger than ${maxBytes / 1024} kB.`));
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) {
    await request.body.cancel();
    throw tooLarge();
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function methodNotAllowed(allowed: string[]): Response {
  return problemResponse(problem(405, "method-not-allowed", `Use ${allowed.join(" or ")} here.`), { Allow: allowed.join(", ") });
}

/** Runs a route's work and turns the write path's errors into problem documents. */
export async function apiHandler(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Response) return error;
    if (error instanceof PlanInputError) return problemResponse(problem(422, "invalid-input", error.message, error.fieldErrors as Record<string, string[]>));
    if (error instanceof PlanNotFound) return problemResponse(problem(404, "not-found", "No plan with this id in your organisation."));
    if (error instanceof PlanVersionConflict)
      return problemResponse(
        problem(409, "version-conflict", `The plan changed since version ${error.expected} (it is now ${error.actual}). Read it again and retry.`),
      );
    if (error instanceof ScheduleError) return problemResponse(problem(422, "unschedulable", error.message));
    throw error;
  }
}

/** The write path's context for an API change of one plan (today in the organisation's time zone), or null for an id that is no plan's. */
export async function apiCommandContext(context: AppLoadContext, token: ApiPrincipal, planId: string): Promise<PlanCommandContext | null> {
  if (!isUuid(planId)) return null;
  const org = await getOrganisation(context.db, token.orgId);
  return { orgId: token.orgId, planId, actor: apiActor(token.name), today: todayIn(org?.time_zone ?? "UTC", context.now), requestId: context.requestId };
}

/**
 * A POST that runs one write-path command on a plan and answers with the plan after it (close,
 * reopen): a read-write token, a body `schema` accepts (an absent body counts as `{}` when
 * `bodyOptional`), 404 for a plan that is not the organisation's.
 */
export async function apiPlanCommand<S extends z.ZodTypeAny>(
  { context, request, params }: ActionFunctionArgs,
  schema: S,
  run: (ctx: PlanCommandContext, input: z.infer<S>) => Promise<unknown>,
  options: { bodyOptional?: boolean } = {},
): Promise<Response> {
  return apiHandler(async () => {
    const token = await requireApiToken(context, request, "read_write");
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const planId = params.planId ?? "";
    const hasBody = request.headers.has("content-type") || Number(request.headers.get("content-length") ?? 0) > 0;
    const parsed = schema.safeParse(hasBody || !options.bodyOptional ? await readJsonObject(request) : {});
    if (!parsed.success) return problemResponse(problem(422, "invalid-input", "Some fields are missing or invalid.", fieldErrorsOf(parsed.error)));
    const ctx = await apiCommandContext(context, token, planId);
    if (!ctx) return problemResponse(problem(404, "not-found", "No plan with this id in your organisation."));
    await run(ctx, parsed.data);
    return apiJson(await getApiPlan(context.db, token.orgId, planId, context.now));
  });
}
