import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FlashStatus, useResetKey } from "~/components/flash-status";
import { DeactivateConfirm, DeactivatedPeople, HandOverForm, type DeactivationPreview, type HandOverError } from "~/components/team-people";
import { Alert, Badge, Button, Card, PageHeader, SelectField, TextField } from "~/components/ui";
import { formatDay, todayIn } from "~/domain/dates";
import { isUuid } from "~/domain/ids";
import { roleLabel, ROLES } from "~/domain/roles";
import { inviteTeammate, resendInvitation } from "~/models/account-access.server";
import { listPendingInvites } from "~/models/account-tokens.server";
import { liveApiTokensCreatedBy } from "~/models/api-tokens.server";
import { activePlanCountsByOwner, handOverCandidates, handOverPlans } from "~/models/plan-handover.server";
import { deactivateUser, listUsers, reactivateUser, updateUserRoleAndManager } from "~/models/user.server";
import { redirectWithFlash, takeFlash } from "~/route-helpers/flash.server";
import { requireAdmin } from "~/route-helpers/guards.server";
import { passOnPageHeaders } from "~/route-helpers/page-headers.server";

export const meta: MetaFunction = () => [{ title: "Team · Plan Together" }];

export const headers = passOnPageHeaders;

const day = (at: Date, timeZone: string) => at.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone });

export async function loader({ context, request }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  const [users, planCounts, candidates, pending] = await Promise.all([
    listUsers(context.db, admin.orgId),
    activePlanCountsByOwner(context.db, admin.orgId),
    handOverCandidates(context.db, admin.orgId),
    listPendingInvites(context.db, admin.orgId),
  ]);
  const timeZone = admin.organisation.timeZone;
  const today = todayIn(timeZone, context.now);
  // The confirmation step before deactivating someone is a page of its own (?deactivate=<id>), so it works without JavaScript.
  const asked = new URL(request.url).searchParams.get("deactivate");
  const target = asked ? users.find((u) => u.id === asked && !u.deactivated_at) : undefined;
  let confirm: DeactivationPreview | null = null;
  if (target && target.id !== admin.id) {
    const tokens = await liveApiTokensCreatedBy(context.db, admin.orgId, target.id);
    confirm = {
      id: target.id,
      name: target.name,
      activePlans: planCounts[target.id] ?? 0,
      reports: users.filter((u) => u.manager_id === target.id && !u.deactivated_at).length,
      tokens: tokens.map((t) => t.name),
    };
  }
  // Teammates who have not chosen a password yet (ADR 020): when their invitation went, and whether its link still works.
  const invites = Object.fromEntries(
    pending.map((p) => [
      p.userId,
      p.sentAt && p.expiresAt
        ? p.expiresAt.getTime() > context.now.getTime()
          ? `Invitation sent ${day(p.sentAt, timeZone)}; its link works until ${day(p.expiresAt, timeZone)}.`
          : `The invitation sent ${day(p.sentAt, timeZone)} has expired.`
        : "No invitation sent yet.",
    ]),
  );
  const { flash, headers } = takeFlash(context, request, "/team");
  return data(
    {
      users: users.map(({ id, name, email, role, manager_id, deactivated_at }) => ({
        id,
        name,
        email,
        role,
        managerId: manager_id,
        activePlans: planCounts[id] ?? 0,
        invite: invites[id] ?? null,
        deactivatedOn: deactivated_at ? formatDay(todayIn(timeZone, new Date(deactivated_at)), today) : null,
      })),
      me: admin.id,
      candidates: candidates.map(({ id, name }) => ({ id, name })),
      confirm,
      refusedSelf: asked !== null && asked === admin.id,
      flash,
    },
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
    if (!parsed.success)
      return data({ intent, ok: false, values, fieldErrors: parsed.error.flatten().fieldErrors as FieldErrors, message: null }, { status: 400 });
    if (!knownManager(parsed.data.managerId)) {
      return data({ intent, ok: false, values, fieldErrors: { managerId: ["Pick a manager from the list."] } as FieldErrors, message: null }, { status: 400 });
    }
    // No password here: the teammate gets an email with a link to choose one (ADR 020).
    const invited = await inviteTeammate(context.db, {
      orgId: admin.orgId,
      inviterName: admin.name,
      name: parsed.data.name,
      email: parsed.data.email,
      role: parsed.data.role,
      managerId: parsed.data.managerId,
      now: context.now,
    });
    if (!invited.ok)
      return data({ intent, ok: false, values, fieldErrors: { [invited.field]: [invited.message] } as FieldErrors, message: null }, { status: 400 });
    return redirectWithFlash(context, "/team", {
      target: "add",
      message: `We emailed ${invited.user.name} (${invited.user.email}) a link to choose a password; it works for 7 days. They can sign in once they have set it.`,
    });
  }

  if (intent === "resend") {
    const userId = String(form.userId ?? "");
    if (!isUuid(userId))
      return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: "Pick a teammate from the list." }, { status: 400 });
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
      return data(
        { intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: "You cannot remove your own administrator role." },
        { status: 400 },
      );
    }
    const result = await updateUserRoleAndManager(context.db, { orgId: admin.orgId, ...parsed.data });
    if (!result.ok) return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: result.message }, { status: 400 });
    return data({ intent, ok: true, values: null, fieldErrors: {} as FieldErrors, message: "Saved." });
  }

  if (intent === "deactivate" || intent === "reactivate") {
    const userId = String(form.userId ?? "");
    if (!isUuid(userId) || !users.some((u) => u.id === userId)) {
      return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: "That person is not in your organisation." }, { status: 400 });
    }
    if (intent === "reactivate") {
      const result = await reactivateUser(context.db, { orgId: admin.orgId, userId });
      if (!result.ok) return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: result.message }, { status: 400 });
      return redirectWithFlash(context, "/team", { target: "team", message: `${result.name} can sign in again.` });
    }
    const result = await deactivateUser(context.db, { orgId: admin.orgId, userId, actorId: admin.id, now: context.now });
    if (!result.ok) return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: result.message }, { status: 400 });
    const tokens = result.tokensRevoked
      ? ` ${result.tokensRevoked === 1 ? "Their API token was" : `Their ${result.tokensRevoked} API tokens were`} revoked.`
      : "";
    const message = result.alreadyDeactivated ? `${result.name} was already deactivated.` : `${result.name} is deactivated and signed out everywhere.${tokens}`;
    return redirectWithFlash(context, "/team", { target: "team", message });
  }

  if (intent === "hand-over") {
    const fromUserId = String(form.fromUserId ?? "");
    const toUserId = String(form.toUserId ?? "");
    const refuse = (message: string) =>
      data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message, handOver: { fromUserId, toUserId, message } }, { status: 400 });
    if (!isUuid(fromUserId) || !users.some((u) => u.id === fromUserId)) return refuse("That person is not in your organisation.");
    if (!isUuid(toUserId)) return refuse("Pick who takes the plans over.");
    const result = await handOverPlans(context.db, {
      orgId: admin.orgId,
      fromUserId,
      toUserId,
      actor: { side: "seller", name: admin.name, userId: admin.id },
      today: todayIn(admin.organisation.timeZone, context.now),
      requestId: context.requestId,
      now: context.now,
    });
    if (!result.ok) return refuse(result.message);
    const plans = result.count === 1 ? "1 plan" : `${result.count} plans`;
    return redirectWithFlash(context, "/team", {
      target: "team",
      message: `${result.toName} now owns ${plans} from ${result.fromName}; we emailed them the list.`,
    });
  }
  return data({ intent, ok: false, values: null, fieldErrors: {} as FieldErrors, message: "Unknown action." }, { status: 400 });
}

export default function Team() {
  const { users, me, candidates, confirm, refusedSelf, flash } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const active = users.filter((u) => !u.deactivatedOn);
  const deactivated = users.filter((u) => u.deactivatedOn);
  // Deactivated people are never offered as managers (ADR 021); someone still reporting to one keeps that choice until it is changed.
  const managers = active.filter((u) => u.role !== "rep");
  const addErrors = result?.intent === "add" ? result.fieldErrors : {};
  const addValues = result?.intent === "add" ? result.values : null;
  const handOverError = result && "handOver" in result ? (result.handOver as HandOverError) : null;
  const byId = (id: string | null) => users.find((u) => u.id === id);
  const nameOf = (id: string | null) => {
    const u = byId(id);
    return u ? `${u.name}${u.deactivatedOn ? " (deactivated)" : ""}` : "—";
  };
  // A successful invitation empties the form (its flash brings a fresh key).
  const addKey = useResetKey(flash, "add");
  return (
    <>
      <PageHeader title="Team" subtitle="Who can sign in, what they can see, and who they report to." />
      <FlashStatus flash={flash} target="team" className="mb-4" />
      <FlashStatus flash={flash} target="resend" className="mb-4" />
      {result?.message && !handOverError ? (
        <div className="mb-4">
          <Alert kind={result.ok ? "success" : "error"}>{result.message}</Alert>
        </div>
      ) : null}
      {refusedSelf ? (
        <div className="mb-4">
          <Alert kind="error">You cannot deactivate yourself; ask another administrator.</Alert>
        </div>
      ) : null}
      {confirm ? <DeactivateConfirm person={confirm} busy={busy} /> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-4 py-3">
                    Person
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Role and manager
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Plans
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {active.map((u) => (
                  <tr key={u.id} data-person={u.email}>
                    <td className="px-4 py-3 align-top">
                      <div className="font-medium text-slate-900">
                        {u.name}
                        {u.id === me ? <span className="ml-1 text-xs font-normal text-slate-500">(you)</span> : null}
                      </div>
                      <div className="text-xs text-slate-500">{u.email}</div>
                      <div className="mt-1 text-xs text-slate-500">
                        {roleLabel(u.role)} · reports to {nameOf(u.managerId)}
                      </div>
                      {u.id !== me ? (
                        <Link to={`/team?deactivate=${u.id}`} className="mt-1 inline-block text-xs font-medium text-red-700 underline-offset-2 hover:underline">
                          Deactivate…<span className="sr-only"> {u.name}</span>
                        </Link>
                      ) : null}
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
                    <td className="px-4 py-3 align-top">
                      <Form method="post" className="flex flex-wrap items-end gap-2">
                        <input type="hidden" name="intent" value="update" />
                        <input type="hidden" name="userId" value={u.id} />
                        <label className="sr-only" htmlFor={`role-${u.id}`}>
                          Role of {u.name}
                        </label>
                        <select
                          id={`role-${u.id}`}
                          name="role"
                          defaultValue={u.role}
                          className="rounded-md border-0 py-1.5 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
                        >
                          {ROLES.map((r) => (
                            <option key={r.value} value={r.value}>
                              {r.label}
                            </option>
                          ))}
                        </select>
                        <label className="sr-only" htmlFor={`manager-${u.id}`}>
                          Manager of {u.name}
                        </label>
                        <select
                          id={`manager-${u.id}`}
                          name="managerId"
                          defaultValue={u.managerId ?? ""}
                          className="rounded-md border-0 py-1.5 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
                        >
                          <option value="">No manager</option>
                          {managers
                            .filter((m) => m.id !== u.id)
                            .map((m) => (
                              <option key={m.id} value={m.id}>
                                {m.name}
                              </option>
                            ))}
                          {byId(u.managerId)?.deactivatedOn ? <option value={u.managerId ?? ""}>{nameOf(u.managerId)}</option> : null}
                        </select>
                        <Button type="submit" kind="secondary" className="py-1.5" disabled={busy}>
                          Save
                        </Button>
                      </Form>
                    </td>
                    <td className="px-4 py-3 align-top">
                      <HandOverForm fromUserId={u.id} fromName={u.name} count={u.activePlans} candidates={candidates} error={handOverError} busy={busy} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <DeactivatedPeople
            people={deactivated.map((u) => ({
              id: u.id,
              name: u.name,
              email: u.email,
              roleLabel: roleLabel(u.role),
              deactivatedOn: u.deactivatedOn ?? "",
              activePlans: u.activePlans,
            }))}
            candidates={candidates}
            handOverError={handOverError}
            busy={busy}
          />
        </div>
        <Card className="p-5">
          <h2 className="text-base font-semibold text-slate-900">Add a teammate</h2>
          <p className="mt-1 text-sm text-slate-600">We email them a link to choose their own password (it works for 7 days); they sign in with their email.</p>
          <FlashStatus flash={flash} target="add" className="mt-4" />
          <Form key={addKey} method="post" className="mt-4 space-y-4" noValidate>
            <input type="hidden" name="intent" value="add" />
            <TextField label="Name" name="name" autoComplete="off" defaultValue={addValues?.name} error={addErrors.name?.[0]} />
            <TextField label="Email" name="email" type="email" autoComplete="off" defaultValue={addValues?.email} error={addErrors.email?.[0]} />
            <SelectField label="Role" name="role" defaultValue={addValues?.role ?? "rep"} error={addErrors.role?.[0]}>
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label} — {r.description}
                </option>
              ))}
            </SelectField>
            <SelectField label="Reports to" name="managerId" defaultValue={addValues?.managerId ?? ""} error={addErrors.managerId?.[0]}>
              <option value="">No manager</option>
              {managers.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </SelectField>
            <Button type="submit" disabled={busy}>
              Send invitation
            </Button>
          </Form>
        </Card>
      </div>
    </>
  );
}
