import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  applyRowIntent,
  readTemplateForm,
  TemplateForm,
  templateToFormValues,
  validateTemplateForm,
  type TemplateFormErrors,
  type TemplateFormValues,
} from "~/components/template-form";
import { Alert, Badge, Button, ButtonLink, Card, PageHeader, type BadgeTone } from "~/components/ui";
import { formatRelative } from "~/domain/dates";
import { isUuid } from "~/domain/ids";
import { OWNER_SIDE_LABELS, type OwnerSide } from "~/domain/owner-side";
import { templateLeadTimes } from "~/domain/template-graph";
import { canCreateTemplates, canEditTemplate, deleteTemplate, getTemplateDetail, updateTemplate } from "~/models/template.server";
import { notFound, requireUser } from "~/route-helpers/guards.server";
import { plural } from "~/domain/words";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.template.name ?? "Template"} · Templates · Plan Together` }];

const NOT_FOUND = "We couldn't find that template. It may have been deleted.";

async function loadTemplate(args: LoaderFunctionArgs) {
  const user = requireUser(args.context, args.request);
  const templateId = args.params.templateId;
  if (!isUuid(templateId)) notFound(NOT_FOUND);
  const detail = await getTemplateDetail(args.context.db, user.orgId, templateId);
  if (!detail) notFound(NOT_FOUND);
  return { user, detail, canEdit: canEditTemplate(user, detail.template) };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, detail, canEdit } = await loadTemplate(args);
  const params = new URL(args.request.url).searchParams;
  const mode = !canEdit ? "view" : params.has("edit") ? "edit" : params.get("confirm") === "delete" ? "confirm-delete" : "view";

  const rowOf = new Map(detail.milestones.map((m, i) => [m.id, i + 1]));
  const leadTimes = templateLeadTimes(
    detail.milestones.map((m) => ({
      key: m.id,
      title: m.title,
      ownerSide: m.owner_side,
      durationDays: m.duration_days,
      lagDays: m.lag_days,
      isClose: m.is_close,
      dependsOn: detail.dependencies.filter((d) => d.milestone_id === m.id).map((d) => d.depends_on_id),
    })),
  );
  return {
    template: {
      id: detail.template.id,
      name: detail.template.name,
      description: detail.template.description,
      updatedAt: new Date(detail.template.updated_at).toISOString(),
      createdByName: detail.createdByName,
    },
    milestones: detail.milestones.map((m, i) => ({
      n: i + 1,
      title: m.title,
      description: m.description,
      ownerSide: m.owner_side,
      durationDays: m.duration_days,
      lagDays: m.lag_days,
      isClose: m.is_close,
      dependsOn: detail.dependencies
        .filter((d) => d.milestone_id === m.id)
        .map((d) => rowOf.get(d.depends_on_id)!)
        .sort((a, b) => a - b),
      startsBefore: leadTimes?.[i].startsBefore ?? null,
      dueBefore: leadTimes?.[i].dueBefore ?? null,
    })),
    canEdit,
    canDuplicate: canCreateTemplates(user),
    mode,
    values: mode === "edit" ? templateToFormValues(detail) : null,
    version: detail.version,
    saved: params.has("saved"),
    now: args.context.now.toISOString(),
  };
}

type ActionData = { values: TemplateFormValues; errors: TemplateFormErrors | null; revision: number; version: string | null };

export async function action(args: ActionFunctionArgs) {
  const { user, detail, canEdit } = await loadTemplate(args);
  if (!canEdit) throw new Response("Only the template's author, a manager or an administrator can change this template.", { status: 403 });
  const form = await args.request.formData();
  const { intent, values, version } = readTemplateForm(form);
  const templateId = detail.template.id;

  if (intent === "delete") {
    await deleteTemplate(args.context.db, user.orgId, templateId);
    return redirect("/templates?deleted=1");
  }

  const revision = Date.now();
  const rerendered = applyRowIntent(intent, values);
  if (rerendered) return data<ActionData>({ values: rerendered, errors: null, revision, version });

  const valid = validateTemplateForm(values);
  if (!valid.ok) return data<ActionData>({ values, errors: valid.errors, revision, version }, { status: 400 });

  const saved = await updateTemplate(args.context.db, {
    orgId: user.orgId,
    templateId,
    name: valid.name,
    description: valid.description,
    milestones: valid.milestones,
    expectedVersion: version,
  });
  if (saved.ok) return redirect(`/templates/${templateId}?saved=1`);
  if (saved.reason === "not_found") notFound(NOT_FOUND);
  if (saved.reason === "changed") {
    // Saving again now replaces their version with this one: that is the user's informed choice.
    const formError =
      "Someone saved this template while you were editing it. Your changes are below and not saved yet: open the template in another tab to compare, then save again to replace their version with yours.";
    return data<ActionData>({ values, errors: { formError }, revision, version: saved.version }, { status: 409 });
  }
  return data<ActionData>({ values, errors: { fieldErrors: { name: saved.message } }, revision, version }, { status: 400 });
}

const SIDE_TONES: Record<OwnerSide, BadgeTone> = { buyer: "amber", seller: "blue", joint: "slate" };

function days(n: number) {
  return `${plural(n, "working day")}`;
}

export default function TemplatePage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { template, milestones, canEdit, canDuplicate, saved, now } = loaderData;
  const mode = actionData ? "edit" : loaderData.mode;
  const base = `/templates/${template.id}`;

  if (mode === "edit") {
    const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
    return (
      <>
        <Breadcrumb name={template.name} to={base} />
        <PageHeader
          title={`Edit “${template.name}”`}
          subtitle="Plans already started from this template keep their own milestones; changes apply to new plans."
        />
        <TemplateForm
          values={actionData?.values ?? loaderData.values!}
          errors={actionData?.errors}
          revision={actionData?.revision}
          version={actionData?.version ?? loaderData.version}
          submitLabel="Save changes"
          cancelTo={base}
          busy={saving}
        />
      </>
    );
  }

  const earliest = milestones.reduce<number | null>((max, m) => (m.startsBefore === null ? max : Math.max(max ?? 0, m.startsBefore)), null);
  const close = milestones.find((m) => m.isClose);
  return (
    <>
      <Breadcrumb />
      <PageHeader
        title={template.name}
        subtitle={
          <>
            {plural(milestones.length, "milestone")} · updated {formatRelative(new Date(template.updatedAt), new Date(now))}
            {template.createdByName ? ` · created by ${template.createdByName}` : ""}
          </>
        }
        actions={
          <>
            {canDuplicate ? (
              <ButtonLink to={`/templates/new?from=${template.id}`} kind="secondary">
                Duplicate
              </ButtonLink>
            ) : null}
            {canEdit ? (
              <>
                <ButtonLink to={`${base}?confirm=delete`} kind="danger">
                  Delete
                </ButtonLink>
                <ButtonLink to={`${base}?edit`} kind="secondary">
                  Edit template
                </ButtonLink>
              </>
            ) : null}
            {/* Any teammate may start a plan from any template: the new-plan form opens with this one picked. */}
            <ButtonLink to={`/plans/new?template=${template.id}`}>Use this template</ButtonLink>
          </>
        }
      />

      <div className="space-y-6">
        {saved && mode === "view" ? <Alert kind="success">Template saved. New plans started from it will use these milestones.</Alert> : null}

        {mode === "confirm-delete" ? (
          <Card className="p-4 ring-red-200 sm:p-6">
            <h2 className="text-base font-semibold text-slate-900">Delete “{template.name}”?</h2>
            <p className="mt-1 text-sm text-slate-600">
              Plans already started from it keep their milestones. Reps won't be able to start new plans from it. This can't be undone.
            </p>
            <Form method="post" action={base} className="mt-4 flex flex-wrap gap-3">
              <Button type="submit" name="intent" value="delete" kind="danger">
                {navigation.state === "submitting" ? "Deleting…" : "Delete template"}
              </Button>
              <ButtonLink to={base} kind="secondary">
                Keep it
              </ButtonLink>
            </Form>
          </Card>
        ) : null}

        {template.description ? <p className="max-w-3xl whitespace-pre-line text-slate-700">{template.description}</p> : null}

        {earliest !== null && milestones.length > 0 ? (
          <p className="text-sm text-slate-600">
            A plan from this template starts <span className="font-medium text-slate-900">{days(earliest)} before go-live</span>
            {close && close.dueBefore !== null ? (
              <>
                ; the close (“{close.title}”) falls <span className="font-medium text-slate-900">{days(close.dueBefore)} before go-live</span>
              </>
            ) : null}
            .
          </p>
        ) : null}

        <section aria-labelledby="milestones-heading">
          <h2 id="milestones-heading" className="mb-3 text-base font-semibold text-slate-900">
            Milestones, in order
          </h2>
          {milestones.length === 0 ? (
            <p className="text-sm text-slate-600">This template has no milestones yet.{canEdit ? " Edit it to add some." : ""}</p>
          ) : (
            <Card>
              <ol className="divide-y divide-slate-100">
                {milestones.map((m) => (
                  <li key={m.n} className="flex gap-3 px-4 py-3 sm:gap-4">
                    <span className="mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-slate-100 text-xs font-semibold tabular-nums text-slate-600">
                      {m.n}
                    </span>
                    <div className="min-w-0 flex-1">
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="font-medium text-slate-900">{m.title}</span>
                        <Badge tone={SIDE_TONES[m.ownerSide]}>{OWNER_SIDE_LABELS[m.ownerSide]}</Badge>
                        {m.isClose ? (
                          <Badge tone="green" title="The signature: its date is the forecast close date">
                            Close
                          </Badge>
                        ) : null}
                      </div>
                      <p className="mt-1 text-sm text-slate-600">
                        {m.durationDays === 0 ? "An event (0 days)" : days(m.durationDays)}
                        {m.dependsOn.length > 0 ? (
                          <>
                            {" · after "}
                            {m.dependsOn.map((d, i) => (
                              <span key={d}>
                                {i > 0 ? ", " : ""}
                                <span className="whitespace-nowrap">
                                  {d}. {milestones[d - 1]?.title}
                                </span>
                              </span>
                            ))}
                            {m.lagDays > 0 ? `, then a wait of ${days(m.lagDays)}` : ""}
                          </>
                        ) : m.lagDays > 0 ? (
                          ` · waits ${days(m.lagDays)} before starting`
                        ) : (
                          ""
                        )}
                      </p>
                      {m.description ? <p className="mt-1 whitespace-pre-line text-sm text-slate-500">{m.description}</p> : null}
                    </div>
                    {m.startsBefore !== null ? (
                      <p className="hidden shrink-0 text-right text-xs text-slate-500 sm:block" title="When a plan is scheduled back from go-live">
                        starts {days(m.startsBefore)}
                        <br />
                        before go-live
                      </p>
                    ) : null}
                  </li>
                ))}
              </ol>
            </Card>
          )}
          {!canEdit ? <p className="mt-3 text-sm text-slate-500">Only the template's author, a manager or an administrator can change it.</p> : null}
        </section>
      </div>
    </>
  );
}

function Breadcrumb({ name, to }: { name?: string; to?: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600">
      <Link to="/templates" className="hover:text-slate-900 hover:underline">
        Templates
      </Link>
      {name && to ? (
        <>
          <span aria-hidden="true" className="mx-1.5 text-slate-400">
            /
          </span>
          <Link to={to} className="hover:text-slate-900 hover:underline">
            {name}
          </Link>
        </>
      ) : null}
    </nav>
  );
}
