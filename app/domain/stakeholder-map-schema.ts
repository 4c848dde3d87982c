import { z } from "zod";
import { isUuid } from "~/domain/ids";
import { DECISION_ROLES, INFLUENCES, PRIVATE_NOTE_MAX, SENTIMENTS } from "~/domain/stakeholder-map";

/*
 * The stakeholder map form's rules (ADR 036), apart from stakeholder-map.ts so that the pages
 * that only show the map's words (the buyer's) do not load zod in the browser (ADR 041).
 */

/** A select's "not set" is an empty string; anything else must be one of the words. */
function optionalWord<T extends string>(words: readonly T[], message: string) {
  return z
    .string()
    .default("")
    .transform((v) => (v === "" ? null : v))
    .refine((v): v is T | null => v === null || (words as readonly string[]).includes(v), message);
}

export const stakeholderMapSchema = z.object({
  decisionRole: optionalWord(DECISION_ROLES, "Pick a role from the list."),
  reportsToId: z
    .string()
    .default("")
    .transform((v) => (v === "" ? null : v))
    .refine((v) => v === null || isUuid(v), "Pick someone from the list."),
  influence: optionalWord(INFLUENCES, "Pick low, medium or high."),
  sentiment: optionalWord(SENTIMENTS, "Pick supporter, neutral or detractor."),
  privateNote: z
    .string()
    .trim()
    .max(PRIVATE_NOTE_MAX, `The note must be at most ${PRIVATE_NOTE_MAX.toLocaleString("en-US")} characters.`)
    .default(""),
});
export type StakeholderMapInput = z.infer<typeof stakeholderMapSchema>;
