import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  applyRowIntent,
  blankTemplateValues,
  readTemplateForm,
  TemplateForm,
  templateToFormValues,
  validateTemplateForm,
  type TemplateFormErrors,
  type TemplateFormValues,
} from "~/components/template-form";
import { PageHeader } from "~/components/ui";
import { isUuid } from "~/domain/ids";
import { canCreateTemplates, getTemplateDetail, saveNewTemplate } from "~/models/template.server";
import { requireUser } from "~/route-helpers/guards.server";

export const meta: MetaFunction = () => [{ title: "New template · Plan Together" }];

function requireCreator(context: LoaderFunctionArgs["context"], request: Request) {
  const user = requireUser(context, request);
  if (!canCreateTemplates(user)) throw new Response("Your role can't create templates.", { status: 403 });
  return user;
}

/** `?from=<id>` starts from a copy of an existing template of the organisation. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireCreator(context, request);
  const from = new URL(request.url).searchParams.get("from");
  if (isUuid(from)) {
    const source = await getTemplateDetail(context.db, user.orgId, from);
    if (source) {
      const values = templateToFormValues(source);
      return { values: { ...values, name: `${source.template.name} (copy)`.slice(0, 200) }, copiedFrom: source.template.name };
    }
  }
  return { values: blankTemplateValues(), copiedFrom: null as string | null };
}

type ActionData = { values: TemplateFormValues; errors: TemplateFormErrors | null; revision: number };

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireCreator(context, request);
  const { intent, values } = readTemplateForm(await request.formData());
  const revision = Date.now();

  const rerendered = applyRowIntent(intent, values);
  if (rerendered) return data<ActionData>({ values: rerendered, errors: null, revision });

  const valid = validateTemplateForm(values);
  if (!valid.ok) return data<ActionData>({ values, errors: valid.errors, revision }, { status: 400 });

  const saved = await saveNewTemplate(context.db, {
    orgId: user.orgId,
    name: valid.name,
    description: valid.description,
    createdBy: user.id,
    milestones: valid.milestones,
  });
  if (!saved.ok) {
    const message = saved.reason === "name_taken" ? saved.message : "The template couldn't be saved.";
    return data<ActionData>({ values, errors: { fieldErrors: { name: message } }, revision }, { status: 400 });
  }
  return redirect(`/templates/${saved.template.id}?saved=1`);
}

export default function NewTemplate() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link to="/templates" className="text-slate-600 hover:text-slate-900 hover:underline">
          Templates
        </Link>
      </nav>
      <PageHeader
        title="New template"
        subtitle={
          loaderData.copiedFrom
            ? `A copy of “${loaderData.copiedFrom}”: rename it and change what differs.`
            : "The milestones a deal like this goes through. Plans started from it are scheduled back from the buyer's go-live."
        }
      />
      <TemplateForm
        values={actionData?.values ?? loaderData.values}
        errors={actionData?.errors}
        revision={actionData?.revision}
        submitLabel="Save template"
        cancelTo="/templates"
        busy={busy}
      />
    </>
  );
}
