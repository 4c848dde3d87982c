import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { createOrganisation } from "~/models/organisation.server";
import { createUser, EmailInUseError } from "~/models/user.server";
import { hasCitus, TABLE_PLACEMENT } from "../../db/citus";
import { testDatabaseTargets } from "../support/databases";

describe.each(testDatabaseTargets())("database on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("places every table, and shapes each so that Citus can distribute it as placed (ADR 030)", async () => {
    const { rows: tables } = await sql<{ name: string; pk: string[] }>`
      select c.relname as name,
        array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, n)
              join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum order by k.n) as pk
      from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
      left join pg_index i on i.indrelid = c.oid and i.indisprimary
      where ns.nspname = 'public' and c.relkind in ('r', 'p') and c.relname not like 'scratch_%'
      order by c.relname`.execute(database.db);
    const placement = new Map(TABLE_PLACEMENT);
    expect(tables.map((t) => t.name).filter((name) => !placement.has(name))).toEqual([]);
    expect([...placement.keys()].filter((name) => !tables.some((t) => t.name === name))).toEqual([]);
    const distributionColumn = (name: string) => {
      const p = placement.get(name)!;
      return p.kind === "tenant" ? "org_id" : p.kind === "own key" ? p.column : null;
    };
    expect(TABLE_PLACEMENT.filter(([, p]) => p.kind === "tenant").length).toBeGreaterThanOrEqual(20);

    // A primary key, and every unique index, holds the distribution column.
    const { rows: uniques } = await sql<{ table: string; index: string; columns: string[] }>`
      select c.relname as table, ic.relname as index,
        array(select a.attname::text from unnest(i.indkey) k(attnum) join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum) as columns
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
      join pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = 'public' and i.indisunique`.execute(database.db);
    const misplaced = uniques.filter((u) => distributionColumn(u.table) && !u.columns.includes(distributionColumn(u.table)!)).map((u) => u.index);
    expect(misplaced).toEqual([]);
    for (const table of tables.filter((t) => placement.get(t.name)?.kind === "tenant"))
      expect({ table: table.name, first: table.pk[0] }).toEqual({ table: table.name, first: "org_id" });

    // Keys between tenant tables are composite on org_id and never `set null`/`set default` (Citus refuses those).
    const { rows: keys } = await sql<{ name: string; from: string; to: string; columns: string[]; on_delete: string }>`
      select con.conname as name, c.relname as from, r.relname as to, con.confdeltype::text as on_delete,
        array(select a.attname::text from unnest(con.conkey) k(attnum) join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum) as columns
      from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_class r on r.oid = con.confrelid
      join pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = 'public' and con.contype = 'f'`.execute(database.db);
    const badKeys = keys.filter(
      (k) =>
        ["n", "d"].includes(k.on_delete) ||
        (placement.get(k.from)?.kind === "tenant" && placement.get(k.to)?.kind === "tenant" && k.columns[0] !== "org_id") ||
        (placement.get(k.from)?.kind === "tenant" && !["tenant", "reference"].includes(placement.get(k.to)?.kind ?? "") && k.to !== "organisations"),
    );
    expect(badKeys.map((k) => k.name)).toEqual([]);

    if (!(await hasCitus(database.db))) return;
    // On a cluster, each table is where TABLE_PLACEMENT says.
    const { rows: dist } = await sql<{ table: string; method: string; column: string | null; colocated: boolean }>`
      select p.logicalrelid::text as table, p.partmethod::text as method,
        case when p.partmethod = 'h' then column_to_column_name(p.logicalrelid, p.partkey) end as column,
        p.colocationid = (select colocationid from pg_dist_partition where logicalrelid = 'organisations'::regclass) as colocated
      from pg_dist_partition p`.execute(database.db);
    const placed = new Map(dist.map((d) => [d.table, d]));
    for (const [table, p] of TABLE_PLACEMENT) {
      const d = placed.get(table);
      const seen = !d
        ? { kind: "local" }
        : d.method === "n"
          ? { kind: "reference" }
          : d.column === "org_id" && d.colocated
            ? { kind: "tenant" }
            : { kind: "own key", column: d.column };
      expect({ table, ...seen }).toEqual({ table, ...p });
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
    await createUser(database.db, { orgId: a.id, email: "Same@Example.com", name: "One", role: "rep", passwordHash: "x" });
    for (const orgId of [a.id, b.id]) {
      await expect(createUser(database.db, { orgId, email: "same@example.COM", name: "Two", role: "rep", passwordHash: "x" })).rejects.toBeInstanceOf(
        EmailInUseError,
      );
    }
  });
});
