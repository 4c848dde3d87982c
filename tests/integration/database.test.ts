import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { createOrganisation } from "~/models/organisation.server";
import { createUser, EmailInUseError } from "~/models/user.server";
import { testDatabaseTargets } from "../support/databases";

describe.each(testDatabaseTargets())("database on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("gives every tenant table an org_id, leading its primary key", async () => {
    const { rows } = await sql<{ table_name: string; has_org: boolean; pk_first: string | null }>`
      select t.table_name,
        exists (select 1 from information_schema.columns c
                where c.table_name = t.table_name and c.column_name = 'org_id') as has_org,
        (select a.attname from pg_index i
           join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
          where i.indrelid = t.table_name::regclass and i.indisprimary) as pk_first
      from information_schema.tables t
      where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
        and t.table_name not like 'kysely_%'
      order by t.table_name`.execute(database.db);
    // Global on purpose: the portal's own generated secrets (ADR 018) belong to no organisation.
    const global = new Set(["organisations", "auth_throttle", "app_secrets"]);
    const tenantTables = rows.filter((r) => !global.has(r.table_name));
    expect(tenantTables.length).toBeGreaterThanOrEqual(15);
    for (const row of tenantTables) {
      expect({ table: row.table_name, hasOrg: row.has_org, pkFirst: row.pk_first }).toEqual({
        table: row.table_name,
        hasOrg: true,
        pkFirst: "org_id",
      });
    }
  });

  it("reads dates as ISO strings and bigints as numbers on this driver", async () => {
    const { rows } = await sql<{ d: string; n: number; c: number }>`
      select date '2027-03-01' as d, 9007199254740::int8 as n, count(*) as c from organisations`.execute(database.db);
    expect(rows[0]).toEqual({ d: "2027-03-01", n: 9007199254740, c: expect.any(Number) });
  });

  it("keeps concurrent transactions apart (no lost increments)", async () => {
    const org = await createOrganisation(database.db, { name: "Counter Co" });
    await sql`create table if not exists scratch_counter (org_id uuid primary key, n int not null)`.execute(database.db);
    await sql`insert into scratch_counter values (${org.id}, 0)`.execute(database.db);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        database.db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ n: number }>`select n from scratch_counter where org_id = ${org.id} for update`.execute(trx);
          await new Promise((r) => setTimeout(r, 1));
          await sql`update scratch_counter set n = ${rows[0].n + 1} where org_id = ${org.id}`.execute(trx);
        }),
      ),
    );
    const { rows } = await sql<{ n: number }>`select n from scratch_counter where org_id = ${org.id}`.execute(database.db);
    expect(rows[0].n).toBe(20);
  });

  it("refuses a row that points at another organisation's row", async () => {
    const a = await createOrganisation(database.db, { name: "Tenant A" });
    const b = await createOrganisation(database.db, { name: "Tenant B" });
    const managerInA = await createUser(database.db, { orgId: a.id, email: "boss@a.example", name: "Boss A", role: "manager", passwordHash: "x" });
    await expect(
      createUser(database.db, { orgId: b.id, email: "rep@b.example", name: "Rep B", role: "rep", managerId: managerInA.id, passwordHash: "x" }),
    ).rejects.toMatchObject({ code: "23503" });
  });

  it("gives each email address one account, across organisations too (ADR 019)", async () => {
    const a = await createOrganisation(database.db, { name: "Email A" });
    const b = await createOrganisation(database.db, { name: "Email B" });
    const one = await createUser(database.db, { orgId: a.id, email: "Same@Example.com", name: "One", role: "rep", passwordHash: "x" });
    for (const orgId of [a.id, b.id]) {
      await expect(createUser(database.db, { orgId, email: "same@example.COM", name: "Two", role: "rep", passwordHash: "x" })).rejects.toBeInstanceOf(
        EmailInUseError,
      );
    }
    // Inside the caller's transaction too, and the refused account is not half-written.
    await expect(
      database.db.transaction().execute((trx) => createUser(trx, { orgId: b.id, email: "same@example.com", name: "Three", role: "rep", passwordHash: "x" })),
    ).rejects.toBeInstanceOf(EmailInUseError);
    expect(await database.db.selectFrom("users").select("id").where("email", "=", "same@example.com").execute()).toEqual([{ id: one.id }]);
    expect(await database.db.selectFrom("account_emails").selectAll().where("email", "=", "same@example.com").execute()).toEqual([
      { email: "same@example.com", org_id: a.id, user_id: one.id },
    ]);
  });
});
