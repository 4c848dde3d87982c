import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { parseOrThrow, PlanInputError } from "~/domain/plan-validation";
import { reportsToProblem, STAKEHOLDER_MAPPED_ACTION, STAKEHOLDER_NOTES_ACTION } from "~/domain/stakeholder-map";
import { stakeholderMapSchema } from "~/domain/stakeholder-map-schema";
import { runPlanCommand, type PlanEventSpec } from "~/models/plan-command.server";
import { diff, editorContext, type Editor } from "~/models/plan-commands.server";

/*
 * The stakeholder map's writes (ADR 036). The role and reports-to are logged as one action, the
 * private read as another; both are seller-only in the log.
 */

/** Sets a buyer's role, manager and the rep's private read of them, in one logged command. */
export async function mapStakeholder(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, stakeholderId: string, raw: unknown) {
  const input = parseOrThrow(stakeholderMapSchema, raw);
  return runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    const people = await trx
      .selectFrom("stakeholders")
      .select(["id", "name", "side", "decision_role", "reports_to_id", "influence", "sentiment", "private_note"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .execute();
    const person = people.find((p) => p.id === stakeholderId);
    if (!person) throw new PlanInputError({ form: ["That person is no longer on the plan."] });
    if (person.side !== "buyer") throw new PlanInputError({ form: ["Only people on the buyer's side go on the stakeholder map."] });
    const problem = reportsToProblem(people, stakeholderId, input.reportsToId);
    if (problem) throw new PlanInputError({ reportsToId: [problem] });

    const nameOf = (id: string | null) => (id ? (people.find((p) => p.id === id)?.name ?? null) : null);
    const mapped = diff({ decision_role: person.decision_role }, { decision_role: input.decisionRole });
    // Compared by id, logged by name: two people may share a name.
    if (person.reports_to_id !== input.reportsToId) mapped.reports_to = { before: nameOf(person.reports_to_id), after: nameOf(input.reportsToId) };
    const notes = diff({ influence: person.influence, sentiment: person.sentiment }, { influence: input.influence, sentiment: input.sentiment });
    // The append-only log would keep a note about a person for good: it records that the note
    // changed (its length), never its words (ADR 036).
    if (person.private_note !== input.privateNote) notes.private_note_length = { before: person.private_note.length, after: input.privateNote.length };
    const events: PlanEventSpec[] = [];
    if (Object.keys(mapped).length) events.push({ action: STAKEHOLDER_MAPPED_ACTION, entityType: "stakeholder", entityId: stakeholderId, changes: mapped });
    if (Object.keys(notes).length) events.push({ action: STAKEHOLDER_NOTES_ACTION, entityType: "stakeholder", entityId: stakeholderId, changes: notes });
    if (events.length) {
      await trx
        .updateTable("stakeholders")
        .set({
          decision_role: input.decisionRole,
          reports_to_id: input.reportsToId,
          influence: input.influence,
          sentiment: input.sentiment,
          private_note: input.privateNote,
        })
        .where("org_id", "=", orgId)
        .where("id", "=", stakeholderId)
        .execute();
    }
    return { value: person.name, events };
  });
}
