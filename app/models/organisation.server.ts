import type { Organisation } from "../../db/types";
import type { Conn } from "~/models/conn";

export interface WorkingCalendar {
  workingWeekdays: number[];
  holidays: string[];
}

export async function createOrganisation(
  db: Conn,
  input: { name: string; fiscalYearStartMonth?: number; calendar?: Partial<WorkingCalendar> },
): Promise<Organisation> {
  return db
    .insertInto("organisations")
    .values({
      name: input.name,
      fiscal_year_start_month: input.fiscalYearStartMonth ?? 1,
      working_weekdays: JSON.stringify(input.calendar?.workingWeekdays ?? [1, 2, 3, 4, 5]),
      holidays: JSON.stringify(input.calendar?.holidays ?? []),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getOrganisation(db: Conn, orgId: string): Promise<Organisation | undefined> {
  return db.selectFrom("organisations").selectAll().where("id", "=", orgId).executeTakeFirst();
}

export function calendarOf(org: Pick<Organisation, "working_weekdays" | "holidays">): WorkingCalendar {
  return { workingWeekdays: org.working_weekdays, holidays: org.holidays };
}
