import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type UploadHandler,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { validateTemplateHeader } from "~/components/template-form";
import { Alert, Button, ButtonLink, Card, PageHeader, TextAreaField, TextField } from "~/components/ui";
import { decodeCsvBytes } from "~/domain/csv-file-decoding";
import { EXAMPLE_TEMPLATE_CSV, parseTemplateCsv } from "~/domain/template-csv";
import { TEMPLATE_LIMITS, type TemplateRowError } from "~/domain/template-rows";
import { canCreateTemplates, saveNewTemplate } from "~/models/template.server";
import { requireUser } from "~/route-helpers/guards.server";

export const meta: MetaFunction = () => [{ title: "Import a template · Plan Together" }];

const MAX_KB = Math.round(TEMPLATE_LIMITS.csvBytes / 1024);

function requireCreator(context: LoaderFunctionArgs["context"], request: Request) {
  const user = requireUser(context, request);
  if (!canCreateTemplates(user)) throw new Response("Your role can't create templates.", { status: 403 });
  return user;
}

export function loader({ context, request }: LoaderFunctionArgs) {
  requireCreator(context, request);
  return null;
}

interface ImportForm {
  fields: Record<string, string>;
  file: File | null;
  /** The field that went over the size limit, if one did. */
  tooLarge: string | null;
}

/** Beyond this, an upload is not worth reading to the end to answer politely. */
const ABSURD_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * Reads the form with a size limit per part. A part over the limit is read to its end and
 * dropped (answering before the browser has sent its body would reset the connection), and the
 * other fields are kept, so the user gets the page back with what they typed.
 */
async function readImportForm(request: Request): Promise<ImportForm> {
  const fields: Record<string, string> = {};
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    const form = await request.formData();
    for (const [key, value] of form) if (typeof value === "string") fields[key] = value;
    const tooLarge = new TextEncoder().encode(fields.csv ?? "").byteLength > TEMPLATE_LIMITS.csvBytes ? "csv" : null;
    return { fields, file: null, tooLarge };
  }
  let tooLarge: string | null = null;
  let total = 0;
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: TEMPLATE_LIMITS.csvBytes });
  const limited: UploadHandler = async (part) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      total += chunk.byteLength;
      if (total > ABSURD_UPLOAD_BYTES) throw new MaxPartSizeExceededError(part.name, TEMPLATE_LIMITS.csvBytes);
      if (size <= TEMPLATE_LIMITS.csvBytes) chunks.push(chunk);
    }
    if (size > TEMPLATE_LIMITS.csvBytes) {
      tooLarge = part.name;
      return undefined;
    }
    const value = await memory({
      ...part,
      data: (async function* () {
        yield* chunks;
      })(),
    });
    if (typeof value === "string") fields[part.name] = value;
    return value;
  };
  try {
    const form = await unstable_parseMultipartFormData(request, limited);
    const file = form.get("file");
    return { fields, file: file instanceof File && file.size > 0 ? file : null, tooLarge };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { fields, file: null, tooLarge: error.field };
    throw error;
  }
}

type ActionData = {
  values: { name: string; description: string; csv: string };
  fieldErrors: { name?: string; description?: string; file?: string; csv?: string };
  csvErrors: TemplateRowError[];
  fileName: string | null;
};

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireCreator(context, request);
  const { fields, file, tooLarge } = await readImportForm(request);
  const values = { name: fields.name ?? "", description: fields.description ?? "", csv: fields.csv ?? "" };
  const fileName = file?.name || null;
  const answer = (fieldErrors: ActionData["fieldErrors"], csvErrors: TemplateRowError[] = [], status = 400) =>
    data<ActionData>({ values: tooLarge === "csv" ? { ...values, csv: "" } : values, fieldErrors, csvErrors, fileName }, { status });

  if (tooLarge) {
    const where = tooLarge === "csv" ? "csv" : "file";
    return answer(
      {
        [where]: `That is more than ${MAX_KB} KB. A template holds up to ${TEMPLATE_LIMITS.milestones} milestones, which fits well under that: check it's the right file.`,
      },
      [],
      413,
    );
  }

  // A blank name takes the file's ("Enterprise deals.csv" → "Enterprise deals").
  const header = validateTemplateHeader({
    name: values.name.trim() === "" && fileName ? fileName.replace(/\.(csv|tsv|txt)$/i, "") : values.name,
    description: values.description,
  });

  let text: string | null = null;
  let sourceError: string | undefined;
  if (file) {
    const decoded = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
    if (decoded.ok) text = decoded.text;
    else sourceError = decoded.message;
  } else if (values.csv.trim() !== "") {
    text = values.csv;
  }
  if (text === null) {
    return answer({
      ...(header.ok ? {} : header.fieldErrors),
      file: sourceError ?? "Choose a CSV file, or paste the rows in the box below.",
    });
  }

  const parsed = parseTemplateCsv(text);
  if (!header.ok || !parsed.ok) return answer(header.ok ? {} : header.fieldErrors, parsed.ok ? [] : parsed.errors);

  const saved = await saveNewTemplate(context.db, {
    orgId: user.orgId,
    name: header.name,
    description: header.description,
    createdBy: user.id,
    milestones: parsed.milestones,
  });
  if (!saved.ok) return answer({ name: saved.reason === "name_taken" ? saved.message : "The template couldn't be saved." });
  return redirect(`/templates/${saved.template.id}?saved=1`);
}

const COLUMNS: Array<[string, string]> = [
  ["title", "The milestone, e.g. “Security review”. Required."],
  ["owner side", "buyer, seller or joint. Required."],
  ["duration", "Working days it takes; 0 for an event such as a signature. Required."],
  [
    "depends on",
    "Rows that must finish first: titles or row numbers as your spreadsheet shows them (the header is row 1, so the first milestone is row 2), separated by ; or |.",
  ],
  ["lag", "Working days to wait after those finish. Optional, 0 if empty."],
  ["close", "“yes” on the signature milestone (its date is the forecast close date). Optional, at most one."],
  ["description", "Optional details for both sides."],
];

export default function ImportTemplate() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const summaryRef = useRef<HTMLDivElement>(null);
  const errors = actionData?.fieldErrors ?? {};
  const csvErrors = actionData?.csvErrors ?? [];
  const hasErrors = Boolean(actionData);

  useEffect(() => {
    if (hasErrors) summaryRef.current?.focus();
  }, [actionData, hasErrors]);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link to="/templates" className="text-slate-600 hover:text-slate-900 hover:underline">
          Templates
        </Link>
      </nav>
      <PageHeader
        title="Import a template from CSV"
        subtitle="Bring the milestone list you already keep in a spreadsheet. Nothing is saved unless every row is right."
      />

      <div className="grid gap-6 lg:grid-cols-5">
        <div className="min-w-0 space-y-6 lg:col-span-3">
          {hasErrors ? (
            <div ref={summaryRef} tabIndex={-1} className="space-y-3 focus:outline-none">
              <Alert>
                <p className="font-medium">Nothing was imported.</p>
                <p className="mt-1">
                  {csvErrors.length > 0
                    ? `Fix ${csvErrors.length === 1 ? "this problem" : `these ${csvErrors.length} problems`} in ${actionData?.fileName ? `“${actionData.fileName}”` : "the rows"} and try again.`
                    : "Check the highlighted fields below."}
                  {csvErrors.length > 0 && Object.values(errors).some(Boolean) ? " Also check the highlighted fields below." : ""}
                  {actionData?.fileName ? " For safety browsers forget the chosen file: choose it again after fixing it." : ""}
                </p>
              </Alert>
              {csvErrors.length > 0 ? <ErrorReport errors={csvErrors} /> : null}
            </div>
          ) : null}

          <Card className="p-4 sm:p-6">
            <Form method="post" encType="multipart/form-data" noValidate className="space-y-5">
              <TextField
                label="Template name"
                name="name"
                maxLength={TEMPLATE_LIMITS.name + 50}
                defaultValue={actionData?.values.name}
                error={errors.name}
                hint="Leave it blank to use the file's name."
              />
              <TextAreaField
                label="Description (optional)"
                name="description"
                rows={2}
                defaultValue={actionData?.values.description}
                error={errors.description}
                hint="When to use this template: the kind of buyer, deal size or product."
              />
              <div>
                <label htmlFor="field-file" className="block text-sm font-medium text-slate-800">
                  CSV file
                </label>
                <input
                  id="field-file"
                  name="file"
                  type="file"
                  accept=".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"
                  aria-invalid={errors.file ? true : undefined}
                  aria-describedby={errors.file ? "field-file-error" : "field-file-hint"}
                  className="mt-1 block w-full rounded-md text-sm text-slate-700 file:mr-3 file:cursor-pointer file:rounded-md file:border-0 file:bg-white file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-800 file:shadow-sm file:ring-1 file:ring-inset file:ring-slate-300 hover:file:bg-slate-50"
                />
                {errors.file ? (
                  <p id="field-file-error" className="mt-1 text-sm text-red-700">
                    {errors.file}
                  </p>
                ) : (
                  <p id="field-file-hint" className="mt-1 text-xs text-slate-500">
                    Comma-separated, up to {MAX_KB} KB and {TEMPLATE_LIMITS.milestones} milestones. In Excel or Google Sheets: File › Download or Save as › CSV.
                  </p>
                )}
              </div>
              <TextAreaField
                label="Or paste the rows"
                name="csv"
                rows={8}
                spellCheck={false}
                defaultValue={actionData?.values.csv}
                error={errors.csv}
                placeholder={"title,owner side,duration,depends on,lag\nSecurity review,buyer,10,,"}
                hint="Including the header row. Cells copied straight from a spreadsheet work too. A chosen file takes precedence."
                className="[&_textarea]:font-mono [&_textarea]:text-xs"
              />
              <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
                <ButtonLink to="/templates" kind="ghost">
                  Cancel
                </ButtonLink>
                <Button type="submit" disabled={busy}>
                  {busy ? "Importing…" : "Import template"}
                </Button>
              </div>
            </Form>
          </Card>
        </div>

        <aside aria-labelledby="format-heading" className="min-w-0 lg:col-span-2">
          <Card className="p-4 sm:p-6">
            <h2 id="format-heading" className="text-base font-semibold text-slate-900">
              What the file looks like
            </h2>
            <p className="mt-1 text-sm text-slate-600">
              A header row naming the columns (in any order; other columns are ignored), then one milestone per row, in the order they usually happen.
            </p>
            <dl className="mt-4 space-y-2 text-sm">
              {COLUMNS.map(([name, meaning]) => (
                <div key={name}>
                  <dt className="inline font-mono text-xs font-semibold text-slate-900">{name}</dt>
                  <dd className="inline text-slate-600"> — {meaning}</dd>
                </div>
              ))}
            </dl>
            <h3 className="mt-5 text-sm font-semibold text-slate-900">Example</h3>
            <pre className="mt-2 overflow-x-auto rounded-md bg-slate-50 p-3 text-xs leading-relaxed text-slate-800 ring-1 ring-inset ring-slate-200">
              {EXAMPLE_TEMPLATE_CSV}
            </pre>
            <a
              href={`data:text/csv;charset=utf-8,${encodeURIComponent(EXAMPLE_TEMPLATE_CSV)}`}
              download="template-example.csv"
              className="mt-3 inline-block rounded text-sm font-medium text-brand-700 hover:underline"
            >
              Download this example
            </a>
          </Card>
        </aside>
      </div>
    </>
  );
}

function ErrorReport({ errors }: { errors: TemplateRowError[] }) {
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Problems found in the file</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2">
              Row
            </th>
            <th scope="col" className="px-4 py-2">
              Column
            </th>
            <th scope="col" className="px-4 py-2">
              Problem
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {errors.map((e, i) => (
            <tr key={i}>
              <td className="whitespace-nowrap px-4 py-2 tabular-nums text-slate-900">{e.row > 0 ? e.row : "—"}</td>
              <td className="whitespace-nowrap px-4 py-2 text-slate-700">{e.column ?? (e.row > 0 ? "" : "File")}</td>
              <td className="px-4 py-2 text-slate-700">{e.problem.charAt(0).toUpperCase() + e.problem.slice(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
