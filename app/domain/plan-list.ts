/** How the plans list can be ordered (shared by the page and the query). */
export const PLAN_SORTS = {
  close: "Forecast close date",
  golive: "Go-live date",
  company: "Buyer company",
  value: "Value",
  activity: "Last buyer activity",
} as const;
export type PlanSort = keyof typeof PLAN_SORTS;

export function parsePlanSort(value: string | null): PlanSort {
  return value && Object.hasOwn(PLAN_SORTS, value) ? (value as PlanSort) : "close";
}
