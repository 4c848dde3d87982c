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

/**
 * The language kept for a buyer known only by their address (an email-preferences link names an
 * address, not a plan): the one on their most recent plan that has one, else null.
 */
export async function keptLocaleForEmail(db: Conn, orgId: string, email: string): Promise<string | null> {
  const row = await db
    .selectFrom("stakeholders")
    .select("locale")
    .where("org_id", "=", orgId)
    .where("side", "=", "buyer")
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.toLowerCase()))
    .where("locale", "is not", null)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.locale ?? null;
}
