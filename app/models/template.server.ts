import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Role, Template } from "../../db/types";
import { checkTemplateGraph } from "~/domain/template-graph";
import type { TemplateMilestoneInput } from "~/domain/template-rows";
import { isUniqueViolation } from "~/models/unique-violation.server";
import type { Conn } from "~/models/conn";

export type { TemplateMilestoneInput };

/*
 * Templates: named lists of milestones with finish-to-start dependencies, copied into a plan when
 * a rep starts one. Every query filters by org_id; another organisation's template does not exist.
 */

// ---------------------------------------------------------------------------------------------
// Who may do what
// ---------------------------------------------------------------------------------------------

/** Reps, managers and admins all start plans, so all of them may create and import templates. */
export function canCreateTemplates(user: { role: Role }): boolean {
  return user.role === "rep" || user.role === "manager" || user.role === "admin";
}

/** The author, managers and admins may change or delete a template; everyone else may use it. */
export function canEditTemplate(user: { id: string; role: Role }, template: { created_by: string | null }): boolean {
  return user.role === "admin" || user.role === "manager" || (template.created_by !== null && template.created_by === user.id);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export class TemplateNameTakenError extends Error {
  constructor(readonly templateName: string) {
    super(templateNameTakenMessage(templateName));
    this.name = "TemplateNameTakenError";
  }
}

export function templateNameTakenMessage(name: string): string {
  return `A template named “${name}” already exists. Choose another name.`;
}

export function isTemplateNameTaken(error: unknown): boolean {
  return error instanceof TemplateNameTakenError || isUniqueViolation(error, ["templates_org_id_name_key"]);
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export async function listTemplates(db: Conn, orgId: string) {
  return (
    db
      .selectFrom("templates as t")
      .leftJoin("template_milestones as m", (j) => j.onRef("m.org_id", "=", "t.org_id").onRef("m.template_id", "=", "t.id"))
      .select(["t.id", "t.name", "t.description", "t.updated_at", "t.created_by"])
      // count() is a bigint: cast so both drivers give a number.
      .select(sql<number>`cast(count(m.id) as integer)`.as("milestone_count"))
      .where("t.org_id", "=", orgId)
      .groupBy(["t.id", "t.name", "t.description", "t.updated_at", "t.created_by"])
      .orderBy(sql`lower(t.name)`)
      .orderBy("t.name")
      .execute()
  );
}

export async function getTemplateWithMilestones(db: Conn, orgId: string, templateId: string) {
  const template = await db.selectFrom("templates").selectAll().where("org_id", "=", orgId).where("id", "=", templateId).executeTakeFirst();
  if (!template) return undefined;
  const milestones = await db
    .selectFrom("template_milestones")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("template_id", "=", templateId)
    .orderBy("position")
    .execute();
  const dependencies = await db
    .selectFrom("template_dependencies")
    .select(["milestone_id", "depends_on_id"])
    .where("org_id", "=", orgId)
    .where("template_id", "=", templateId)
    .execute();
  return { template, milestones, dependencies };
}

/**
 * A template's "version" for optimistic concurrency: its updated_at to the microsecond, as text
 * (a JS Date would drop the microseconds and never match again).
 */
const versionOf = sql<string>`to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/** Everything the template page shows: the template, its author's name, milestones and edges. */
export async function getTemplateDetail(db: Conn, orgId: string, templateId: string) {
  const found = await getTemplateWithMilestones(db, orgId, templateId);
  if (!found) return undefined;
  const extra = await db
    .selectFrom("templates as t")
    .leftJoin("users as u", (j) => j.onRef("u.org_id", "=", "t.org_id").onRef("u.id", "=", "t.created_by"))
    .select(["u.name as created_by_name"])
    .select(sql<string>`to_char(t.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`.as("version"))
    .where("t.org_id", "=", orgId)
    .where("t.id", "=", templateId)
    .executeTakeFirstOrThrow();
  return { ...found, createdByName: extra.created_by_name, version: extra.version };
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

async function assertNameFree(trx: Conn, orgId: string, name: string, exceptId?: string) {
  let query = trx
    .selectFrom("templates")
    .select("id")
    .where("org_id", "=", orgId)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) query = query.where("id", "<>", exceptId);
  // Names differing only in case would be two "Enterprise purchase" in a picker: refuse them too.
  if (await query.executeTakeFirst()) throw new TemplateNameTakenError(name);
}

/** Inserts milestones (in order: position = index) and their dependencies, resolved by key. */
async function insertMilestones(trx: Transaction<DB>, orgId: string, templateId: string, milestones: TemplateMilestoneInput[]) {
  const problems = checkTemplateGraph(milestones);
  if (problems.length > 0) throw new Error(`Invalid template graph: ${problems.map((p) => p.message).join("; ")}`);
  if (milestones.length === 0) return;
  const rows = await trx
    .insertInto("template_milestones")
    .values(
      milestones.map((m, position) => ({
        org_id: orgId,
        template_id: templateId,
        title: m.title,
        description: m.description ?? "",
        owner_side: m.ownerSide,
        duration_days: m.durationDays,
        lag_days: m.lagDays ?? 0,
        is_close: m.isClose ?? false,
        position,
      })),
    )
    .returning(["id", "position"])
    .execute();
  const idByKey = new Map<string, string>();
  for (const row of rows) idByKey.set(milestones[row.position].key, row.id);
  const deps = milestones.flatMap((m) =>
    [...new Set(m.dependsOn ?? [])].map((key) => {
      const dependsOnId = idByKey.get(key);
      if (!dependsOnId) throw new Error(`Template milestone "${m.title}" depends on unknown "${key}"`);
      return { org_id: orgId, template_id: templateId, milestone_id: idByKey.get(m.key)!, depends_on_id: dependsOnId };
    }),
  );
  if (deps.length > 0) await trx.insertInto("template_dependencies").values(deps).execute();
}

export interface NewTemplateInput {
  orgId: string;
  name: string;
  description?: string;
  createdBy?: string | null;
  milestones: TemplateMilestoneInput[];
}

/**
 * Creates a template with its milestones inside the caller's transaction. Throws
 * TemplateNameTakenError when the organisation already has a template of that name (any case).
 */
export async function createTemplate(trx: Transaction<DB>, input: NewTemplateInput) {
  await assertNameFree(trx, input.orgId, input.name);
  const template = await trx
    .insertInto("templates")
    .values({ org_id: input.orgId, name: input.name, description: input.description ?? "", created_by: input.createdBy ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertMilestones(trx, input.orgId, template.id, input.milestones);
  return template;
}

export type SaveTemplateResult =
  | { ok: true; template: Template }
  | { ok: false; reason: "name_taken"; message: string }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "changed"; version: string };

/**
 * Creates a template in its own transaction. A duplicate name (found up front, or by the unique
 * constraint when two people save at once) is an answer, not an exception: the transaction has
 * rolled back by the time it is caught, so nothing is half-written.
 */
export async function saveNewTemplate(db: Kysely<DB>, input: NewTemplateInput): Promise<SaveTemplateResult> {
  try {
    const template = await db.transaction().execute((trx) => createTemplate(trx, input));
    return { ok: true, template };
  } catch (error) {
    if (isTemplateNameTaken(error)) return { ok: false, reason: "name_taken", message: templateNameTakenMessage(input.name) };
    throw error;
  }
}

export interface TemplateUpdate {
  orgId: string;
  templateId: string;
  name: string;
  description: string;
  milestones: TemplateMilestoneInput[];
  /** The version the editor started from; when someone saved since, nothing is written. */
  expectedVersion?: string | null;
}

/**
 * Replaces a template's name, description, milestones and dependencies in one transaction. Plans
 * already started from it keep their own copies, so replacing the milestones affects no plan.
 */
export async function updateTemplate(db: Kysely<DB>, input: TemplateUpdate): Promise<SaveTemplateResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<SaveTemplateResult> => {
      const current = await trx
        .selectFrom("templates")
        .select(["id"])
        .select(versionOf.as("version"))
        .where("org_id", "=", input.orgId)
        .where("id", "=", input.templateId)
        .forUpdate()
        .executeTakeFirst();
      if (!current) return { ok: false, reason: "not_found" };
      if (input.expectedVersion && input.expectedVersion !== current.version) {
        return { ok: false, reason: "changed", version: current.version };
      }
      await assertNameFree(trx, input.orgId, input.name, input.templateId);
      // The clock is read first: Citus sends an UPDATE to a shard only with immutable expressions,
      // and the version needs the microseconds a JavaScript Date would drop.
      const { rows: clock } = await sql<{ now: string }>`select clock_timestamp()::text as now`.execute(trx);
      const template = await trx
        .updateTable("templates")
        .set({ name: input.name, description: input.description, updated_at: sql<Date>`${clock[0].now}::timestamptz` })
        .where("org_id", "=", input.orgId)
        .where("id", "=", input.templateId)
        .returningAll()
        .executeTakeFirstOrThrow();
      // Dependencies go with their milestones (on delete cascade).
      await trx.deleteFrom("template_milestones").where("org_id", "=", input.orgId).where("template_id", "=", input.templateId).execute();
      await insertMilestones(trx, input.orgId, input.templateId, input.milestones);
      return { ok: true, template };
    });
  } catch (error) {
    if (isTemplateNameTaken(error)) return { ok: false, reason: "name_taken", message: templateNameTakenMessage(input.name) };
    throw error;
  }
}

/** Deletes a template with its milestones and dependencies. False when there was none. */
export async function deleteTemplate(db: Conn, orgId: string, templateId: string): Promise<boolean> {
  const deleted = await db.deleteFrom("templates").where("org_id", "=", orgId).where("id", "=", templateId).returning("id").executeTakeFirst();
  return deleted !== undefined;
}

/** A plan's milestones in their order and its dependencies: what a template or a copy of the plan takes from it. */
export async function readPlanShape(db: Conn, orgId: string, planId: string) {
  const milestones = await db
    .selectFrom("milestones")
    .select(["id", "title", "description", "owner_side", "owner_stakeholder_id", "duration_days", "lag_days", "is_close"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .orderBy("position")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const dependencies = await db
    .selectFrom("milestone_dependencies")
    .select(["milestone_id", "depends_on_id"])
    .where("org_id", "=", orgId)
    .where("plan_id", "=", planId)
    .execute();
  return { milestones, dependencies };
}

/**
 * Saves a plan's milestones and dependencies as a new template (what worked on one deal, reused on
 * the next). Only the shape is copied: titles, descriptions, owner sides, durations, lags, the
 * close milestone and the order; not dates, completion or stakeholders. Returns undefined when
 * the plan is not in this organisation; throws TemplateNameTakenError on a duplicate name.
 */
/** Saves a plan as a new template, in one transaction of its own. */
export async function saveTemplateFromPlan(db: Kysely<DB>, input: Parameters<typeof createTemplateFromPlan>[1]) {
  return db.transaction().execute((trx) => createTemplateFromPlan(trx, input));
}

export async function createTemplateFromPlan(
  trx: Transaction<DB>,
  input: { orgId: string; planId: string; name: string; description?: string; createdBy?: string | null },
) {
  const plan = await trx.selectFrom("plans").select("id").where("org_id", "=", input.orgId).where("id", "=", input.planId).executeTakeFirst();
  if (!plan) return undefined;
  const { milestones, dependencies } = await readPlanShape(trx, input.orgId, input.planId);
  const dependsOn = new Map<string, string[]>();
  for (const d of dependencies) dependsOn.set(d.milestone_id, [...(dependsOn.get(d.milestone_id) ?? []), d.depends_on_id]);
  return createTemplate(trx, {
    orgId: input.orgId,
    name: input.name,
    description: input.description ?? "",
    createdBy: input.createdBy ?? null,
    milestones: milestones.map((m) => ({
      key: m.id,
      title: m.title,
      description: m.description,
      ownerSide: m.owner_side,
      durationDays: m.duration_days,
      lagDays: m.lag_days,
      isClose: m.is_close,
      dependsOn: dependsOn.get(m.id) ?? [],
    })),
  });
}
