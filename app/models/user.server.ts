import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DB, Role, User } from "../../db/types";
import { isUniqueViolation } from "./unique-violation.server";
import type { Conn } from "./conn";


export type PublicUser = Omit<User, "password_hash">;

const publicColumns = ["org_id", "id", "email", "name", "role", "manager_id", "created_at"] as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The account an address signs in to: each address holds one account at most (ADR 019). */
export async function findLoginAccount(db: Conn, email: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
}

/** Creating an account for an address that already holds one, in this organisation or another. */
export class EmailInUseError extends Error {
  constructor(readonly email: string) {
    super(`${email} already has an account.`);
    this.name = "EmailInUseError";
  }
}

/** Throws EmailInUseError when the address already holds an account anywhere (inside a transaction, that ends it). */
export async function createUser(
  db: Conn,
  input: { orgId: string; email: string; name: string; role: Role; managerId?: string | null; passwordHash: string },
): Promise<PublicUser> {
  return db
    .insertInto("users")
    .values({
      org_id: input.orgId,
      email: normaliseEmail(input.email),
      name: input.name.trim(),
      role: input.role,
      manager_id: input.managerId ?? null,
      password_hash: input.passwordHash,
    })
    .returning(publicColumns)
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      throw isUniqueViolation(error, ["users_email_key", "users_org_id_email_key"]) ? new EmailInUseError(normaliseEmail(input.email)) : error;
    });
}

export async function listUsers(db: Conn, orgId: string): Promise<PublicUser[]> {
  return db.selectFrom("users").select(publicColumns).where("org_id", "=", orgId).orderBy("name").execute();
}

export async function getUser(db: Conn, orgId: string, userId: string): Promise<PublicUser | undefined> {
  return db
    .selectFrom("users")
    .select(publicColumns)
    .where("org_id", "=", orgId)
    .where("id", "=", userId)
    .executeTakeFirst();
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
 * Changes a teammate's role and manager. Refuses a manager who reports (directly or not) to the
 * teammate: the team tree must stay a tree.
 */
export async function updateUserRoleAndManager(
  db: Kysely<DB>,
  input: { orgId: string; userId: string; role: Role; managerId: string | null },
): Promise<{ ok: true } | { ok: false; message: string }> {
  return db.transaction().execute(async (trx) => {
    if (input.managerId) {
      if (input.managerId === input.userId) return { ok: false as const, message: "Someone cannot be their own manager." };
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
