import type { Kysely, Transaction } from "kysely";
import type { DB, SsoEventKind, User } from "../../db/types";
import { emailDomain, type SsoRole, type SsoSettings } from "~/domain/sso";
import { openSecret, sealSecret } from "~/infra/secret-box.server";
import type { Conn } from "~/models/conn";
import { isUniqueViolation } from "~/models/unique-violation.server";
import { createUser, EmailInUseError, normaliseEmail } from "~/models/user.server";

/*
 * An organisation's OpenID Connect identity provider (ADR 044): its settings, which email domains
 * sign in through it, the people it creates on their first sign-in, and its log.
 */

const SECRET_PURPOSE = "sso-client-secret";

export interface SsoConnectionView {
  issuer: string;
  clientId: string;
  /** Only whether one is stored: the secret itself is never read back to a page. */
  hasSecret: boolean;
  domains: string[];
  required: boolean;
  defaultRole: SsoRole;
  updatedAt: Date;
}

/** `clientSecret` null: the stored secret cannot be opened (the signing secret was changed), the admin enters it again. */
export type SsoClientSettings = SsoSettings & { orgId: string };

/** The organisation's provider row and its domains (in order), or undefined without SSO. */
async function readSso(db: Conn, orgId: string) {
  const row = await db.selectFrom("sso_connections").selectAll().where("org_id", "=", orgId).executeTakeFirst();
  if (!row) return undefined;
  const domains = await db.selectFrom("sso_domains").select("domain").where("org_id", "=", orgId).orderBy("domain").execute();
  return { row, domains: domains.map((d) => d.domain) };
}

export async function getSsoConnection(db: Conn, orgId: string): Promise<SsoConnectionView | undefined> {
  const sso = await readSso(db, orgId);
  if (!sso) return undefined;
  const { row, domains } = sso;
  return {
    issuer: row.issuer,
    clientId: row.client_id,
    hasSecret: row.client_secret_encrypted !== "",
    domains,
    required: row.required,
    defaultRole: row.default_role,
    updatedAt: row.updated_at,
  };
}

/** What signing in needs, secret opened; undefined when the organisation has no SSO. */
export async function getSsoClientSettings(db: Conn, orgId: string): Promise<SsoClientSettings | undefined> {
  const sso = await readSso(db, orgId);
  if (!sso) return undefined;
  const { row, domains } = sso;
  return {
    orgId,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecret: openSecret(SECRET_PURPOSE, row.client_secret_encrypted),
    domains,
    required: row.required,
    defaultRole: row.default_role,
  };
}

/** The organisation an address's domain signs in to with SSO. Two reads by key (on Citus, one shard each). */
export async function findSsoForEmail(db: Conn, email: string): Promise<{ orgId: string; required: boolean } | undefined> {
  const domain = emailDomain(normaliseEmail(email));
  if (!domain) return undefined;
  const held = await db.selectFrom("sso_domains").select("org_id").where("domain", "=", domain).executeTakeFirst();
  if (!held) return undefined;
  const row = await db.selectFrom("sso_connections").select("required").where("org_id", "=", held.org_id).executeTakeFirst();
  return row ? { orgId: held.org_id, required: row.required } : undefined;
}

/** Whether the organisation has switched passwords off (SSO mandatory). */
export async function ssoRequired(db: Conn, orgId: string): Promise<boolean> {
  const row = await db.selectFrom("sso_connections").select("required").where("org_id", "=", orgId).executeTakeFirst();
  return row?.required ?? false;
}

export async function recordSsoEvent(db: Conn, input: { orgId: string; kind: SsoEventKind; actorName: string; detail?: string; now: Date }) {
  await db
    .insertInto("sso_events")
    .values({ org_id: input.orgId, kind: input.kind, actor_name: input.actorName.slice(0, 200), detail: (input.detail ?? "").slice(0, 500), at: input.now })
    .execute();
}

export interface SsoEventView {
  id: string;
  at: Date;
  kind: SsoEventKind;
  actorName: string;
  detail: string;
}

export async function listSsoEvents(db: Conn, orgId: string, limit = 30): Promise<SsoEventView[]> {
  const rows = await db
    .selectFrom("sso_events")
    .select(["id", "at", "kind", "actor_name", "detail"])
    .where("org_id", "=", orgId)
    .orderBy("at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, at: r.at, kind: r.kind, actorName: r.actor_name, detail: r.detail }));
}

/** A domain another organisation already signs in with. */
export class SsoDomainTakenError extends Error {
  constructor(readonly domain: string) {
    super(`${domain} already signs in to another organisation.`);
    this.name = "SsoDomainTakenError";
  }
}

/**
 * Saves the organisation's provider and domains in one transaction, with its log entry. An empty
 * secret keeps the stored one. Throws SsoDomainTakenError when a domain belongs to another
 * organisation.
 */
export async function saveSsoConnection(db: Kysely<DB>, input: { orgId: string; settings: SsoSettings; actorName: string; now: Date }): Promise<void> {
  const { orgId, settings } = input;
  await db.transaction().execute(async (trx) => {
    const sealed = settings.clientSecret === null ? null : sealSecret(SECRET_PURPOSE, settings.clientSecret);
    const values = {
      issuer: settings.issuer,
      client_id: settings.clientId,
      required: settings.required,
      default_role: settings.defaultRole,
      updated_at: input.now,
    };
    if (sealed === null) {
      const updated = await trx.updateTable("sso_connections").set(values).where("org_id", "=", orgId).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw new Error("No client secret is stored: one must be given.");
    } else {
      await trx
        .insertInto("sso_connections")
        .values({ org_id: orgId, ...values, client_secret_encrypted: sealed })
        .onConflict((oc) => oc.column("org_id").doUpdateSet({ ...values, client_secret_encrypted: sealed }))
        .execute();
    }
    await replaceDomains(trx, orgId, settings.domains);
    const detail = [
      `issuer ${settings.issuer}`,
      `client ${settings.clientId}`,
      `domains ${settings.domains.join(", ")}`,
      settings.required ? "SSO mandatory (passwords off)" : "passwords still allowed",
      `new people join as ${settings.defaultRole}`,
      sealed ? "client secret replaced" : "client secret kept",
    ].join("; ");
    await recordSsoEvent(trx, { orgId, kind: "configured", actorName: input.actorName, detail, now: input.now });
  });
}

async function replaceDomains(trx: Transaction<DB>, orgId: string, domains: string[]) {
  const held = await trx.selectFrom("sso_domains").select("domain").where("org_id", "=", orgId).execute();
  const keep = new Set(domains);
  const gone = held.map((h) => h.domain).filter((d) => !keep.has(d));
  // Each by its key (the table is keyed by domain on Citus).
  for (const domain of gone) await trx.deleteFrom("sso_domains").where("domain", "=", domain).where("org_id", "=", orgId).execute();
  const have = new Set(held.map((h) => h.domain));
  for (const domain of domains.filter((d) => !have.has(d))) {
    // Another organisation's domain: the key refuses it (the transaction then rolls back whole).
    try {
      await trx.insertInto("sso_domains").values({ domain, org_id: orgId }).execute();
    } catch (error) {
      throw isUniqueViolation(error, ["sso_domains_pkey"]) ? new SsoDomainTakenError(domain) : error;
    }
  }
}

/** Turns SSO off for the organisation: passwords work again. A no-op (and no log entry) when none was set. */
export async function removeSsoConnection(db: Kysely<DB>, input: { orgId: string; actorName: string; now: Date }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom("sso_connections").where("org_id", "=", input.orgId).executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0) return false;
    await replaceDomains(trx, input.orgId, []);
    await recordSsoEvent(trx, {
      orgId: input.orgId,
      kind: "removed",
      actorName: input.actorName,
      detail: "single sign-on turned off; passwords work again",
      now: input.now,
    });
    return true;
  });
}

export type SsoAccountOutcome = { ok: true; user: Pick<User, "id" | "org_id">; created: boolean } | { ok: false; message: string };

/**
 * The account an identity provider's verified address signs in to: the organisation's own one, or
 * a new one with the provider's default role (just-in-time, no password). Refuses an address that
 * holds an account in another organisation, and a deactivated account (deactivation wins over the
 * identity provider: an admin reactivates in the portal).
 */
export async function ssoAccount(db: Kysely<DB>, input: { orgId: string; email: string; name: string; role: SsoRole; now: Date }): Promise<SsoAccountOutcome> {
  const email = normaliseEmail(input.email);
  const attempt = () =>
    db.transaction().execute(async (trx): Promise<SsoAccountOutcome> => {
      const held = await trx.selectFrom("account_emails").select(["org_id", "user_id"]).where("email", "=", email).executeTakeFirst();
      if (held && held.org_id !== input.orgId) {
        await recordSsoEvent(trx, {
          orgId: input.orgId,
          kind: "refused",
          actorName: email,
          detail: "the address has an account in another organisation",
          now: input.now,
        });
        return { ok: false, message: `${email} already has an account in another organisation; ask your administrator.` };
      }
      if (held) {
        const user = await trx
          .selectFrom("users")
          .select(["id", "org_id", "deactivated_at"])
          .where("org_id", "=", held.org_id)
          .where("id", "=", held.user_id)
          .executeTakeFirstOrThrow();
        if (user.deactivated_at) {
          await recordSsoEvent(trx, { orgId: input.orgId, kind: "refused", actorName: email, detail: "the account is deactivated", now: input.now });
          return { ok: false, message: "Your account has been deactivated; ask your administrator to reactivate it." };
        }
        await recordSsoEvent(trx, { orgId: input.orgId, kind: "signed-in", actorName: email, now: input.now });
        return { ok: true, user: { id: user.id, org_id: user.org_id }, created: false };
      }
      const user = await createUser(trx, { orgId: input.orgId, email, name: input.name, role: input.role, passwordHash: null });
      await recordSsoEvent(trx, { orgId: input.orgId, kind: "created", actorName: email, detail: `first sign-in: joined as ${input.role}`, now: input.now });
      return { ok: true, user: { id: user.id, org_id: user.org_id }, created: true };
    });
  try {
    return await attempt();
  } catch (error) {
    // Two first sign-ins of one person at once: the second finds the account the first created.
    if (error instanceof EmailInUseError) return attempt();
    throw error;
  }
}
