import { sql, type Kysely } from "kysely";

/*
 * Issue 22, resources: links and files attached to a plan or to one of its milestones. A file is a
 * row per version (uploading again keeps the old ones) and its bytes are rows of chunks, so an
 * upload is written and a download read a chunk at a time, in the configured database (ADR 035).
 * A milestone may ask for a resource ("upload the signed DPA"): a label of its own, in a table of
 * its own so that the milestone's columns (and the statements naming them) stay as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table resources (
    org_id uuid not null references organisations(id) on delete cascade,
    id uuid not null default gen_random_uuid(),
    plan_id uuid not null,
    milestone_id uuid,
    kind text not null check (kind in ('link', 'file')),
    title text not null check (length(title) between 1 and 200),
    url text check (length(url) <= 2000),
    added_by_name text not null,
    added_by_side text not null check (added_by_side in ('buyer', 'seller')),
    created_at timestamptz not null default now(),
    primary key (org_id, id),
    check ((kind = 'link') = (url is not null)),
    foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade,
    foreign key (org_id, milestone_id) references milestones(org_id, id) on delete cascade
  )`.execute(db);
  await sql`create index resources_plan_idx on resources (org_id, plan_id, created_at)`.execute(db);

  await sql`create table resource_versions (
    org_id uuid not null references organisations(id) on delete cascade,
    id uuid not null default gen_random_uuid(),
    resource_id uuid not null,
    version_no integer not null check (version_no >= 1),
    file_name text not null check (length(file_name) between 1 and 255),
    content_type text not null,
    size_bytes bigint not null check (size_bytes >= 0),
    sha256 text not null,
    uploaded_by_name text not null,
    uploaded_by_side text not null check (uploaded_by_side in ('buyer', 'seller')),
    created_at timestamptz not null default now(),
    primary key (org_id, id),
    unique (org_id, resource_id, version_no),
    foreign key (org_id, resource_id) references resources(org_id, id) on delete cascade
  )`.execute(db);

  await sql`create table resource_chunks (
    org_id uuid not null references organisations(id) on delete cascade,
    version_id uuid not null,
    n integer not null check (n >= 0),
    data bytea not null,
    primary key (org_id, version_id, n),
    foreign key (org_id, version_id) references resource_versions(org_id, id) on delete cascade
  )`.execute(db);

  await sql`create table resource_requirements (
    org_id uuid not null references organisations(id) on delete cascade,
    milestone_id uuid not null,
    plan_id uuid not null,
    label text not null check (length(label) between 1 and 200),
    primary key (org_id, milestone_id),
    foreign key (org_id, plan_id) references plans(org_id, id) on delete cascade,
    foreign key (org_id, milestone_id) references milestones(org_id, id) on delete cascade
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["resource_requirements", "resource_chunks", "resource_versions", "resources"]) {
    await sql.raw(`drop table ${table}`).execute(db);
  }
}
