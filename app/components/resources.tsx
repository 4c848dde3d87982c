import { Link } from "@remix-run/react";
import { Alert, Badge, Button, Card, cx, TextField } from "~/components/ui";
import { FlashStatus, useResetKey, type FlashMessage } from "~/components/flash-status";
import { T, useT } from "~/components/i18n-context";
import { byteSize } from "~/domain/resources";
import type { PageResource, PageResources } from "~/models/resources.server";

/*
 * Files and links on a plan and on its milestones (ADR 035), for the rep's and the buyer's pages.
 * Every form is a plain HTML form: an upload posts the file as multipart without JavaScript, and
 * the fields naming where the file goes come before the file, as the server reads them.
 */

export interface ResourceFailure {
  formError: string;
  fieldErrors: Partial<Record<string, string[]>>;
  values: { milestoneId: string; title: string; url: string; label: string };
}

export interface ResourceContext {
  /** Where the forms post: `/plans/<id>/resources` or `/p/<id>/resources`. */
  actionUrl: string;
  /** A version's download address. */
  downloadHref: (versionId: string) => string;
  /** Which page the forms were sent from, so the answer returns there. */
  from: "plan" | "resources";
  now: string;
  side: "buyer" | "seller";
  flash?: FlashMessage | null;
  /** The last failed form's message and values (shown by the form it came from). */
  failure?: ResourceFailure | null;
  busy?: boolean;
  /** A closed plan, for a buyer: files are listed and downloaded, nothing is added or removed. */
  readOnly?: boolean;
}

function When({ iso, now }: { iso: string; now: string }) {
  const { relative } = useT();
  return (
    <time dateTime={iso} title={iso}>
      {relative(new Date(iso), new Date(now))}
    </time>
  );
}

/** "2.5 MB", "2,5 Mo": the number and the unit in the reader's language. */
function Size({ bytes }: { bytes: number }) {
  const { t, number } = useT();
  const { unit, value } = byteSize(bytes);
  return <>{unit === "bytes" ? t("resources.sizeBytes", { count: value }) : t(`resources.size${unit}`, { size: number(value) })}</>;
}

function HiddenTarget({ ctx, milestoneId }: { ctx: ResourceContext; milestoneId: string | null }) {
  return (
    <>
      <input type="hidden" name="from" value={ctx.from} />
      <input type="hidden" name="milestoneId" value={milestoneId ?? ""} />
    </>
  );
}

function mayRemove(ctx: ResourceContext, resource: PageResource) {
  if (ctx.readOnly) return false;
  return ctx.side === "seller" || resource.added_by_side === "buyer";
}

function ResourceItem({ resource, ctx }: { resource: PageResource; ctx: ResourceContext }) {
  const { t } = useT();
  const [latest, ...earlier] = resource.versions;
  const by = latest ? { name: latest.uploaded_by_name, side: latest.uploaded_by_side } : { name: resource.added_by_name, side: resource.added_by_side };
  return (
    <li className="py-2" data-resource={resource.id}>
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        {resource.kind === "link" && resource.url ? (
          <a href={resource.url} target="_blank" rel="noopener noreferrer nofollow" className="font-medium text-brand-700 underline-offset-2 hover:underline">
            {resource.title}
            <span className="sr-only"> {t("resources.opensElsewhere")}</span>
          </a>
        ) : latest ? (
          <a href={ctx.downloadHref(latest.id)} className="font-medium text-brand-700 underline-offset-2 hover:underline" download>
            {resource.title}
          </a>
        ) : (
          <span className="font-medium text-slate-900">{resource.title}</span>
        )}
        {latest ? (
          <span className="text-xs text-slate-600">
            {latest.file_name} · <Size bytes={latest.size_bytes} />
            {latest.version_no > 1 ? ` · ${t("resources.version", { number: latest.version_no })}` : ""}
          </span>
        ) : null}
      </div>
      <p className="text-xs text-slate-500">
        <T
          k={by.side === "buyer" ? "resources.byBuyer" : "resources.bySeller"}
          values={{ name: by.name }}
          slots={{ when: <When iso={latest?.created_at ?? resource.created_at} now={ctx.now} /> }}
        />
      </p>
      <div className="mt-1 flex flex-wrap items-start gap-x-3 gap-y-1 text-xs">
        {earlier.length ? (
          <details>
            <summary className="cursor-pointer text-slate-700">{t("resources.earlier", { count: earlier.length })}</summary>
            <ul className="mt-1 space-y-0.5">
              {earlier.map((v) => (
                <li key={v.id}>
                  <a href={ctx.downloadHref(v.id)} className="text-brand-700 hover:underline" download>
                    {t("resources.earlierVersion", { number: v.version_no, file: v.file_name })}
                  </a>{" "}
                  · <Size bytes={v.size_bytes} /> · {v.uploaded_by_name}, <When iso={v.created_at} now={ctx.now} />
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        {resource.kind === "file" && !ctx.readOnly ? (
          <details>
            <summary className="cursor-pointer text-slate-700">{t("resources.newVersion")}</summary>
            <form method="post" action={ctx.actionUrl} encType="multipart/form-data" className="mt-1 flex flex-wrap items-end gap-2">
              <HiddenTarget ctx={ctx} milestoneId={resource.milestone_id} />
              <input type="hidden" name="resourceId" value={resource.id} />
              <label className="text-xs text-slate-700">
                <span className="sr-only">{t("resources.newVersionOf", { title: resource.title })}</span>
                <input type="file" name="file" required className="block max-w-full text-xs" />
              </label>
              <Button type="submit" kind="secondary" className="px-2 py-1 text-xs" disabled={ctx.busy}>
                {t("resources.uploadVersion")}
              </Button>
            </form>
          </details>
        ) : null}
        {mayRemove(ctx, resource) ? (
          <form method="post" action={ctx.actionUrl}>
            <HiddenTarget ctx={ctx} milestoneId={resource.milestone_id} />
            <input type="hidden" name="resourceId" value={resource.id} />
            <Button
              type="submit"
              name="intent"
              value="remove"
              kind="ghost"
              className="px-1 py-0 text-xs"
              disabled={ctx.busy}
              aria-label={t("resources.removeLabel", { title: resource.title })}
            >
              {t("resources.remove")}
            </Button>
          </form>
        ) : null}
      </div>
    </li>
  );
}

/** Upload a file and share a link, on the plan or on one milestone (`title`; null for the plan). */
function AddResourceForms({ ctx, milestoneId, title }: { ctx: ResourceContext; milestoneId: string | null; title: string | null }) {
  const { t } = useT();
  const target = milestoneId ? `resources:${milestoneId}` : "resources";
  const resetKey = useResetKey(ctx.flash, target);
  const failed = ctx.failure && (ctx.failure.values.milestoneId || null) === milestoneId ? ctx.failure : null;
  const prefix = `res-${milestoneId ?? "plan"}`;
  return (
    <div key={resetKey} className="mt-2 space-y-3">
      {failed ? <Alert>{failed.formError}</Alert> : null}
      <form
        method="post"
        action={ctx.actionUrl}
        encType="multipart/form-data"
        className="space-y-2"
        aria-label={title === null ? t("resources.uploadToPlan") : t("resources.uploadTo", { title })}
      >
        <HiddenTarget ctx={ctx} milestoneId={milestoneId} />
        <TextField id={`${prefix}-title`} name="title" label={t("resources.title")} placeholder={t("resources.titlePlaceholder")} maxLength={200} />
        <div>
          <label htmlFor={`${prefix}-file`} className="block text-sm font-medium text-slate-800">
            {t("resources.file")}
          </label>
          <input id={`${prefix}-file`} type="file" name="file" required className="mt-1 block w-full max-w-full text-sm" />
        </div>
        <Button type="submit" disabled={ctx.busy}>
          {t("resources.upload")}
        </Button>
      </form>
      <form
        method="post"
        action={ctx.actionUrl}
        className="space-y-2"
        aria-label={title === null ? t("resources.shareOnPlan") : t("resources.shareOn", { title })}
      >
        <HiddenTarget ctx={ctx} milestoneId={milestoneId} />
        <TextField
          id={`${prefix}-url`}
          name="url"
          type="url"
          inputMode="url"
          label={t("resources.link")}
          required
          defaultValue={failed?.values.url}
          error={failed?.fieldErrors.url?.[0]}
        />
        <TextField
          id={`${prefix}-link-title`}
          name="title"
          label={t("resources.linkTitle")}
          maxLength={200}
          defaultValue={failed?.values.url ? failed.values.title : undefined}
        />
        <Button type="submit" name="intent" value="add-link" kind="secondary" disabled={ctx.busy}>
          {t("resources.shareLink")}
        </Button>
      </form>
    </div>
  );
}

/** The plan's own files and links (not a milestone's), with the forms to add more. */
export function PlanResources({ data, ctx }: { data: PageResources; ctx: ResourceContext }) {
  const { t } = useT();
  const own = data.resources.filter((r) => r.milestone_id === null);
  return (
    <section id="resources" aria-labelledby="resources-heading">
      <h2 id="resources-heading" className="mb-2 text-base font-semibold text-slate-900">
        {t("resources.heading")}
      </h2>
      <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <FlashStatus flash={ctx.flash} target="resources" className="mb-2" />
        {own.length ? (
          <ul className="divide-y divide-slate-100">
            {own.map((r) => (
              <ResourceItem key={r.id} resource={r} ctx={ctx} />
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{t("resources.empty")}</p>
        )}
        {ctx.readOnly ? null : (
          <details className="mt-3" open={Boolean(ctx.failure && !ctx.failure.values.milestoneId)}>
            <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("resources.add")}</summary>
            <AddResourceForms ctx={ctx} milestoneId={null} title={null} />
          </details>
        )}
      </div>
    </section>
  );
}

/**
 * A milestone's files and links, and what it asks for: "Needs: signed DPA" stays marked missing
 * until a file is attached to the milestone, then shows as attached.
 */
export function MilestoneResources({ milestoneId, title, data, ctx }: { milestoneId: string; title: string; data: PageResources; ctx: ResourceContext }) {
  const { t } = useT();
  const own = data.resources.filter((r) => r.milestone_id === milestoneId);
  const requirement = data.requirements.find((q) => q.milestone_id === milestoneId);
  const attached = own.some((r) => r.kind === "file" && r.versions.length > 0);
  const failedHere = Boolean(ctx.failure && ctx.failure.values.milestoneId === milestoneId);
  return (
    <div className="mt-2 text-sm" data-milestone-resources={milestoneId}>
      {requirement ? (
        <p className="flex flex-wrap items-center gap-2 text-xs">
          <span className="text-slate-700">{t("resources.needs", { label: requirement.label })}</span>
          {attached ? <Badge tone="green">{t("resources.attached")}</Badge> : <Badge tone="amber">{t("resources.missing")}</Badge>}
        </p>
      ) : null}
      <FlashStatus flash={ctx.flash} target={`resources:${milestoneId}`} className="mt-1" />
      {own.length ? (
        <ul className="divide-y divide-slate-100">
          {own.map((r) => (
            <ResourceItem key={r.id} resource={r} ctx={ctx} />
          ))}
        </ul>
      ) : null}
      {ctx.readOnly ? null : (
        <details className="mt-1" open={failedHere}>
          <summary className={cx("cursor-pointer text-xs font-medium text-brand-700")}>
            {/* Seen: the short words; heard: the whole sentence, naming the milestone. */}
            <span aria-hidden="true">{requirement && !attached ? t("resources.uploadRequired", { label: requirement.label }) : t("resources.attach")}</span>
            <span className="sr-only">
              {requirement && !attached ? t("resources.uploadRequiredTo", { label: requirement.label, title }) : t("resources.attachTo", { title })}
            </span>
          </summary>
          <AddResourceForms ctx={ctx} milestoneId={milestoneId} title={title} />
          {ctx.side === "seller" ? <RequirementForm milestoneId={milestoneId} current={requirement?.label ?? ""} ctx={ctx} /> : null}
        </details>
      )}
    </div>
  );
}

function RequirementForm({ milestoneId, current, ctx }: { milestoneId: string; current: string; ctx: ResourceContext }) {
  const { t } = useT();
  const failed = ctx.failure && ctx.failure.values.milestoneId === milestoneId && ctx.failure.fieldErrors.label ? ctx.failure : null;
  return (
    <form method="post" action={ctx.actionUrl} className="mt-3 space-y-2">
      <HiddenTarget ctx={ctx} milestoneId={milestoneId} />
      <TextField
        id={`req-${milestoneId}`}
        name="label"
        label={t("resources.askFor")}
        hint={t("resources.askForHint")}
        maxLength={200}
        defaultValue={failed ? failed.values.label : current}
        error={failed?.fieldErrors.label?.[0]}
      />
      <Button type="submit" name="intent" value="require" kind="secondary" disabled={ctx.busy}>
        {t("resources.save")}
      </Button>
    </form>
  );
}

/** The resources page (the rep's and the buyer's): the plan's files and links, then each milestone's. */
export function ResourcesPage({
  plan,
  planPath,
  milestones,
  data,
  ctx,
}: {
  plan: { buyer_company: string; title: string };
  planPath: string;
  milestones: Array<{ id: string; title: string }>;
  data: PageResources;
  ctx: ResourceContext;
}) {
  const { t } = useT();
  // A refusal naming a milestone that is not on this page (another plan's, or a mangled id) is
  // shown with the plan's own forms: every refusal is seen somewhere.
  const failure = ctx.failure;
  if (failure?.values.milestoneId && !milestones.some((m) => m.id === failure.values.milestoneId)) {
    ctx = { ...ctx, failure: { ...failure, values: { ...failure.values, milestoneId: "" } } };
  }
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Link to={planPath} className="text-sm font-medium text-brand-700 hover:underline">
        {t("resources.back", { company: plan.buyer_company, plan: plan.title })}
      </Link>
      <PlanResources data={data} ctx={ctx} />
      <section aria-labelledby="milestone-files-heading">
        <h2 id="milestone-files-heading" className="mb-2 text-base font-semibold text-slate-900">
          {t("resources.onMilestones")}
        </h2>
        <Card className="divide-y divide-slate-100">
          {milestones.length ? (
            milestones.map((m) => (
              <div key={m.id} id={`m-${m.id}`} className="px-4 py-3">
                <h3 className="text-sm font-medium text-slate-900">{m.title}</h3>
                <MilestoneResources milestoneId={m.id} title={m.title} data={data} ctx={ctx} />
              </div>
            ))
          ) : (
            <p className="px-4 py-3 text-sm text-slate-600">{t("resources.noMilestones")}</p>
          )}
        </Card>
      </section>
    </div>
  );
}
