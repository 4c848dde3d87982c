/*
 * The only module that knows about lucia (v3; see docs/decisions/002-lucia-sessions.md for how to
 * replace it). Everything else asks this module for the signed-in user.
 */
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { Kysely } from "kysely";
import type { DB, Role } from "../../db/types";
import { tenantTokenLookup } from "~/domain/tenant-token";
import { PREPARED } from "~/infra/prepared-statements.server";
import { hashToken, newLinkToken } from "~/infra/secret-tokens.server";

export const SESSION_IDLE_DAYS = 14;
export const SESSION_ABSOLUTE_DAYS = 30;

/**
 * A session id is a link token (the organisation, then the secret), so its lookup reads one
 * organisation's rows. Before migration 029 they were lucia's own ids (25 random bytes in base32),
 * found by their hash alone: those are all gone SESSION_ABSOLUTE_DAYS after the upgrade (ADR 030).
 */
const LEGACY_SESSION_ID = /^[a-z2-7]{40}$/;
const sessionLookup = (sessionId: string) => tenantTokenLookup(sessionId, LEGACY_SESSION_ID);

export interface SessionUser {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  managerId: string | null;
  /** The organisation's settings every signed-in page needs, read with the session (no extra query). */
  organisation: SessionOrganisation;
}

export interface SessionOrganisation {
  name: string;
  timeZone: string;
  fiscalYearStartMonth: number;
}

/** The time now, as the session code sees it: the real clock, or one a test injects. */
export type Clock = () => Date;

/*
 * Lucia reads the real clock (Date.now()) for the idle timeout and its extension; the adapter can be
 * given another clock. Times cross between the two shifted by the difference, so lucia's rules run on
 * the injected clock too. With the real clock the shift is zero.
 */
export class KyselySessionAdapter implements Adapter {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: Clock = () => new Date(),
  ) {}

  /** Injected time minus lucia's time, in ms. */
  private skew(): number {
    return this.now().getTime() - Date.now();
  }

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const lookup = sessionLookup(sessionId);
    if (!lookup) return [null, null];
    const row = await this.db
      .selectFrom("sessions as s")
      // Every signed-in request runs this one: keep its plan (a fixed shape, see the module).
      .modifyFront(PREPARED)
      .innerJoin("users as u", (j) => j.onRef("u.org_id", "=", "s.org_id").onRef("u.id", "=", "s.user_id"))
      .innerJoin("organisations as o", "o.id", "s.org_id")
      .select([
        "s.expires_at",
        "s.org_id",
        "s.created_at",
        "u.id as user_id",
        "u.email",
        "u.name",
        "u.role",
        "u.manager_id",
        "o.name as org_name",
        "o.time_zone as org_time_zone",
        "o.fiscal_year_start_month as org_fiscal_year_start_month",
      ])
      .$if(lookup.orgId !== null, (q) => q.where("s.org_id", "=", lookup.orgId!))
      .where("s.id", "=", hashToken(sessionId))
      // A deactivated user's sessions are deleted with the deactivation; this keeps any that raced it out too (ADR 021).
      .where("u.deactivated_at", "is", null)
      // The absolute timeout: however active, a session ends this long after login.
      .where("s.created_at", ">", new Date(this.now().getTime() - SESSION_ABSOLUTE_DAYS * 86_400_000))
      .executeTakeFirst();
    if (!row) return [null, null];
    return [
      { id: sessionId, userId: row.user_id, expiresAt: new Date(new Date(row.expires_at).getTime() - this.skew()), attributes: { org_id: row.org_id } },
      {
        id: row.user_id,
        attributes: {
          org_id: row.org_id,
          email: row.email,
          name: row.name,
          role: row.role,
          manager_id: row.manager_id,
          organisation: { name: row.org_name, timeZone: row.org_time_zone, fiscalYearStartMonth: row.org_fiscal_year_start_month },
        },
      },
    ];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.db.selectFrom("sessions").selectAll().where("user_id", "=", userId).execute();
    // Only hashes are stored: the ids returned here cannot be used as cookies.
    return rows.map((r) => ({ id: r.id, userId: r.user_id, expiresAt: r.expires_at, attributes: { org_id: r.org_id } }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db
      .insertInto("sessions")
      .values({
        id: hashToken(session.id),
        user_id: session.userId,
        org_id: session.attributes.org_id,
        expires_at: new Date(session.expiresAt.getTime() + this.skew()),
        created_at: this.now(),
      })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    const lookup = sessionLookup(sessionId);
    if (!lookup) return;
    await this.db
      .updateTable("sessions")
      .set({ expires_at: new Date(expiresAt.getTime() + this.skew()) })
      .$if(lookup.orgId !== null, (q) => q.where("org_id", "=", lookup.orgId!))
      .where("id", "=", hashToken(sessionId))
      .execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    const lookup = sessionLookup(sessionId);
    if (!lookup) return;
    await this.db
      .deleteFrom("sessions")
      .$if(lookup.orgId !== null, (q) => q.where("org_id", "=", lookup.orgId!))
      .where("id", "=", hashToken(sessionId))
      .execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db.deleteFrom("sessions").where("expires_at", "<=", this.now()).execute();
  }
}

export function createLucia(db: Kysely<DB>, { secureCookies, now }: { secureCookies: boolean; now?: Clock }) {
  return new Lucia(new KyselySessionAdapter(db, now), {
    sessionExpiresIn: new TimeSpan(SESSION_IDLE_DAYS, "d"),
    sessionCookie: {
      // The __Host- prefix pins the cookie to this host over HTTPS; browsers refuse it over http.
      name: secureCookies ? "__Host-pt_session" : "pt_session",
      attributes: { secure: secureCookies, sameSite: "lax", path: "/" },
    },
    getSessionAttributes: (a) => ({ orgId: a.org_id }),
    getUserAttributes: (a) => ({
      orgId: a.org_id,
      email: a.email,
      name: a.name,
      role: a.role,
      managerId: a.manager_id,
      organisation: a.organisation,
    }),
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    DatabaseSessionAttributes: { org_id: string };
    DatabaseUserAttributes: { org_id: string; email: string; name: string; role: Role; manager_id: string | null; organisation: SessionOrganisation };
  }
}

export interface Authenticated {
  user: SessionUser | null;
  /** Set-Cookie values to send back (a refreshed or a blanked cookie), if any. */
  setCookies: string[];
}

/** Reads the session cookie: refreshes it when lucia extended the session, blanks it when dead. */
export async function authenticate(lucia: AppLucia, cookieHeader: string | undefined): Promise<Authenticated> {
  const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { user: null, setCookies: [] };
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session) return { user: null, setCookies: [lucia.createBlankSessionCookie().serialize()] };
  const setCookies = session.fresh ? [lucia.createSessionCookie(session.id).serialize()] : [];
  return { user: { ...user }, setCookies };
}

/** Starts a new session (a new id at every login, so a planted cookie is worthless). */
export async function startSession(lucia: AppLucia, user: { id: string; org_id: string }): Promise<string> {
  const session = await lucia.createSession(user.id, { org_id: user.org_id }, { sessionId: newLinkToken(user.org_id) });
  return lucia.createSessionCookie(session.id).serialize();
}

export async function endSession(lucia: AppLucia, cookieHeader: string | null): Promise<string> {
  const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
  if (sessionId) await lucia.invalidateSession(sessionId);
  return lucia.createBlankSessionCookie().serialize();
}
