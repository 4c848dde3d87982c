import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert, ButtonLink, Card, EmptyState, PageHeader } from "~/components/ui";
import { formatRelative } from "~/domain/dates";
import { canCreateTemplates, listTemplates } from "~/models/template.server";
import { requireUser } from "~/route-helpers/guards.server";

export const meta: MetaFunction = () => [{ title: "Templates · Plan Together" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const templates = await listTemplates(context.db, user.orgId);
  return {
    templates: templates.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      milestoneCount: Number(t.milestone_count),
      updatedAt: new Date(t.updated_at).toISOString(),
    })),
    canCreate: canCreateTemplates(user),
    // A flag, not the name: a link must not be able to put words in the page.
    deleted: new URL(request.url).searchParams.has("deleted"),
    now: context.now.toISOString(),
  };
}

export default function TemplatesIndex() {
  const { templates, canCreate, deleted, now } = useLoaderData<typeof loader>();
  const actions = canCreate ? (
    <>
      <ButtonLink to="/templates/import" kind="secondary">
        Import CSV
      </ButtonLink>
      <ButtonLink to="/templates/new">New template</ButtonLink>
    </>
  ) : null;
  return (
    <>
      <PageHeader
        title="Templates"
        subtitle="Proven sequences of milestones. A plan started from one is scheduled back from the buyer's go-live."
        actions={templates.length > 0 ? actions : null}
      />
      {deleted ? (
        <div className="mb-4">
          <Alert kind="success">Template deleted. Plans started from it keep their milestones.</Alert>
        </div>
      ) : null}

      {templates.length === 0 ? (
        <EmptyState title="No templates yet" action={actions ? <div className="flex flex-wrap justify-center gap-2">{actions}</div> : null}>
          A template is the list of milestones a deal goes through: discovery, security review, legal, signature, onboarding. Build one here, or import the
          spreadsheet you already keep as a CSV file.
        </EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-3">
                  Template
                </th>
                <th scope="col" className="px-4 py-3 text-right">
                  Milestones
                </th>
                <th scope="col" className="px-4 py-3">
                  Last updated
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {templates.map((t) => (
                <tr key={t.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link to={`/templates/${t.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {t.name}
                    </Link>
                    {t.description ? <p className="mt-0.5 line-clamp-2 max-w-xl text-xs text-slate-500">{t.description}</p> : null}
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-700">{t.milestoneCount}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-600">
                    <time dateTime={t.updatedAt} title={t.updatedAt.slice(0, 10)}>
                      {formatRelative(new Date(t.updatedAt), new Date(now))}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}
