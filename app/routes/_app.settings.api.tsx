import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Alert, Badge, Button, Card, EmptyState, PageHeader, SelectField, TableHead, TextField } from "~/components/ui";
import { isUuid } from "~/domain/ids";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-tokens.server";
import { requireAdmin } from "~/route-helpers/guards.server";

export const meta: MetaFunction = () => [{ title: "API tokens · Plan Together" }];

const SCOPES = [
  { value: "read", label: "Read: plans, dates and the forecast" },
  { value: "read_write", label: "Read and write: also create plans and set CRM fields" },
] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  const tokens = await listApiTokens(context.db, admin.orgId);
  return {
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      scope: t.scope,
      createdBy: t.created_by_name,
      createdAt: new Date(t.created_at).toISOString(),
      lastUsedAt: t.last_used_at ? new Date(t.last_used_at).toISOString() : null,
      revokedAt: t.revoked_at ? new Date(t.revoked_at).toISOString() : null,
    })),
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "create") {
    // The database drops U+0000 from text (withoutNul): a name of NULs alone would arrive empty and break the column's check.
    const name = String(form.get("name") ?? "")
      .replaceAll("\u0000", "")
      .trim();
    const scope = String(form.get("scope") ?? "");
    const errors: Record<string, string> = {};
    if (!name || name.length > 100) errors.name = "Name the token (up to 100 characters), e.g. after the CRM it is for.";
    if (scope !== "read" && scope !== "read_write") errors.scope = "Pick what the token may do.";
    if (Object.keys(errors).length) return data({ ok: false as const, token: null, message: null, errors }, { status: 400 });
    const created = await createApiToken(context.db, { orgId: admin.orgId, name, scope: scope as "read" | "read_write", createdBy: admin.id });
    return data({ ok: true as const, token: { name: created.name, value: created.token }, message: null, errors: {} as Record<string, string> });
  }
  if (intent === "revoke") {
    const tokenId = String(form.get("tokenId") ?? "");
    const revoked = isUuid(tokenId) && (await revokeApiToken(context.db, admin.orgId, tokenId, context.now));
    if (!revoked)
      return data(
        { ok: false as const, token: null, message: "That token does not exist or was already revoked.", errors: {} as Record<string, string> },
        { status: 400 },
      );
    return data({ ok: true as const, token: null, message: "Revoked: requests with that token now get 401.", errors: {} as Record<string, string> });
  }
  return data({ ok: false as const, token: null, message: "Unknown action.", errors: {} as Record<string, string> }, { status: 400 });
}

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC" : "never";

export default function ApiSettings() {
  const { tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader title="API tokens" subtitle="Let your CRM read plans and their customer-confirmed dates, and write back its own ids." />
      {result?.message ? (
        <div className="mb-4">
          <Alert kind={result.ok ? "success" : "error"}>{result.message}</Alert>
        </div>
      ) : null}
      {result?.token ? (
        <div className="mb-6">
          <Alert kind="success">
            <p className="font-medium">Token “{result.token.name}” created. Copy it now: it is shown only once.</p>
            <label htmlFor="new-token" className="sr-only">
              The new token
            </label>
            <input
              id="new-token"
              readOnly
              value={result.token.value}
              className="mt-2 w-full rounded-md border-0 bg-white px-2 py-1.5 font-mono text-sm ring-1 ring-inset ring-slate-300"
            />
          </Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="overflow-x-auto lg:col-span-2">
          {tokens.length === 0 ? (
            <EmptyState title="No tokens yet">Create one for each system that calls the API.</EmptyState>
          ) : (
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <TableHead columns={["Token", "Last used", { hidden: "Actions" }]} />
              <tbody className="divide-y divide-slate-100">
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td className="px-4 py-3 align-top">
                      <div className="font-medium text-slate-900">
                        {t.name}{" "}
                        {t.revokedAt ? (
                          <Badge tone="slate">Revoked</Badge>
                        ) : (
                          <Badge tone={t.scope === "read" ? "blue" : "amber"}>{t.scope === "read" ? "Read" : "Read and write"}</Badge>
                        )}
                      </div>
                      <div className="text-xs text-slate-500">
                        Created {when(t.createdAt)} by {t.createdBy ?? "a former teammate"}
                        {t.revokedAt ? ` · revoked ${when(t.revokedAt)}` : ""}
                      </div>
                    </td>
                    <td className="px-4 py-3 align-top text-slate-600">{when(t.lastUsedAt)}</td>
                    <td className="px-4 py-3 text-right align-top">
                      {t.revokedAt ? null : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="tokenId" value={t.id} />
                          <Button kind="secondary" type="submit" disabled={busy} aria-label={`Revoke ${t.name}`}>
                            Revoke
                          </Button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card className="p-4">
          <h2 className="text-base font-semibold text-slate-900">New token</h2>
          <Form method="post" className="mt-3 space-y-4">
            <input type="hidden" name="intent" value="create" />
            <TextField
              label="Name"
              name="name"
              required
              maxLength={100}
              placeholder="Salesforce sync"
              error={result && !result.ok ? result.errors.name : undefined}
            />
            <SelectField label="Access" name="scope" defaultValue="read" error={result && !result.ok ? result.errors.scope : undefined}>
              {SCOPES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </SelectField>
            <Button type="submit" disabled={busy}>
              Create token
            </Button>
          </Form>
          <p className="mt-4 text-xs text-slate-500">
            Send it as <code>Authorization: Bearer pt_…</code>. The API is described at{" "}
            <a className="underline" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>
            . We keep only a hash of each token.
          </p>
        </Card>
      </div>
    </>
  );
}
