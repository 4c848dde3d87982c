import type { Kysely, Transaction } from "kysely";
import type { DB, OwnerSide } from "../../db/types";

type Conn = Kysely<DB> | Transaction<DB>;

export interface TemplateMilestoneInput {
  key: string; // the caller's handle for dependencies (a row number, a title)
  title: string;
  description?: string;
  ownerSide: OwnerSide;
  durationDays: number;
  lagDays?: number;
  isClose?: boolean;
  dependsOn?: string[]; // keys
}

export async function listTemplates(db: Conn, orgId: string) {
  return db
    .selectFrom("templates as t")
    .leftJoin("template_milestones as m", (j) => j.onRef("m.org_id", "=", "t.org_id").onRef("m.template_id", "=", "t.id"))
    .select(["t.id", "t.name", "t.description", "t.updated_at"])
    .select((eb) => eb.fn.count<number>("m.id").as("milestone_count"))
    .where("t.org_id", "=", orgId)
    .groupBy(["t.id", "t.name", "t.description", "t.updated_at"])
    .orderBy("t.name")
    .execute();
}

export async function getTemplateWithMilestones(db: Conn, orgId: string, templateId: string) {
  const template = await db
    .selectFrom("templates")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", templateId)
    .executeTakeFirst();
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

export async function createTemplate(
  trx: Transaction<DB>,
  input: { orgId: string; name: string; description?: string; createdBy?: string | null; milestones: TemplateMilestoneInput[] },
) {
  const template = await trx
    .insertInto("templates")
    .values({ org_id: input.orgId, name: input.name, description: input.description ?? "", created_by: input.createdBy ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  const idByKey = new Map<string, string>();
  if (input.milestones.length > 0) {
    const rows = await trx
      .insertInto("template_milestones")
      .values(
        input.milestones.map((m, position) => ({
          org_id: input.orgId,
          template_id: template.id,
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
    for (const row of rows) idByKey.set(input.milestones[row.position].key, row.id);
  }
  const deps = input.milestones.flatMap((m) =>
    (m.dependsOn ?? []).map((key) => {
      const dependsOnId = idByKey.get(key);
      if (!dependsOnId) throw new Error(`Template milestone "${m.title}" depends on unknown "${key}"`);
      return { org_id: input.orgId, template_id: template.id, milestone_id: idByKey.get(m.key)!, depends_on_id: dependsOnId };
    }),
  );
  if (deps.length > 0) await trx.insertInto("template_dependencies").values(deps).execute();
  return template;
}
