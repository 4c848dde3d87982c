import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB, Role, User } from "../../db/types";
import { cancelOpenAccountTokens } from "~/models/account-tokens.server";
import { revokeApiTokensCreatedBy } from "~/models/api-tokens.server";
import { revokeRepFeeds } from "~/models/calendar-feed.server";
import type { Conn } from "~/models/conn";
import { createOrganisation } from "~/models/organisation.server";
import { isUniqueViolation } from "~/models/unique-violation.server";

export type PublicUser = Omit<User, "password_hash">;

const publicColumns = ["org_id", "id", "email", "name", "role", "manager_id", "created_at", "deactivated_at"] as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The account an address signs in to: each address holds one account at most (ADR 019). A
 * deactivated account is none: its right password gets the same answer as a wrong one (ADR 021).
 */
export async function findLoginAccount(db: Conn, email: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", normaliseEmail(email)).where("deactivated_at", "is", null).executeTakeFirst();
}

/** Creating an account for an address that already holds one, in this organisation or another. */
export class EmailInUseError extends Error {
  constructor(readonly email: string) {
    super(`${email} already has an account.`);
    this.name = "EmailInUseError";
  }
}

/** Throws EmailInUseError when the address already holds an account anywhere (inside a transaction, that ends it). */
/** A new organisation with its first admin, in one transaction (sign-up). */
export async function createOrganisationWithAdmin(db: Kysely<DB>, input: { organisation: string; email: string; name: string; passwordHash: string }) {
  return db.transaction().execute(async (trx) => {
    const org = await createOrganisation(trx, { name: input.organisation });
    return createUser(trx, { orgId: org.id, email: input.email, name: input.name, role: "admin", passwordHash: input.passwordHash });
  });
}

export async function createUser(
  db: Conn,
  /** `passwordHash: null`: an invited teammate, who cannot sign in until they set one (ADR 020). */
  input: { orgId: string; email: string; name: string; role: Role; managerId?: string | null; passwordHash: string | null },
): Promise<PublicUser> {
  const email = normaliseEmail(input.email);
  // The address is claimed in account_emails with the user, in one transaction (ADR 030).
  const insert = async (trx: Transaction<DB>) => {
    const user = await trx
      .insertInto("users")
      .values({ org_id: input.orgId, email, name: input.name.trim(), role: input.role, manager_id: input.managerId ?? null, password_hash: input.passwordHash })
      .returning(publicColumns)
      .executeTakeFirstOrThrow();
    await trx.insertInto("account_emails").values({ email, org_id: user.org_id, user_id: user.id }).execute();
    return user;
  };
  return (db.isTransaction ? insert(db as Transaction<DB>) : db.transaction().execute(insert)).catch((error: unknown) => {
    throw isUniqueViolation(error, ["account_emails_pkey", "users_org_id_email_key"]) ? new EmailInUseError(email) : error;
  });
}

export async function listUsers(db: Conn, orgId: string): Promise<PublicUser[]> {
  return db.selectFrom("users").select(publicColumns).where("org_id", "=", orgId).orderBy("name").execute();
}

/**
 * The ids of a manager and everyone reporting to them, directly or through other managers, as a
 * subquery the callers inline (`= any(array(…))`, `in (…)`), so a scoped page stays one statement.
 */
export function teamIdsQuery(orgId: string, managerId: string): RawBuilder<{ id: string }> {
  return sql<{ id: string }>`with recursive team(id) as (
      select id from users where org_id = ${orgId} and id = ${managerId}
      union
      select u.id from users u join team t on u.manager_id = t.id where u.org_id = ${orgId}
    )
    select id from team`;
}

/** The user and everyone who reports to them, directly or through other managers. */
export async function teamMemberIds(db: Conn, orgId: string, managerId: string): Promise<string[]> {
  const result = await teamIdsQuery(orgId, managerId).execute(db);
  return result.rows.map((r) => r.id);
}

/**
 * Locks the organisation's active administrators (in id order, so two callers cannot deadlock)
 * and returns their ids as they are once the lock is held: a change that could leave the
 * organisation without one (deactivating, demoting) decides on what is true at commit.
 */
async function lockActiveAdmins(trx: Transaction<DB>, orgId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom("users")
    .select("id")
    .where("org_id", "=", orgId)
    .where("role", "=", "admin")
    .where("deactivated_at", "is", null)
    .orderBy("id")
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Changes a teammate's role and manager. Refuses a manager who reports (directly or not) to the
 * teammate: the team tree must stay a tree. A deactivated person cannot be picked as a manager
 * (someone who already reports to them keeps the link until the admin picks another), and the
 * last active administrator keeps their role.
 */
export async function updateUserRoleAndManager(
  db: Kysely<DB>,
  input: { orgId: string; userId: string; role: Role; managerId: string | null },
): Promise<{ ok: true } | { ok: false; message: string }> {
  return db.transaction().execute(async (trx) => {
    const admins = await lockActiveAdmins(trx, input.orgId);
    const target = await trx
      .selectFrom("users")
      .select(["name", "manager_id", "deactivated_at"])
      .where("org_id", "=", input.orgId)
      .where("id", "=", input.userId)
      .executeTakeFirst();
    if (!target) return { ok: false as const, message: "Pick a role and a manager from the lists." };
    if (target.deactivated_at) return { ok: false as const, message: `${target.name} is deactivated: reactivate them first.` };
    if (input.role !== "admin" && admins.length === 1 && admins[0] === input.userId) {
      return { ok: false as const, message: `${target.name} is the organisation's last active administrator; make someone else an administrator first.` };
    }
    if (input.managerId) {
      if (input.managerId === input.userId) return { ok: false as const, message: "Someone cannot be their own manager." };
      const manager = await trx
        .selectFrom("users")
        .select(["name", "deactivated_at"])
        .where("org_id", "=", input.orgId)
        .where("id", "=", input.managerId)
        .executeTakeFirst();
      if (!manager) return { ok: false as const, message: "Pick a role and a manager from the lists." };
      // Keeping a departed manager is allowed (saving the role alone must not drop the link); picking one is not.
      if (manager.deactivated_at && input.managerId !== target.manager_id) {
        return { ok: false as const, message: `${manager.name} is deactivated; pick an active manager.` };
      }
      const reports = await teamMemberIds(trx, input.orgId, input.userId);
      if (reports.includes(input.managerId)) {
        return { ok: false as const, message: "That manager reports to this person; pick someone above them instead." };
      }
    }
    await trx
      .updateTable("users")
      .set({ role: input.role, manager_id: input.managerId })
      .where("org_id", "=", input.orgId)
      .where("id", "=", input.userId)
      .execute();
    return { ok: true as const };
  });
}

export type DeactivateResult =
  { ok: true; name: string; alreadyDeactivated: boolean; sessionsEnded: number; tokensRevoked: number } | { ok: false; message: string };

/**
 * Deactivates a teammate in one transaction (ADR 021): marks them, deletes every session of theirs
 * (a cookie they still hold opens nothing from the next request on), revokes the API tokens they
 * created and their calendar feed. Their plans, comments and log entries stay; an admin hands the
 * plans over separately. Refuses the actor themselves and the last active administrator.
 */
export async function deactivateUser(db: Kysely<DB>, input: { orgId: string; userId: string; actorId: string; now: Date }): Promise<DeactivateResult> {
  if (input.userId === input.actorId) return { ok: false, message: "You cannot deactivate yourself; ask another administrator." };
  return db.transaction().execute(async (trx): Promise<DeactivateResult> => {
    const admins = await lockActiveAdmins(trx, input.orgId);
    // The actor may have been deactivated or demoted by another admin a moment ago.
    if (!admins.includes(input.actorId)) return { ok: false, message: "Only an active administrator can deactivate people." };
    const target = await trx
      .selectFrom("users")
      .select(["name", "role", "deactivated_at"])
      .where("org_id", "=", input.orgId)
      .where("id", "=", input.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!target) return { ok: false, message: "That person is not in your organisation." };
    if (target.deactivated_at) return { ok: true, name: target.name, alreadyDeactivated: true, sessionsEnded: 0, tokensRevoked: 0 };
    if (target.role === "admin" && admins.filter((id) => id !== input.userId).length === 0) {
      return { ok: false, message: `${target.name} is the last active administrator; make someone else an administrator first.` };
    }
    await trx.updateTable("users").set({ deactivated_at: input.now }).where("org_id", "=", input.orgId).where("id", "=", input.userId).execute();
    const sessions = await trx.deleteFrom("sessions").where("org_id", "=", input.orgId).where("user_id", "=", input.userId).executeTakeFirst();
    const tokensRevoked = await revokeApiTokensCreatedBy(trx, input.orgId, input.userId, input.now);
    await revokeRepFeeds(trx, input.orgId, input.userId, input.now);
    // A reset or invitation link still in an inbox must not set a password for a departed person.
    await cancelOpenAccountTokens(trx, input.orgId, input.userId, input.now);
    return { ok: true, name: target.name, alreadyDeactivated: false, sessionsEnded: Number(sessions.numDeletedRows), tokensRevoked };
  });
}

/** Lets a deactivated teammate sign in again (with their old password). Revoked tokens stay revoked. */
export async function reactivateUser(db: Conn, input: { orgId: string; userId: string }): Promise<{ ok: true; name: string } | { ok: false; message: string }> {
  const row = await db
    .updateTable("users")
    .set({ deactivated_at: null })
    .where("org_id", "=", input.orgId)
    .where("id", "=", input.userId)
    .returning("name")
    .executeTakeFirst();
  return row ? { ok: true, name: row.name } : { ok: false, message: "That person is not in your organisation." };
}

/** The stored hash (null: invited, no password yet), for checking a current password. */
export async function getPasswordHash(db: Conn, orgId: string, userId: string): Promise<string | null | undefined> {
  const row = await db.selectFrom("users").select("password_hash").where("org_id", "=", orgId).where("id", "=", userId).executeTakeFirst();
  return row?.password_hash;
}
