import type { MilestoneFormValues } from "~/domain/milestone-form-values";

/** The form's strings in the shape the write path validates (it parses numbers and dates itself). */
export function milestoneCommandInput(values: MilestoneFormValues) {
  return { ...values, lagDays: values.lagDays === "" ? "0" : values.lagDays };
}
