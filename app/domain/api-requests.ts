import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { isValidISODate } from "~/domain/calendar";
import { CURRENCIES } from "~/domain/plan-validation";

/*
 * What the API's writes accept. The routes validate with these and app/domain/openapi.ts
 * generates the document's request schemas from them (ADR 023), so the two cannot disagree.
 * `.openapi()` only adds what JSON Schema cannot learn from zod (formats, descriptions).
 */
extendZodWithOpenApi(z);

// The calendar's own validator (years 1–9999), as the pages use: JavaScript's Date accepts year 0,
// which PostgreSQL's date type refuses (a 500 before).
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2027-03-31.")
  .refine(isValidISODate, "Not a real date (years 0001 to 9999).")
  .openapi({ format: "date", description: "A calendar day, YYYY-MM-DD." });

export const crmFieldsSchema = z
  .object({
    externalCrmId: z.string().trim().min(1, "Leave it out or send null to clear it.").max(200, "Keep it under 200 characters.").nullable().optional(),
    crmCloseDate: isoDate.nullable().optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((v) => v.externalCrmId !== undefined || v.crmCloseDate !== undefined, { message: "Send externalCrmId, crmCloseDate or both." })
  // The refinement as JSON Schema can say it: at least one of the two fields.
  .openapi("CrmFields", { anyOf: [{ required: ["externalCrmId"] }, { required: ["crmCloseDate"] }] });

export const createPlanSchema = z
  .object({
    templateId: z.string().uuid("Not a template id."),
    goLive: isoDate,
    buyerCompany: z.string().trim().min(1, "Name the customer.").max(200),
    title: z.string().trim().min(1, "Give the plan a title.").max(200),
    value: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    currency: z
      .enum(CURRENCIES, { errorMap: () => ({ message: `One of ${CURRENCIES.join(", ")}.` }) })
      .optional()
      .openapi({ description: "The currencies the portal's forms offer; default USD." }),
    ownerId: z.string().uuid("Not a user id.").optional().openapi({ description: "A user of the organisation; default: the token's creator." }),
    crmCloseDate: isoDate.nullable().optional(),
    externalCrmId: z.string().trim().min(1).max(200).nullable().optional(),
  })
  .strict()
  .openapi("NewPlan");

/** POST /plans/{planId}/clone: what the copy changes; anything left out stays as on the source plan (ADR 040). */
export const clonePlanSchema = z
  .object({
    title: z.string().trim().min(1, "Give the new plan a title.").max(200),
    goLive: isoDate,
    buyerCompany: z.string().trim().min(1, "Name the customer.").max(200).optional().openapi({ description: "Default: the source plan's." }),
    value: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().openapi({ description: "Default: the source plan's." }),
    currency: z
      .enum(CURRENCIES, { errorMap: () => ({ message: `One of ${CURRENCIES.join(", ")}.` }) })
      .optional()
      .openapi({ description: "Default: the source plan's." }),
    copyPeople: z
      .boolean()
      .default(false)
      .openapi({ description: "Copy the plan's people (buyers without share links) and the milestones' named owners; default false." }),
    ownerId: z.string().uuid("Not a user id.").optional().openapi({ description: "A user of the organisation; default: the source plan's owner." }),
  })
  .strict()
  .openapi("ClonePlan");
