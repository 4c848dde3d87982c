import type { Locale } from "~/domain/i18n/locales";
import type { Conn } from "~/models/conn";

/*
 * The language a person on a plan reads their buyer page and emails in (ADR 046), kept on their
 * stakeholder row: it follows the person to every device and into the emails written to them.
 * A preference of theirs, not a change to the plan: it is not logged, and a closed plan takes it.
 */

/** Their first visit: the browser's language, unless one is already kept (a choice is never overwritten). */
export async function rememberFirstLocale(db: Conn, orgId: string, stakeholderId: string, locale: Locale) {
  await db.updateTable("stakeholders").set({ locale }).where("org_id", "=", orgId).where("id", "=", stakeholderId).where("locale", "is", null).execute();
}

/** Their choice on the page. */
export async function setStakeholderLocale(db: Conn, orgId: string, stakeholderId: string, locale: Locale) {
  await db.updateTable("stakeholders").set({ locale }).where("org_id", "=", orgId).where("id", "=", stakeholderId).execute();
}
