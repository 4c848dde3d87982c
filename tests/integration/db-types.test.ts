import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { testDatabaseTargets } from "../support/databases";
import { schemaDifferences, schemaFromDatabase, schemaFromTypes, type SchemaShape } from "../support/schema-drift";

// The checker reads the file once; each database is compared with the same reading.
const typed = schemaFromTypes();
const typesSource = fs.readFileSync(path.resolve(__dirname, "../../db/types.ts"), "utf8");

describe.each(testDatabaseTargets())("db/types.ts against the migrated schema on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let migrated: SchemaShape;
  beforeAll(async () => {
    database = await target.open();
    migrated = await schemaFromDatabase(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("has every table and column, with its nullability, type family and insert rule", () => {
    expect(Object.keys(migrated).length).toBeGreaterThanOrEqual(20);
    expect(schemaDifferences(migrated, typed)).toEqual([]);
  });

  // The comparison itself must be able to fail: edit a copy of the file the ways drift happens.
  it.each([
    ["a column dropped", (s: string) => s.replace("  used_at: Timestamp | null;\n", ""), ["account_tokens.used_at: column missing from db/types.ts"]],
    [
      "a column made non-null",
      (s: string) => s.replace("  manager_id: string | null;", "  manager_id: string;"),
      [
        "users.manager_id: database allows NULL, db/types.ts forbids it",
        "users.manager_id: an insert may leave it out of the database, db/types.ts says it must (Generated<…>/ColumnType insert type)",
      ],
    ],
    [
      "a type family changed",
      (s: string) => s.replace("  visit_count: Generated<number>;", "  visit_count: Generated<string>;"),
      ["share_links.visit_count: database reads as number, db/types.ts says string"],
    ],
    [
      "a default forgotten",
      (s: string) =>
        s.replace(
          "  attempts: Generated<number>;\n  next_attempt_at: Generated<Date>;\n  locked_until: Timestamp | null;\n  last_error",
          "  attempts: number;\n  next_attempt_at: Generated<Date>;\n  locked_until: Timestamp | null;\n  last_error",
        ),
      ["email_outbox.attempts: an insert may leave it out of the database, db/types.ts says it must (Generated<…>/ColumnType insert type)"],
    ],
    ["a table left out", (s: string) => s.replace("  app_secrets: AppSecretsTable;\n", ""), ["app_secrets: table missing from db/types.ts (DB interface)"]],
  ])("notices %s", (_what, edit, expected) => {
    const edited = edit(typesSource);
    expect(edited).not.toBe(typesSource);
    expect(schemaDifferences(migrated, schemaFromTypes(edited))).toEqual(expected);
  });
});
