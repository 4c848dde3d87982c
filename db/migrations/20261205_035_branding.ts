import { sql, type Kysely } from "kysely";

/*
 * Issue 22: an organisation's branding on its buyers' pages and emails (ADR 039). One row per
 * organisation, apart from `organisations` so that reading an organisation never drags a logo's
 * bytes along. The logo is a small raster image kept in the database (no file store to run), with
 * its sniffed type, pixel size and content hash (the hash is in its address, so it caches for ever).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table organisation_branding (
    org_id uuid not null references organisations(id) on delete cascade,
    accent_colour text check (accent_colour ~ '^#[0-9a-f]{6}$'),
    logo bytea check (octet_length(logo) between 1 and 524288),
    logo_type text check (logo_type in ('image/png', 'image/jpeg', 'image/webp')),
    logo_sha256 text check (logo_sha256 ~ '^[0-9a-f]{64}$'),
    logo_width integer check (logo_width between 1 and 2048),
    logo_height integer check (logo_height between 1 and 2048),
    updated_at timestamptz not null default now(),
    primary key (org_id),
    -- A logo is all of these or none of them.
    check ((logo is null) = (logo_type is null) and (logo is null) = (logo_sha256 is null)
       and (logo is null) = (logo_width is null) and (logo is null) = (logo_height is null))
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table organisation_branding`.execute(db);
}
