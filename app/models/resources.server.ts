import { createHash } from "node:crypto";
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB, Resource, ResourceVersion, Side } from "../../db/types";
import { isUuid } from "~/domain/ids";
import { PlanInputError } from "~/domain/plan-validation";
import {
  CHUNK_BYTES,
  parseLinkUrl,
  refusalMessage,
  RESOURCE_ACTIONS,
  sanitiseFileName,
  sniffContentType,
  SNIFF_BYTES,
  uploadRefusal,
  type UploadLimits,
  type UploadRefusal,
} from "~/domain/resources";
import { recordResourceOpened } from "~/models/engagement.server";
import { runPlanCommand, runPlanCommandIn, type PlanEventSpec } from "~/models/plan-command.server";
import { assertMilestoneOnPlan, editorContext, type Editor } from "~/models/plan-commands.server";
import type { Conn } from "~/models/conn";

/*
 * Links and files on a plan (issue 22, ADR 035). A file's bytes are written a chunk at a time into
 * the transaction that records the upload, so a file is never whole in memory and an upload that
 * fails (too big, over the quota, a dropped connection) leaves nothing behind. Every add, new
 * version, removal and download is an event on the plan's log, through the one write path.
 */

/** An upload stopped by a limit: the route answers 413 with the message. */
export class UploadRefused extends Error {
  constructor(readonly refusal: UploadRefusal) {
    super(refusalMessage(refusal));
    this.name = "UploadRefused";
  }
}

/** One part of a multipart body, as Remix's parser hands it to an upload handler. */
export interface UploadPart {
  name: string;
  filename?: string;
  data: AsyncIterable<Uint8Array>;
}
export type PartHandler = (part: UploadPart) => Promise<string | undefined>;

const MAX_FIELD_BYTES = 4096;

const inputError = (message: string) => new PlanInputError({ form: [message] });

function actorSide(editor: Editor): Side {
  return editor.actor.side === "buyer" ? "buyer" : "seller";
}

function titleFrom(raw: string, fallback: string): string {
  const title = raw.replace(/\s+/g, " ").trim() || fallback;
  if ([...title].length > 200) throw inputError("Keep the title under 200 characters.");
  return title;
}

/** Where an event about a resource points: its milestone (the log names it), else the plan. */
function eventTarget(milestoneId: string | null): Pick<PlanEventSpec, "entityType" | "entityId"> {
  return milestoneId ? { entityType: "milestone", entityId: milestoneId } : { entityType: "plan", entityId: null };
}

/** Bytes of all the organisation's stored versions. */
export async function storageUsed(db: Conn, orgId: string): Promise<number> {
  const row = await db
    .selectFrom("resource_versions")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("size_bytes"), sql<number>`0`).as("used"))
    .where("org_id", "=", orgId)
    .executeTakeFirstOrThrow();
  return Number(row.used);
}

export async function addLink(
  db: Kysely<DB>,
  editor: Editor,
  orgId: string,
  planId: string,
  input: { milestoneId: string | null; title: string; url: string },
) {
  const parsed = parseLinkUrl(input.url);
  if (!parsed.ok) throw new PlanInputError({ url: [parsed.message] });
  const title = titleFrom(input.title, new URL(parsed.url).hostname);
  return runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    if (input.milestoneId) await assertMilestoneOnPlan(trx, orgId, planId, input.milestoneId);
    const row = await trx
      .insertInto("resources")
      .values({
        org_id: orgId,
        plan_id: planId,
        milestone_id: input.milestoneId,
        kind: "link",
        title,
        url: parsed.url,
        added_by_name: editor.actor.name,
        added_by_side: actorSide(editor),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return {
      value: row.id,
      events: [
        {
          action: RESOURCE_ACTIONS.added,
          ...eventTarget(input.milestoneId),
          changes: { resource: { before: null, after: row.id }, title: { before: null, after: title }, url: { before: null, after: parsed.url } },
        },
      ],
    };
  });
}

async function readField(data: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.length;
    if (size > MAX_FIELD_BYTES) throw inputError("A form field was too long. Reload the page and try again.");
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString("utf8");
}

async function drain(data: AsyncIterable<Uint8Array>) {
  for await (const _chunk of data);
}

interface StoredFile {
  resourceId: string;
  versionId: string;
  versionNo: number;
  title: string;
  milestoneId: string | null;
  fileName: string;
  sizeBytes: number;
  contentType: string;
}

/**
 * Where the file goes, from the fields sent before it: a new resource (`milestoneId`, `title`) or
 * a new version of one (`resourceId`). Locks the resource so two new versions get two numbers.
 */
async function placeFile(trx: Transaction<DB>, orgId: string, planId: string, fields: Map<string, string>, fileName: string, editor: Editor) {
  const resourceId = fields.get("resourceId") ?? "";
  if (resourceId) {
    const resource = isUuid(resourceId)
      ? await trx
          .selectFrom("resources")
          .select(["id", "title", "milestone_id", "kind"])
          .where("org_id", "=", orgId)
          .where("plan_id", "=", planId)
          .where("id", "=", resourceId)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!resource || resource.kind !== "file") throw inputError("That file is no longer on this plan. Reload the page to see its files.");
    const last = await trx
      .selectFrom("resource_versions")
      .select((eb) => eb.fn.max<number>("version_no").as("n"))
      .where("org_id", "=", orgId)
      .where("resource_id", "=", resource.id)
      .executeTakeFirst();
    return { resourceId: resource.id, versionNo: Number(last?.n ?? 0) + 1, title: resource.title, milestoneId: resource.milestone_id };
  }
  const milestoneId = fields.get("milestoneId") || null;
  if (milestoneId) await assertMilestoneOnPlan(trx, orgId, planId, milestoneId);
  const title = titleFrom(fields.get("title") ?? "", fileName);
  const row = await trx
    .insertInto("resources")
    .values({
      org_id: orgId,
      plan_id: planId,
      milestone_id: milestoneId,
      kind: "file",
      title,
      url: null,
      added_by_name: editor.actor.name,
      added_by_side: actorSide(editor),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { resourceId: row.id, versionNo: 1, title, milestoneId };
}

/** Writes the file's bytes as chunks, counting against the limits as they arrive. */
async function writeChunks(
  trx: Transaction<DB>,
  orgId: string,
  versionId: string,
  data: AsyncIterable<Uint8Array>,
  fileName: string,
  limits: UploadLimits,
  used: number,
) {
  const hash = createHash("sha256");
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let total = 0;
  let n = 0;
  let head: Uint8Array | null = null;
  // Every stored chunk but the last is exactly CHUNK_BYTES, whatever sizes the body arrives in.
  const write = async (chunk: Buffer) => {
    if (!head) head = chunk.subarray(0, SNIFF_BYTES);
    await trx.insertInto("resource_chunks").values({ org_id: orgId, version_id: versionId, n, data: chunk }).execute();
    n += 1;
  };
  for await (const piece of data) {
    total += piece.length;
    const refusal = uploadRefusal(total, used, limits);
    if (refusal) throw new UploadRefused(refusal);
    hash.update(piece);
    pending.push(piece);
    pendingBytes += piece.length;
    if (pendingBytes < CHUNK_BYTES) continue;
    let buffered = Buffer.concat(pending, pendingBytes);
    while (buffered.length >= CHUNK_BYTES) {
      await write(buffered.subarray(0, CHUNK_BYTES));
      buffered = buffered.subarray(CHUNK_BYTES);
    }
    pending = [buffered];
    pendingBytes = buffered.length;
  }
  if (pendingBytes) await write(Buffer.concat(pending, pendingBytes));
  if (total === 0) throw new UploadRefused({ kind: "empty" });
  return { sizeBytes: total, sha256: hash.digest("hex"), contentType: sniffContentType(head ?? new Uint8Array(), fileName) };
}

/**
 * Receives a multipart upload (`readParts` runs Remix's parser with the handler it is given) and
 * records it: a new file resource or a new version of one, its bytes, and the event, in ONE
 * transaction. The fields naming where the file goes must come before the file in the body, as
 * the forms send them. The plan is locked only at the end, by the write path, so a slow upload
 * does not hold up the plan's other editors.
 */
export async function uploadFile(
  db: Kysely<DB>,
  editor: Editor,
  orgId: string,
  planId: string,
  limits: UploadLimits,
  readParts: (handler: PartHandler) => Promise<unknown>,
) {
  return db.transaction().execute(async (trx) => {
    const fields = new Map<string, string>();
    let stored: StoredFile | null = null;
    const used = await storageUsed(trx, orgId);
    await readParts(async (part) => {
      if (part.filename === undefined) {
        const value = await readField(part.data);
        fields.set(part.name, value);
        return value;
      }
      // A form sent with no file chosen has an empty file part; a second file is not ours to keep.
      if (part.name !== "file" || !part.filename || stored) {
        await drain(part.data);
        return undefined;
      }
      const fileName = sanitiseFileName(part.filename);
      const place = await placeFile(trx, orgId, planId, fields, fileName, editor);
      const version = await trx
        .insertInto("resource_versions")
        .values({
          org_id: orgId,
          resource_id: place.resourceId,
          version_no: place.versionNo,
          file_name: fileName,
          content_type: "application/octet-stream",
          size_bytes: 0,
          sha256: "",
          uploaded_by_name: editor.actor.name,
          uploaded_by_side: actorSide(editor),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const written = await writeChunks(trx, orgId, version.id, part.data, fileName, limits, used);
      await trx
        .updateTable("resource_versions")
        .set({ size_bytes: written.sizeBytes, sha256: written.sha256, content_type: written.contentType })
        .where("org_id", "=", orgId)
        .where("id", "=", version.id)
        .execute();
      stored = { ...place, versionId: version.id, fileName, sizeBytes: written.sizeBytes, contentType: written.contentType };
      return version.id;
    });
    const file = stored as StoredFile | null;
    if (!file) throw new PlanInputError({ file: ["Choose a file to upload."] });
    // Two uploads racing for the last of the quota: the organisation's row makes them take turns here.
    await trx.selectFrom("organisations").select("id").where("id", "=", orgId).forUpdate().execute();
    const usedNow = await storageUsed(trx, orgId);
    if (usedNow > limits.orgQuotaBytes) throw new UploadRefused({ kind: "over-quota", quotaBytes: limits.orgQuotaBytes, usedBytes: usedNow - file.sizeBytes });
    const first = file.versionNo === 1;
    return runPlanCommandIn(trx, editorContext(editor, orgId, planId), async () => ({
      value: file,
      events: [
        {
          action: first ? RESOURCE_ACTIONS.added : RESOURCE_ACTIONS.versionAdded,
          ...eventTarget(file.milestoneId),
          changes: {
            resource: { before: null, after: file.resourceId },
            title: { before: null, after: file.title },
            file_name: { before: null, after: file.fileName },
            size_bytes: { before: null, after: file.sizeBytes },
            ...(first ? {} : { version: { before: file.versionNo - 1, after: file.versionNo } }),
          },
        },
      ],
    }));
  });
}

/** Removes a resource and every version of it. A buyer removes only what their side added. */
export async function removeResource(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, resourceId: string) {
  if (!isUuid(resourceId)) throw inputError("That resource is no longer on this plan.");
  return runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    const resource = await trx
      .selectFrom("resources")
      .select(["id", "title", "milestone_id", "added_by_side", "url"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", planId)
      .where("id", "=", resourceId)
      .executeTakeFirst();
    if (!resource) throw inputError("That resource is no longer on this plan.");
    if (editor.actor.side === "buyer" && resource.added_by_side !== "buyer")
      throw inputError(`“${resource.title}” was shared by the seller; ask them to remove it.`);
    await trx.deleteFrom("resources").where("org_id", "=", orgId).where("id", "=", resource.id).execute();
    return {
      value: resource.id,
      events: [
        {
          action: RESOURCE_ACTIONS.removed,
          ...eventTarget(resource.milestone_id),
          changes: { resource: { before: resource.id, after: null }, title: { before: resource.title, after: null } },
        },
      ],
    };
  });
}

/** Sets (or, with an empty label, clears) what a milestone asks to have attached. The rep's call. */
export async function setRequirement(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, milestoneId: string, rawLabel: string) {
  const label = rawLabel.replace(/\s+/g, " ").trim();
  if ([...label].length > 200) throw new PlanInputError({ label: ["Keep it under 200 characters."] });
  return runPlanCommand(db, editorContext(editor, orgId, planId), async (trx) => {
    await assertMilestoneOnPlan(trx, orgId, planId, milestoneId);
    const before = await trx
      .selectFrom("resource_requirements")
      .select("label")
      .where("org_id", "=", orgId)
      .where("milestone_id", "=", milestoneId)
      .executeTakeFirst();
    if (label) {
      await trx
        .insertInto("resource_requirements")
        .values({ org_id: orgId, milestone_id: milestoneId, plan_id: planId, label })
        .onConflict((oc) => oc.columns(["org_id", "milestone_id"]).doUpdateSet({ label }))
        .execute();
    } else {
      await trx.deleteFrom("resource_requirements").where("org_id", "=", orgId).where("milestone_id", "=", milestoneId).execute();
    }
    const changed = (before?.label ?? null) !== (label || null);
    return {
      value: label || null,
      events: changed
        ? [
            {
              action: RESOURCE_ACTIONS.required,
              entityType: "milestone" as const,
              entityId: milestoneId,
              changes: { label: { before: before?.label ?? null, after: label || null } },
            },
          ]
        : [],
    };
  });
}

/** One stored version of a file on this plan, or undefined (another plan's, removed, unknown). */
export async function findVersion(db: Conn, orgId: string, planId: string, versionId: string) {
  if (!isUuid(versionId)) return undefined;
  return db
    .selectFrom("resource_versions as v")
    .innerJoin("resources as r", (j) => j.on("r.org_id", "=", orgId).onRef("r.id", "=", "v.resource_id"))
    .select(["v.id", "v.resource_id", "v.version_no", "v.file_name", "v.content_type", "v.size_bytes", "r.title", "r.milestone_id"])
    .where("v.org_id", "=", orgId)
    .where("v.id", "=", versionId)
    .where("r.plan_id", "=", planId)
    .executeTakeFirst();
}
export type StoredVersion = NonNullable<Awaited<ReturnType<typeof findVersion>>>;

/** A download is on the log (and, for a buyer, is buyer activity); it changes no version of anything. */
export async function recordDownload(db: Kysely<DB>, editor: Editor, orgId: string, planId: string, version: StoredVersion) {
  // Reading is not editing: a buyer still downloads from a plan that is closed to their changes.
  const buyerPlanId = editor.buyerPlanId;
  const readOnly = buyerPlanId ? { authorize: (plan: { id: string }) => plan.id === buyerPlanId } : {};
  return runPlanCommand(db, editorContext(editor, orgId, planId, readOnly), async (trx) => {
    // A buyer's download is also a resource that person opened (their engagement, ADR 037).
    const stakeholderId = editor.buyerPlanId ? editor.actor.stakeholderId : null;
    if (stakeholderId) await recordResourceOpened(trx, { orgId, planId, stakeholderId }, version.resource_id, editor.at ?? new Date());
    return {
      value: version.id,
      events: [
        {
          action: RESOURCE_ACTIONS.downloaded,
          ...eventTarget(version.milestone_id),
          changes: {
            resource: { before: null, after: version.resource_id },
            title: { before: null, after: version.title },
            version: { before: null, after: version.version_no },
          },
        },
      ],
    };
  });
}

/** The file's bytes, a chunk per pull: only one chunk is in memory at a time. */
export function versionBytes(db: Conn, orgId: string, versionId: string): ReadableStream<Uint8Array> {
  let n = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const row = await db
        .selectFrom("resource_chunks")
        .select("data")
        .where("org_id", "=", orgId)
        .where("version_id", "=", versionId)
        .where("n", "=", n)
        .executeTakeFirst();
      if (!row) {
        controller.close();
        return;
      }
      n += 1;
      controller.enqueue(new Uint8Array(row.data));
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The plan pages' part (folded into their one statement by plan-page.server.ts)
// ---------------------------------------------------------------------------------------------

type WithTimestampText<T> = Omit<T, "created_at"> & { created_at: string };

/** A version as the pages get it (json: the timestamp as text). */
export type PageResourceVersion = WithTimestampText<Omit<ResourceVersion, "org_id" | "resource_id" | "sha256">>;

export type PageResource = WithTimestampText<Omit<Resource, "org_id" | "plan_id">> & {
  /** Newest first. */
  versions: PageResourceVersion[];
};

export interface PageResources {
  resources: PageResource[];
  requirements: Array<{ milestone_id: string; label: string }>;
}

/** A plan's resources (each with its versions) and its milestones' requirements, as one json value. */
export function resourcesJson(org: RawBuilder<unknown>, plan: RawBuilder<unknown>) {
  return sql`json_build_object(
    'resources', (
      select coalesce(json_agg(json_build_object(
        'id', r.id, 'milestone_id', r.milestone_id, 'kind', r.kind, 'title', r.title, 'url', r.url,
        'added_by_name', r.added_by_name, 'added_by_side', r.added_by_side, 'created_at', r.created_at,
        'versions', (
          select coalesce(json_agg(json_build_object(
            'id', v.id, 'version_no', v.version_no, 'file_name', v.file_name, 'content_type', v.content_type, 'size_bytes', v.size_bytes,
            'uploaded_by_name', v.uploaded_by_name, 'uploaded_by_side', v.uploaded_by_side, 'created_at', v.created_at
          ) order by v.version_no desc), '[]'::json)
          from resource_versions v where v.org_id = ${org} and v.resource_id = r.id
        )
      ) order by r.created_at), '[]'::json)
      from resources r where r.org_id = ${org} and r.plan_id = ${plan}
    ),
    'requirements', (
      select coalesce(json_agg(json_build_object('milestone_id', q.milestone_id, 'label', q.label)), '[]'::json)
      from resource_requirements q where q.org_id = ${org} and q.plan_id = ${plan}
    )
  )`;
}
