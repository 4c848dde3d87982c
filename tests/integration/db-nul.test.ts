import { describe, expect, it } from "vitest";
import { openDatabase, withoutNul } from "~/infra/db.server";
import { migrateToLatest } from "../../db/migrator";
import { createOrganisation } from "~/models/organisation.server";

describe("NUL characters in query parameters", () => {
  it("drops U+0000 from text, and its escape from JSON text only", () => {
    expect(withoutNul("a\u0000b")).toBe("ab");
    expect(withoutNul(JSON.stringify({ title: { before: null, after: "a\u0000b" } }))).toBe(JSON.stringify({ title: { before: null, after: "ab" } }));
    // A typed backslash followed by u0000 is text, not an escape: kept.
    expect(withoutNul("see \\u0000 in C")).toBe("see \\u0000 in C");
    expect(withoutNul(JSON.stringify({ body: "see \\u0000" }))).toBe(JSON.stringify({ body: "see \\u0000" }));
    expect(withoutNul(JSON.stringify(["\\\u0000"]))).toBe(JSON.stringify(["\\"]));
    expect(withoutNul(42)).toBe(42);
    expect(withoutNul(null)).toBe(null);
  });

  it("stores text and jsonb typed with a NUL instead of failing", async () => {
    const database = await openDatabase({ memory: true });
    try {
      await migrateToLatest(database.db);
      const org = await createOrganisation(database.db, { name: "Nul\u0000 Co" });
      expect(org.name).toBe("Nul Co");
      const found = await database.db.selectFrom("organisations").select("id").where("name", "=", "Nul\u0000 Co").executeTakeFirst();
      expect(found?.id).toBe(org.id);
    } finally {
      await database.close();
    }
  });
});
