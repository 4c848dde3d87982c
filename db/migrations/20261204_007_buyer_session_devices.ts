import { sql, type Kysely } from "kysely";

/*
 * The rep's people card lists the devices that opened each buyer link (one buyer session per
 * device): looked up by link, so the sessions get an index that leads with the tenant and the link.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index buyer_sessions_link_idx on buyer_sessions (org_id, share_link_id, created_at)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists buyer_sessions_link_idx`.execute(db);
}
