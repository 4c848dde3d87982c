import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Alert, Badge, Button, Card, PageHeader, SelectField, TextField } from "~/components/ui";
import { useResetKey } from "~/components/flash-status";
import { isUuid } from "~/domain/ids";
import { roleLabel, ROLES } from "~/domain/roles";
import { listUsers, normaliseEmail, updateUserRoleAndManager } from "~/models/user.server";
import { inviteTeammate, resendInvitation } from "~/models/account-access.server";
import { listPendingInvites } from "~/models/account-tokens.server";
import { redirectWithFlash, takeFlash } from "~/utils/flash.server";
import { requireAdmin } from "~/utils/guards.server";

export const meta: MetaFunction = () => [{ title: "Team · Plan Together" }];

// The loader's Set-Cookie (a spent flash message) goes out with the page.
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers();
  const cookie = loaderHeaders.get("Set-Cookie");
  if (cookie) headers.set("Set-Cookie", cookie);
  return headers;
};

const day = (at: Date, timeZone: string) => at.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone });

export async function loader({ context, request }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  const [users, pending] = await Promise.all([listUsers(context.db, admin.orgId), listPendingInvites(context.db, admin.orgId)]);
  const { flash, headers } = takeFlash(context, request, "/team");
  const tz = admin.organisation.timeZone;
  // Teammates who have not chosen a password yet (ADR 020): when their invitation went, and whether its link still works.
  const invites = Object.fromEntries(
    pending.map((p) => [
      p.userId,
      p.sentAt && p.expiresAt
        ? p.expiresAt.getTime() > context.now.getTime()
          ? `Invitation sent ${day(p.sentAt, tz)}; its link works until ${day(p.expiresAt, tz)}.`
          : `The invitation sent ${day(p.sentAt, tz)} has expired.`
        : "No invitation sent yet.",
    ]),
  );
  return data(
    { users: users.map(({ id, name, email, role, manager_id }) => ({ id, name, email, role, managerId: manager_id, invite: invites[id] ?? null })), me: admin.id, flash },
    { headers },
  );
}

const roleSchema = z.enum(["rep", "manager", "admin"], { errorMap: () => ({ message: "Pick a role." }) });
const managerSchema = z
  .string()
  .transform((v) => (v === "" ? null : v))
  .refine((v) => v === null || isUuid(v), "Pick a manager from the list.");

const addSchema = z.object({
  name: z.string().trim().min(1, "Enter their name.").max(200, "Keep it under 200 characters."),
  email: z.string().trim().max(320).email("Enter a valid email address."),
  role: roleSchema,
  managerId: managerSchema,
});

const updateSchema = z.object({ userId: z.string().refine(isUuid, "Unknown teammate."), role: roleSchema, managerId: managerSchema });

type FieldErrors = Record<string, string[] | undefined>;

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const users = await listUsers(context.db, admin.orgId);
  const knownManager = (id: string | null) => id === null || users.some((u) => u.id === id);

  if (intent === "add") {
    const values = { name: String(form.name ?? ""), email: String(form.email ?? ""), role: String(form.role ?? ""), managerId: String(form.managerId ?? "") };
    const parsed = addSchema.safeParse(values);
    if (!parsed.success) return data({ intent, ok: false, values, fieldErrors: parsed.error.flatten().fieldErrors as FieldErrors, message: null }, { status: 400 });
    if (!knownManager(parsed.data.managerId)) {
      return data({ intent, ok: false, values, fieldErrors: { managerId: ["Pick a manager from the list."] } as FieldErrors, message: null }, { status: 400 });
    }
    if (users.some((u) => u.email === normaliseEmail(parsed.data.email))) {
      return data({ intent, ok: false, values, fieldErrors: { email: ["Someone in your organisation already uses this email."] } as FieldErrors, message: null }, { status: 400 });
    }
    // No password here: the teammate gets an email with a link to choose one (ADR 020).
    const invited = await inviteTeammate(context.db, {
      orgId: admin.orgId, inviterName: admin.name, name: parsed.data.name, email: parsed.data.email,
      role: parsed.data.role, managerId: parsed.data.managerId, now: context.now,
    });
    if (!invited.ok) return data({ intent, ok: false, values, fieldErrors: { [invited.field]: [invited.message] } as FieldErrors, message: null }, { status: 400 });
    return redirectWithFlash(context, "/team", {
      target: "add",
      message: `We emailed ${invited.user.name} (${invited.user.email}) a link to choose a password; it works for 7 days. They can sign in once they have set it.`,
    });
  }

  if (intent === "resend") {
    const userId = String(form.userId ?? "");
    if (!isUuid(userId)) return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: "Pick a teammate from the list." }, { status: 400 });
    const resent = await resendInvitation(context.db, { orgId: admin.orgId, userId, inviterName: admin.name, now: context.now });
    if (!resent.ok) return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: resent.message }, { status: 400 });
    return redirectWithFlash(context, "/team", {
      target: "resend",
      message: `A new invitation went to ${resent.user.name} (${resent.user.email}); the link in any earlier one no longer works.`,
    });
  }

  if (intent === "update") {
    const parsed = updateSchema.safeParse({ userId: form.userId, role: form.role, managerId: String(form.managerId ?? "") });
    if (!parsed.success || !users.some((u) => u.id === parsed.data.userId) || !knownManager(parsed.data.managerId)) {
      return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: "Pick a role and a manager from the lists." }, { status: 400 });
    }
    if (parsed.data.userId === admin.id && parsed.data.role !== "admin") {
      return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: "You cannot remove your own administrator role." }, { status: 400 });
    }
    const result = await updateUserRoleAndManager(context.db, { orgId: admin.orgId, ...parsed.data });
    if (!result.ok) return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: result.message }, { status: 400 });
    return data({ intent, ok: true, values: null, fieldErrors: {} as FieldErrors, message: "Saved." });
  }
  return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: "Unknown action." }, { status: 400 });
}

export default function Team() {
  const { users, me, flash } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const managers = users.filter((u) => u.role !== "rep");
  const addErrors = result?.intent === "add" ? result.fieldErrors : {};
  const addValues = result?.intent === "add" ? result.values : null;
  const nameOf = (id: string | null) => users.find((u) => u.id === id)?.name ?? "—";
  // A successful invitation empties the form (its flash brings a fresh key).
  const addKey = useResetKey(flash, "add");
  return (
    <>
      <PageHeader title="Team" subtitle="Who can sign in, what they can see, and who they report to." />
      {result?.message ? (
        <div className="mb-4">
          <Alert kind={result.ok ? "success" : "error"}>{result.message}</Alert>
        </div>
      ) : flash ? (
        <div className="mb-4">
          <Alert kind="success">{flash.message}</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="overflow-x-auto lg:col-span-2">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-3">Person</th>
                <th scope="col" className="px-4 py-3">Role and manager</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((u) => (
                <tr key={u.id}>
                  <td className="px-4 py-3 align-top">
                    <div className="font-medium text-slate-900">{u.name}{u.id === me ? <span className="ml-1 text-xs font-normal text-slate-500">(you)</span> : null}</div>
                    <div className="text-xs text-slate-500">{u.email}</div>
                    <div className="mt-1 text-xs text-slate-500">{roleLabel(u.role)} · reports to {nameOf(u.managerId)}</div>
                    {u.invite !== null ? (
                      <div className="mt-2 space-y-1">
                        <Badge tone="amber">Invited, hasn&apos;t set a password yet</Badge>
                        <p className="text-xs text-slate-500">{u.invite}</p>
                        <Form method="post">
                          <input type="hidden" name="intent" value="resend" />
                          <input type="hidden" name="userId" value={u.id} />
                          <Button type="submit" kind="secondary" className="py-1 text-xs" disabled={busy} aria-label={`Resend the invitation to ${u.name}`}>
                            Resend invitation
                          </Button>
                        </Form>
                      </div>
                    ) : null}
                  </td>
                  <td className="px-4 py-3">
                    <Form method="post" className="flex flex-wrap items-end gap-2">
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="userId" value={u.id} />
                      <label className="sr-only" htmlFor={`role-${u.id}`}>Role of {u.name}</label>
                      <select id={`role-${u.id}`} name="role" defaultValue={u.role} className="rounded-md border-0 py-1.5 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none">
                        {ROLES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
                      </select>
                      <label className="sr-only" htmlFor={`manager-${u.id}`}>Manager of {u.name}</label>
                      <select id={`manager-${u.id}`} name="managerId" defaultValue={u.managerId ?? ""} className="rounded-md border-0 py-1.5 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none">
                        <option value="">No manager</option>
                        {managers.filter((m) => m.id !== u.id).map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
                      </select>
                      <Button type="submit" kind="secondary" className="py-1.5" disabled={busy}>Save</Button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card className="p-5">
          <h2 className="text-base font-semibold text-slate-900">Add a teammate</h2>
          <p className="mt-1 text-sm text-slate-600">We email them a link to choose their own password (it works for 7 days); they sign in with their email.</p>
          <Form key={addKey} method="post" className="mt-4 space-y-4" noValidate>
            <input type="hidden" name="intent" value="add" />
            <TextField label="Name" name="name" autoComplete="off" defaultValue={addValues?.name} error={addErrors.name?.[0]} />
            <TextField label="Email" name="email" type="email" autoComplete="off" defaultValue={addValues?.email} error={addErrors.email?.[0]} />
            <SelectField label="Role" name="role" defaultValue={addValues?.role ?? "rep"} error={addErrors.role?.[0]}>
              {ROLES.map((r) => <option key={r.value} value={r.value}>{r.label} — {r.description}</option>)}
            </SelectField>
            <SelectField label="Reports to" name="managerId" defaultValue={addValues?.managerId ?? ""} error={addErrors.managerId?.[0]}>
              <option value="">No manager</option>
              {managers.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
            </SelectField>
            <Button type="submit" disabled={busy}>Send invitation</Button>
          </Form>
        </Card>
      </div>
    </>
  );
}
