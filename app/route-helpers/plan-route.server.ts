import { data, type AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/domain/plan-events";
import { todayIn } from "~/domain/dates";
import { PlanInputError } from "~/domain/plan-validation";
import { PlanNotFound, PlanVersionConflict } from "~/models/plan-command.server";
import type { Editor } from "~/models/plan-commands.server";
import { getVisiblePlan } from "~/models/plan.server";
import { listPlanActivity } from "~/models/plan-page.server";
import { requireUser, viewerOf } from "~/route-helpers/guards.server";
import { describeActivity } from "~/domain/activity";
import { fieldErrorsInBuyerWords, inBuyerWords } from "~/domain/buyer-errors";
import type { Translator } from "~/domain/i18n/translate";

/** The signed-in seller and a plan they may see, or a 404 (foreign and unknown ids look the same). */
export async function requirePlan(context: AppLoadContext, request: Request, planId: string | undefined) {
  const user = requireUser(context, request);
  const plan = planId ? await getVisiblePlan(context.db, viewerOf(user), planId) : undefined;
  if (!plan) throw new Response("This plan does not exist, or it is not shared with you.", { status: 404 });
  const today = todayIn(user.organisation.timeZone, context.now);
  const actor: Actor = { side: "seller", name: user.name, userId: user.id };
  const editor: Editor = { actor, today, requestId: context.requestId, viewer: viewerOf(user) };
  return { user, plan, today, editor };
}

export type CommandFailure = {
  ok: false;
  formError: string;
  fieldErrors: Partial<Record<string, string[]>>;
  /** When someone else saved first: what they changed, so nothing typed is lost blindly. */
  conflict: { by: string; what: string } | null;
};

/**
 * Turns a write-path refusal into the answer a form needs: 400 with field errors, 409 with the
 * other person's change, 404 for a plan that is gone. Anything else is a real error. `buyerWords`:
 * the buyer page's translator, to word the refusal in the reader's language (ADR 046); without
 * it (the rep's pages), the write path's English.
 */
export async function commandFailure(
  context: AppLoadContext,
  orgId: string,
  planId: string,
  error: unknown,
  today: string,
  buyerWords?: Pick<Translator, "t" | "day">,
) {
  if (error instanceof PlanInputError) {
    const fieldErrors = buyerWords ? fieldErrorsInBuyerWords(error, buyerWords, today) : error.fieldErrors;
    // Without a form-level field, the refusal's message is the form's error; its code (under "form") words it for a buyer.
    const formError = fieldErrors.form?.[0] ?? (buyerWords ? inBuyerWords(error.message, error.codes.form, buyerWords, today) : error.message);
    return data<CommandFailure>({ ok: false, formError, fieldErrors, conflict: null }, { status: 400 });
  }
  if (error instanceof PlanVersionConflict) {
    const [latest] = await listPlanActivity(context.db, orgId, planId, { limit: 1 });
    const conflict = latest
      ? {
          by: latest.actor_name,
          what: describeActivity(
            {
              action: latest.action,
              actorName: latest.actor_name,
              actorSide: latest.actor_side,
              subject: latest.subject,
              changes: latest.changes,
              reason: latest.reason,
            },
            today,
          ),
        }
      : null;
    return data<CommandFailure>(
      {
        ok: false,
        formError: buyerWords
          ? buyerWords.t(conflict ? "errors.conflict" : "errors.conflictSomeone", { name: conflict?.by ?? "" })
          : `${conflict?.by ?? "Someone"} saved a change while you were editing. Your values are below: check them against theirs and save again.`,
        fieldErrors: {},
        conflict,
      },
      { status: 409 },
    );
  }
  if (error instanceof PlanNotFound) throw new Response("This plan does not exist, or it is not shared with you.", { status: 404 });
  throw error;
}

export function formString(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

/** The version the editor saw, sent back with every edit form. */
export function formVersion(form: FormData, name = "version"): number {
  const n = Number(formString(form, name));
  if (!Number.isInteger(n) || n < 1) throw new Response("The form is missing its version: reload the page and try again.", { status: 400 });
  return n;
}

export function badRequest(formError: string, fieldErrors: CommandFailure["fieldErrors"] = {}) {
  return data<CommandFailure>({ ok: false, formError, fieldErrors, conflict: null }, { status: 400 });
}
