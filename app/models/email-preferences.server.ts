import { isUuid } from "~/domain/ids";
import { cleanChoices, type Audience, type PreferenceState } from "~/domain/notifications";
import { readToken, signToken } from "~/infra/signed-token.server";
import { signingSecret } from "~/infra/signing-secret.server";
import type { Conn } from "~/models/conn";

/*
 * Email preferences, per organisation and address, and the signed links that open them without a
 * login. A link names one recipient (organisation, address, side) and is signed with HMAC-SHA256
 * under EMAIL_SIGNING_SECRET: changing any character of it makes it worthless. It does not expire:
 * an unsubscribe link in a year-old email must still work.
 */

export interface PreferenceScope {
  orgId: string;
  email: string;
  audience: Audience;
}

const PURPOSE = "email-preferences:v1:";

export function signPreferenceToken(scope: PreferenceScope, secret = signingSecret()): string {
  return signToken(PURPOSE, { o: scope.orgId, e: scope.email.toLowerCase(), a: scope.audience }, secret);
}

/** The recipient a token names, or null when it is malformed or its signature does not match. */
export function readPreferenceToken(token: string | undefined, secret = signingSecret()): PreferenceScope | null {
  const data = readToken(PURPOSE, token, secret);
  if (!data || typeof data.o !== "string" || !isUuid(data.o) || typeof data.e !== "string" || (data.a !== "buyer" && data.a !== "seller")) return null;
  return { orgId: data.o, email: data.e, audience: data.a };
}

export function preferencesUrl(baseUrl: string, scope: PreferenceScope): string {
  return `${baseUrl}/email-preferences/${signPreferenceToken(scope)}`;
}

export async function getPreferences(db: Conn, orgId: string, email: string): Promise<PreferenceState | null> {
  const row = await db
    .selectFrom("notification_preferences")
    .select(["choices", "unsubscribed_all"])
    .where("org_id", "=", orgId)
    .where("email", "=", email.toLowerCase())
    .executeTakeFirst();
  return row ? { choices: cleanChoices(row.choices), unsubscribedAll: row.unsubscribed_all } : null;
}

/** Preferences of several people at once (they may be in different organisations), keyed `orgId email`. */
export async function getPreferencesOf(db: Conn, people: ReadonlyArray<{ orgId: string; email: string }>): Promise<Map<string, PreferenceState>> {
  const out = new Map<string, PreferenceState>();
  if (!people.length) return out;
  const rows = await db
    .selectFrom("notification_preferences")
    .select(["org_id", "email", "choices", "unsubscribed_all"])
    .where((eb) => eb.or(people.map((p) => eb.and([eb("org_id", "=", p.orgId), eb("email", "=", p.email.toLowerCase())]))))
    .execute();
  for (const row of rows) out.set(preferenceKey(row.org_id, row.email), { choices: cleanChoices(row.choices), unsubscribedAll: row.unsubscribed_all });
  return out;
}

export function preferenceKey(orgId: string, email: string) {
  return `${orgId} ${email.toLowerCase()}`;
}

export async function savePreferences(db: Conn, orgId: string, email: string, state: PreferenceState, now = new Date()) {
  await db
    .insertInto("notification_preferences")
    .values({ org_id: orgId, email: email.toLowerCase(), choices: JSON.stringify(state.choices), unsubscribed_all: state.unsubscribedAll, updated_at: now })
    .onConflict((oc) =>
      oc.columns(["org_id", "email"]).doUpdateSet({ choices: JSON.stringify(state.choices), unsubscribed_all: state.unsubscribedAll, updated_at: now }),
    )
    .execute();
}

/** One click in the mail client: nothing more is sent to this address by this organisation. */
export async function unsubscribeAll(db: Conn, orgId: string, email: string, now = new Date()) {
  await db
    .insertInto("notification_preferences")
    .values({ org_id: orgId, email: email.toLowerCase(), choices: "{}", unsubscribed_all: true, updated_at: now })
    .onConflict((oc) => oc.columns(["org_id", "email"]).doUpdateSet({ unsubscribed_all: true, updated_at: now }))
    .execute();
}
