import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { getEnv } from "~/infra/env.server";
import { setSigningSecret } from "~/infra/signing-secret.server";

/**
 * The secret stored under `name`, made on first use: 32 random bytes. Several servers starting at
 * once on one database agree on the first row written (the others' inserts do nothing).
 */
export async function ensureAppSecret(db: Kysely<DB>, name: string): Promise<string> {
  await db
    .insertInto("app_secrets")
    .values({ name, value: randomBytes(32).toString("base64url") })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await db.selectFrom("app_secrets").select("value").where("name", "=", name).executeTakeFirstOrThrow();
  return row.value;
}

/** Called once by every process that signs or checks links, after migrating. */
export async function loadSigningSecret(db: Kysely<DB>): Promise<void> {
  setSigningSecret(getEnv().EMAIL_SIGNING_SECRET ?? (await ensureAppSecret(db, "email-signing")));
}
