import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { linkGuessRule } from "~/domain/login-throttle";
import { recordThrottleFailure } from "~/models/auth-throttle.server";
import { testDatabaseTargets } from "../support/databases";

/*
 * Found by the fuzzer (item 8) on PostgreSQL: a failure recorded while the same counter is being
 * cleared (a successful login clears the account's counters) read the row back, found it gone and
 * answered 500. Counting must survive any interleaving with a delete.
 */
describe.each(testDatabaseTargets())("the throttle counters under concurrent clears on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("records 300 failures while the counter is cleared concurrently, without an error", async () => {
    const rule = linkGuessRule("203.0.113.9");
    let errors = 0;
    const clears = (async () => {
      for (let i = 0; i < 300; i++) await database.db.deleteFrom("auth_throttle").where("key", "=", rule.key).execute();
    })();
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let i = 0; i < 100; i++) await recordThrottleFailure(database.db, [rule]).catch(() => errors++);
      }),
    );
    await clears;
    expect(errors).toBe(0);
  });
});
