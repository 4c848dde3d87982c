import { z } from "zod";
import { isValidISODate } from "~/domain/calendar";
import { isUuid } from "~/domain/ids";
import { ScheduleError } from "~/domain/schedule";

/*
 * What a plan edit may contain. Shared by the pages (to re-show the form) and the write path
 * (which validates again before applying anything).
 */
const trimmed = (max: number, label: string) => z.string().trim().max(max, `${label} must be at most ${max} characters.`);

const isoDate = (label: string) => z.string().trim().refine(isValidISODate, `${label} must be a real date (YYYY-MM-DD).`);

const optionalIsoDate = (label: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .refine((v) => v === null || isValidISODate(v), `${label} must be a real date (YYYY-MM-DD).`);

const wholeDays = (label: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d+$/.test(v), `${label} must be a whole number of working days (0 or more).`)
    .transform(Number)
    .refine((n) => n <= 1000, `${label} must be at most 1,000 working days.`);

const optionalUuid = z
  .string()
  .transform((v) => (v === "" ? null : v))
  .refine((v) => v === null || isUuid(v), "Pick someone from the list.");

/** More than any real plan needs, far below what one query can bind. */
export const MAX_DEPENDENCIES = 500;

export const milestoneSchema = z.object({
  title: trimmed(200, "The title").min(1, "Give the milestone a title."),
  description: trimmed(5000, "The description").default(""),
  ownerSide: z.enum(["buyer", "seller", "joint"], { errorMap: () => ({ message: "Pick who owns it." }) }),
  ownerStakeholderId: optionalUuid.default(""),
  durationDays: wholeDays("Duration"),
  lagDays: wholeDays("Lag").default("0"),
  dependsOn: z
    .array(z.string().refine(isUuid, "Unknown milestone."))
    // Bounded before any query: each id is a bind parameter, and PostgreSQL takes at most 65,535.
    .max(MAX_DEPENDENCIES, `A milestone can wait for at most ${MAX_DEPENDENCIES} others.`)
    // The same milestone picked twice is one dependency, not a duplicate row.
    .transform((ids) => [...new Set(ids)])
    .default([]),
  pinnedDate: optionalIsoDate("The pinned date").default(""),
  isClose: z.boolean().default(false),
  completedOn: optionalIsoDate("The completion date").default(""),
});
export type MilestoneInput = z.infer<typeof milestoneSchema>;

export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "SEK", "NOK", "DKK", "SGD", "INR"] as const;

export const planDetailsSchema = z.object({
  buyerCompany: trimmed(200, "The company").min(1, "Enter the buyer's company."),
  title: trimmed(200, "The title").min(1, "Give the plan a title."),
  value: z
    .string()
    .trim()
    .transform((v) => v.replace(/[,\s]/g, ""))
    .refine((v) => /^\d{1,13}$/.test(v), "Enter the deal value as a whole amount, e.g. 120000.")
    .transform(Number),
  currency: z.enum(CURRENCIES, { errorMap: () => ({ message: "Pick a currency." }) }),
  crmCloseDate: optionalIsoDate("The CRM close date").default(""),
});

export const newPlanSchema = planDetailsSchema.extend({
  goLive: isoDate("The go-live date"),
  templateId: optionalUuid.default(""),
});

/** The statuses the edit form sets; closing (won, lost, no decision) has its own form (ADR 026). */
export const planStatusSchema = z.enum(["active", "paused"], {
  errorMap: () => ({ message: "Pick active or paused; to close the plan, use “Close the plan”." }),
});

/** A closed plan's edit form has no status: it is reopened, not edited, back to active. */
export const planEditSchema = planDetailsSchema.extend({ status: planStatusSchema.optional() });

export const goLiveChangeSchema = z.object({
  goLive: isoDate("The go-live date"),
  reason: trimmed(1000, "The reason").min(1, "Say why the date moves: the buyer will see it."),
});

export const stakeholderSchema = z.object({
  side: z.enum(["buyer", "seller"], { errorMap: () => ({ message: "Pick a side." }) }),
  name: trimmed(200, "The name").min(1, "Enter their name."),
  email: z.string().trim().toLowerCase().max(320).email("Enter a valid email address."),
  title: trimmed(200, "The job title").default(""),
});

export type FieldErrors = Partial<Record<string, string[]>>;

/** A validation failure the write path reports field by field (answered with a 400). */
/**
 * A refusal whose words carry values (a title, a name, a date): its key in the buyer's messages
 * (`buyer.errors.<code>`), so the buyer's page can word it in the reader's language while the
 * rep's pages and the API keep the English text (app/domain/buyer-errors.ts).
 */
export type InputCode = { code: string; values?: Record<string, string | number> };

export class PlanInputError extends Error {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = "Please fix the highlighted fields.",
    /** Per field ("form" included), for messages with values; a fixed message is found by its text. */
    readonly codes: Partial<Record<string, InputCode>> = {},
  ) {
    super(message);
    this.name = "PlanInputError";
  }
}

export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new PlanInputError(parsed.error.flatten().fieldErrors as FieldErrors);
  return parsed.data;
}

/** A scheduling error in words a rep understands, naming milestones by title. */
export function describeScheduleError(error: ScheduleError, titleOf: (id: string) => string): { field: string; message: string } {
  const names = error.milestoneIds.map(titleOf);
  switch (error.code) {
    case "cycle":
      return { field: "dependsOn", message: `These dependencies would go round in a loop: ${names.join(" → ")}.` };
    case "unknown_dependency":
      return { field: "dependsOn", message: "One of the dependencies no longer exists; reload and pick again." };
    case "pinned_on_non_working_day":
      return { field: "pinnedDate", message: "The pinned date falls on a non-working day; pick a working day." };
    case "several_close_milestones":
      return { field: "isClose", message: `Only one milestone can date the deal; ${names.join(" and ")} both do.` };
    case "invalid_duration":
      return { field: "durationDays", message: "Durations and lags must be whole numbers of working days." };
    default:
      // The scheduler's own words quote milestone ids: a reader knows them by title.
      return { field: "form", message: error.milestoneIds.reduce((text, id, k) => text.replaceAll(id, names[k]), error.message) };
  }
}
