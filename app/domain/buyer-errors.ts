import type { Translator } from "~/domain/i18n/translate";
import type { FieldErrors, InputCode, PlanInputError } from "~/domain/plan-validation";
import { CLOSED_FOR_BUYERS } from "~/domain/plan-outcome";

/*
 * The refusals a buyer's forms can get, as keys of the buyer's messages (`buyer.errors.<code>`):
 * the write path keeps its English (the rep's pages and the API show it), and the buyer's page
 * words the same refusal in the reader's language (ADR 046). A fixed message is found by its exact
 * English text, listed here once; one carrying values comes with its code (PlanInputError.codes).
 */
const FIXED: Record<string, string> = {
  "Please fix the highlighted fields.": "fixFields",
  "That milestone is not on this plan.": "milestoneNotOnPlan",
  "Pick one of your own people.": "pickOwnPeople",
  "The date must be a real date (YYYY-MM-DD).": "dateInvalid",
  "The go-live date must be a real date (YYYY-MM-DD).": "goLiveInvalid",
  "Say why the date moves: the buyer will see it.": "reasonMissing",
  "The reason must be at most 1000 characters.": "reasonTooLong",
  [CLOSED_FOR_BUYERS]: "planClosed",
  "Enter their name.": "nameMissing",
  "The name must be at most 200 characters.": "nameTooLong",
  "Enter a valid email address.": "emailInvalid",
  "The job title must be at most 200 characters.": "jobTitleTooLong",
  "Someone with this email is already on the plan.": "emailOnPlan",
  "Write a comment first.": "commentEmpty",
  "Keep comments under 5,000 characters.": "commentTooLong",
  "That is already the go-live date; pick a different one.": "goLiveSame",
  "That is already the go-live date.": "goLiveSameShort",
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A refusal's code among the buyer's messages (`errors.<code>`), or null when it has none (then the English is shown). */
export function buyerErrorCode(message: string, code?: InputCode): InputCode | null {
  if (code) return code;
  const fixed = FIXED[message];
  return fixed ? { code: fixed } : null;
}

/** A coded refusal in one reader's words: the ISO dates among its values written as their language writes a day. */
export function wordInputCode(code: InputCode, words: Pick<Translator, "t" | "day">, today: string): string {
  const values = Object.fromEntries(Object.entries(code.values ?? {}).map(([k, v]) => [k, typeof v === "string" && ISO_DAY.test(v) ? words.day(v, today) : v]));
  return words.t(`errors.${code.code}`, values);
}

/** A refusal in the buyer's words, or its English when it has no key. */
export function inBuyerWords(message: string, code: InputCode | undefined, words: Pick<Translator, "t" | "day">, today: string): string {
  const found = buyerErrorCode(message, code);
  return found ? wordInputCode(found, words, today) : message;
}

/** Each field's refusals in the buyer's words. */
export function fieldErrorsInBuyerWords(error: PlanInputError, words: Pick<Translator, "t" | "day">, today: string): FieldErrors {
  return Object.fromEntries(
    Object.entries(error.fieldErrors).map(([field, messages]) => [field, messages?.map((m) => inBuyerWords(m, error.codes[field], words, today))]),
  );
}
