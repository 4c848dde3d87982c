import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { makeCalendar } from "~/domain/calendar";
import { calendarOf } from "~/models/organisation.server";

/** The first day on or after `iso` the organisation works: a go-live must be one (the demo keeps public holidays). */
export async function workingDayOnOrAfter(db: Kysely<DB>, orgId: string, iso: string): Promise<string> {
  const org = await db.selectFrom("organisations").selectAll().where("id", "=", orgId).executeTakeFirstOrThrow();
  return makeCalendar(calendarOf(org)).onOrAfterDate(iso);
}
