import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Role, User } from "../../db/types";

type Conn = Kysely<DB> | Transaction<DB>;

export type PublicUser = Omit<User, "password_hash">;

const publicColumns = ["org_id", "id", "email", "name", "role", "manager_id", "created_at"] as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Email is unique per organisation, so one address may hold accounts in several. */
export async function findLoginCandidates(db: Conn, email: string): Promise<User[]> {
  return db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", normaliseEmail(email))
    .orderBy("created_at")
    .execute();
}

export async function createUser(
  db: Conn,
  /** `passwordHash: null`: an invited teammate, who cannot sign in until they set one (ADR 020). */
  input: { orgId: string; email: string; name: string; role: Role; managerId?: string | null; passwordHash: string | null },
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
    .executeTakeFirstOrThrow();
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

/** The user and everyone who reports to them, directly or through other managers. */
export async function teamMemberIds(db: Conn, orgId: string, managerId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive team(id) as (
      select id from users where org_id = ${orgId} and id = ${managerId}
      union
      select u.id from users u join team t on u.manager_id = t.id where u.org_id = ${orgId}
    )
    select id from team`.execute(db);
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

/** The stored hash (null: invited, no password yet), for checking a current password. */
export async function getPasswordHash(db: Conn, orgId: string, userId: string): Promise<string | null | undefined> {
  const row = await db.selectFrom("users").select("password_hash").where("org_id", "=", orgId).where("id", "=", userId).executeTakeFirst();
  return row?.password_hash;
}
