import { data, type AppLoadContext } from "@remix-run/node";
import type { Plan } from "../../db/types";
import { isUuid } from "~/domain/ids";
import { PlanInputError } from "~/domain/plan-validation";
import type { MapFormFailure } from "~/domain/stakeholder-map";
import type { Editor } from "~/models/plan-commands.server";
import { mapStakeholder } from "~/models/stakeholder-map.server";
import { redirectWithFlash } from "~/route-helpers/flash.server";
import { badRequest, commandFailure, formString, type CommandFailure } from "~/route-helpers/plan-route.server";

/**
 * The plan page's "save a person's place on the map" form: saved, it redirects back to the map
 * with a message; refused, it answers 400 with the typed values so the same form re-renders them.
 */
export async function mapStakeholderAction(context: AppLoadContext, form: FormData, plan: Plan, editor: Editor, today: string) {
  const stakeholderId = formString(form, "stakeholderId");
  if (!isUuid(stakeholderId)) return badRequest("That person is no longer on the plan.");
  const values: MapFormFailure["values"] = {
    decisionRole: formString(form, "decisionRole"),
    reportsToId: formString(form, "reportsToId"),
    influence: formString(form, "influence"),
    sentiment: formString(form, "sentiment"),
    privateNote: formString(form, "privateNote"),
  };
  try {
    const { value: name } = await mapStakeholder(context.db, editor, plan.org_id, plan.id, stakeholderId, values);
    return redirectWithFlash(context, `/plans/${plan.id}#stakeholder-map`, { target: "map", message: `${name}'s place on the map is saved.` });
  } catch (error) {
    if (!(error instanceof PlanInputError)) return commandFailure(context, plan.org_id, plan.id, error, today);
    const formError = error.fieldErrors.form?.[0] ?? error.message;
    return data<CommandFailure & { mapForm: MapFormFailure }>(
      { ok: false, formError, fieldErrors: error.fieldErrors, conflict: null, mapForm: { stakeholderId, formError, fieldErrors: error.fieldErrors, values } },
      { status: 400 },
    );
  }
}
