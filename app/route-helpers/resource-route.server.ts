import { data, unstable_parseMultipartFormData, type AppLoadContext } from "@remix-run/node";
import { isUuid } from "~/domain/ids";
import type { Translator } from "~/domain/i18n/translate";
import { PlanInputError } from "~/domain/plan-validation";
import { DEFAULT_UPLOAD_LIMITS, downloadHeaders } from "~/domain/resources";
import { PlanNotFound } from "~/models/plan-command.server";
import type { Editor } from "~/models/plan-commands.server";
import type { PageResources } from "~/models/resources.server";
import { addLink, findVersion, recordDownload, removeResource, setRequirement, uploadFile, UploadRefused, versionBytes } from "~/models/resources.server";
import { redirectWithFlash, takeFlash } from "~/route-helpers/flash.server";
import { formString } from "~/route-helpers/plan-route.server";

/*
 * What the rep's and the buyer's resource addresses share (ADR 035): the upload (a multipart body,
 * streamed into the database), links, removal, the milestone's requirement (the rep's) and the
 * download. The routes only find out who is asking and for which plan.
 */

/** What a resources page shows, from either plan page's statement (its flash read for that page). */
export function resourcesPageData(
  context: AppLoadContext,
  request: Request,
  path: string,
  page: { plan: { id: string; buyer_company: string; title: string }; milestones: Array<{ id: string; title: string }>; resources: PageResources },
) {
  const { flash, headers } = takeFlash(context, request, path);
  return {
    body: {
      plan: { id: page.plan.id, buyer_company: page.plan.buyer_company, title: page.plan.title },
      milestones: page.milestones.map((m) => ({ id: m.id, title: m.title })),
      resources: page.resources,
      now: context.now.toISOString(),
      flash,
    },
    headers,
  };
}

export interface ResourceFormValues {
  milestoneId: string;
  title: string;
  url: string;
  label: string;
}

export type ResourceActionFailure = {
  ok: false;
  formError: string;
  fieldErrors: Partial<Record<string, string[]>>;
  values: ResourceFormValues;
};

export interface ResourceTarget {
  editor: Editor;
  orgId: string;
  planId: string;
  /** The plan page (`/plans/<id>` or `/p/<id>`) a successful change returns to. */
  planPath: string;
  /** May set what a milestone asks for (the rep). */
  maySetRequirements: boolean;
  /** The reader's wording (buyer messages): the buyer's language on `/p/`, English for the rep. */
  t: Translator["t"];
}

function failure(status: number, formError: string, values: Partial<ResourceFormValues>, fieldErrors: ResourceActionFailure["fieldErrors"] = {}) {
  return data<ResourceActionFailure>(
    { ok: false, formError, fieldErrors, values: { milestoneId: "", title: "", url: "", label: "", ...values } },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}

/** Where the page goes back to: the milestone the change was on, else the resources section. */
function backTo(target: ResourceTarget, milestoneId: string | null, from: string) {
  const base = from === "resources" ? `${target.planPath}/resources` : target.planPath;
  const anchor = milestoneId && isUuid(milestoneId) ? `m-${milestoneId}` : "resources";
  return { to: `${base}#${anchor}`, flashTarget: milestoneId && isUuid(milestoneId) ? `resources:${milestoneId}` : "resources" };
}

function refusal(error: unknown, values: Partial<ResourceFormValues>) {
  if (error instanceof UploadRefused) return failure(413, error.message, values, { file: [error.message] });
  if (error instanceof PlanInputError)
    return failure(400, error.fieldErrors.form?.[0] ?? Object.values(error.fieldErrors)[0]?.[0] ?? error.message, values, error.fieldErrors);
  if (error instanceof PlanNotFound) throw new Response("This plan does not exist, or it is not shared with you.", { status: 404 });
  return null;
}

export async function resourceAction(context: AppLoadContext, request: Request, target: ResourceTarget) {
  const { editor, orgId, planId, t } = target;
  const contentType = request.headers.get("Content-Type") ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    const limits = context.uploadLimits ?? DEFAULT_UPLOAD_LIMITS;
    let fields: FormData | null = null;
    try {
      const { value } = await uploadFile(context.db, editor, orgId, planId, limits, async (handler) => {
        fields = await unstable_parseMultipartFormData(request, handler);
      });
      const { to, flashTarget } = backTo(target, value.milestoneId, formString(fields ?? new FormData(), "from"));
      const what =
        value.versionNo > 1
          ? t("resources.flash.versionUploaded", { number: value.versionNo, title: value.title })
          : t("resources.flash.uploaded", { title: value.title });
      return redirectWithFlash(context, to, { target: flashTarget, message: what });
    } catch (error) {
      const answer = refusal(error, {});
      if (answer) return answer;
      // A body that is not multipart after all, or one cut short: nothing was kept.
      if (error instanceof TypeError) return failure(400, t("resources.flash.notWhole"), {});
      throw error;
    }
  }

  const form = await request.formData();
  const intent = formString(form, "intent");
  const values = {
    milestoneId: formString(form, "milestoneId"),
    title: formString(form, "title"),
    url: formString(form, "url"),
    label: formString(form, "label"),
  };
  const milestoneId = values.milestoneId || null;
  const from = formString(form, "from");
  try {
    switch (intent) {
      case "add-link": {
        await addLink(context.db, editor, orgId, planId, { milestoneId, title: values.title, url: values.url });
        const { to, flashTarget } = backTo(target, milestoneId, from);
        return redirectWithFlash(context, to, { target: flashTarget, message: t("resources.flash.linkShared") });
      }
      case "remove": {
        await removeResource(context.db, editor, orgId, planId, formString(form, "resourceId"));
        const { to, flashTarget } = backTo(target, milestoneId, from);
        return redirectWithFlash(context, to, { target: flashTarget, message: t("resources.flash.removed") });
      }
      case "require": {
        if (!target.maySetRequirements) break;
        if (!milestoneId || !isUuid(milestoneId)) return failure(400, t("resources.flash.notOnPlan"), values);
        const label = await setRequirement(context.db, editor, orgId, planId, milestoneId, values.label);
        const { to, flashTarget } = backTo(target, milestoneId, from);
        return redirectWithFlash(context, to, {
          target: flashTarget,
          message: label.value ? t("resources.flash.requires", { label: label.value }) : t("resources.flash.requiresNothing"),
        });
      }
    }
  } catch (error) {
    const answer = refusal(error, values);
    if (answer) return answer;
    throw error;
  }
  return failure(400, t("resources.flash.unknown"), values);
}

/**
 * A stored file, streamed a chunk at a time, always as an attachment: a browser never renders it
 * (no HTML or SVG inline), never second-guesses its type, and sandboxes it if opened anyway. The
 * download is logged first, through the write path; it changes no version a form holds.
 */
export async function downloadResponse(context: AppLoadContext, editor: Editor, orgId: string, planId: string, versionId: string | undefined) {
  const version = versionId ? await findVersion(context.db, orgId, planId, versionId) : undefined;
  if (!version) throw new Response("This file is not on this plan (it may have been removed).", { status: 404, headers: { "X-Robots-Tag": "noindex" } });
  await recordDownload(context.db, editor, orgId, planId, version);
  return new Response(versionBytes(context.db, orgId, version.id), { status: 200, headers: downloadHeaders(version) });
}
