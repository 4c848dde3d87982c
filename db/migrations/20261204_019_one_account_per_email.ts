import { sql, type Kysely } from "kysely";

/*
 * One email address, one account (ADR 019): the sign-in form, a password reset and an invitation
 * all name a person by their address alone, so the address must name one account. Addresses held
 * in several organisations cannot be merged by a migration without someone choosing; the upgrade
 * stops and says which ones to change first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const shared = await sql<{ email: string; accounts: number }>`
    select email, count(*)::int as accounts from users group by email having count(*) > 1 order by email limit 20`.execute(db);
  if (shared.rows.length > 0) {
    const list = shared.rows.map((r) => `${r.email} (${r.accounts} accounts)`).join(", ");
    throw new Error(
      `Each email address may now hold one account, but these are used in several organisations: ${list}. ` +
        "Change the address of all but one of each (update users set email = … where org_id = … and id = …), then start again.",
    );
  }
  await sql`create unique index users_email_key on users (email)`.execute(db);
  await sql`drop index users_email_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index users_email_idx on users (email)`.execute(db);
  await sql`drop index users_email_key`.execute(db);
}
