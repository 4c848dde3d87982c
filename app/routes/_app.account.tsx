import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FlashStatus, useResetKey } from "~/components/flash-status";
import { NewPasswordFields } from "~/components/new-password-fields";
import { Alert, Button, Card, PageHeader, TextField } from "~/components/ui";
import { MAX_PASSWORD_LENGTH, newPasswordErrors } from "~/domain/passwords";
import { roleLabel } from "~/domain/roles";
import { plural } from "~/domain/words";
import { changePassword } from "~/models/account-tokens.server";
import { loginWaitSeconds, recordLoginFailure } from "~/models/auth-throttle.server";
import { getPasswordHash } from "~/models/user.server";
import { redirectWithFlash, takeFlash } from "~/route-helpers/flash.server";
import { requireUser } from "~/route-helpers/guards.server";
import { hashPassword, verifyPassword } from "~/infra/password.server";
import { passOnPageHeaders } from "~/route-helpers/page-headers.server";

/*
 * /account: who you are signed in as, and changing your password (ADR 020). A wrong current
 * password counts as a failed login for the account (the same throttle as the sign-in page); a
 * change ends every other session of the account and keeps this one.
 */

export const meta: MetaFunction = () => [{ title: "Your account · Plan Together" }];

const PATH = "/account";

export const headers = passOnPageHeaders;

export function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { flash, headers } = takeFlash(context, request, PATH);
  return data({ name: user.name, email: user.email, role: user.role, organisationName: user.organisation.name, flash }, { headers });
}

type FieldErrors = { currentPassword?: string; password?: string; confirm?: string };

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = await request.formData();
  const text = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");
  const current = text("currentPassword");
  const password = text("password");
  const confirm = text("confirm");

  const fieldErrors: FieldErrors = newPasswordErrors(password, confirm);
  if (!current) fieldErrors.currentPassword = "Enter your current password.";
  else if (current.length > MAX_PASSWORD_LENGTH) fieldErrors.currentPassword = "That's not your current password.";
  else if (!fieldErrors.password && !fieldErrors.confirm && password === current) fieldErrors.password = "Choose a password different from your current one.";
  if (Object.keys(fieldErrors).length) return data({ formError: null, fieldErrors }, { status: 400 });

  // The sign-in page's throttle: a stolen session cannot be used to guess the password either.
  const waitSeconds = await loginWaitSeconds(context.db, user.email, context.clientIp, context.now);
  if (waitSeconds > 0) {
    const formError = `Too many wrong passwords. Wait ${plural(waitSeconds, "second")} and try again.`;
    return data({ formError, fieldErrors: {} as FieldErrors }, { status: 429, headers: { "Retry-After": String(waitSeconds) } });
  }
  const stored = await getPasswordHash(context.db, user.orgId, user.id);
  if (!(await verifyPassword(stored ?? null, current))) {
    await recordLoginFailure(context.db, user.email, context.clientIp, context.now);
    return data({ formError: null, fieldErrors: { currentPassword: "That's not your current password." } as FieldErrors }, { status: 400 });
  }

  const ended = await changePassword(context.db, {
    orgId: user.orgId,
    userId: user.id,
    passwordHash: await hashPassword(password),
    keepSessionId: context.lucia.readSessionCookie(request.headers.get("Cookie") ?? ""),
    now: context.now,
  });
  const elsewhere =
    ended === 0
      ? "You were not signed in anywhere else."
      : `You were signed out of ${ended === 1 ? "1 other session" : `${ended} other sessions`}; this one stays signed in.`;
  return redirectWithFlash(context, PATH, { target: "password", message: `Your password was changed. ${elsewhere}` });
}

export default function Account() {
  const { name, email, role, organisationName, flash } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const resetKey = useResetKey(flash, "password");
  const errors: FieldErrors = result?.fieldErrors ?? {};
  return (
    <>
      <PageHeader title="Your account" subtitle={`${name} · ${roleLabel(role)} at ${organisationName}`} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="p-5">
          <h2 className="text-base font-semibold text-slate-900">Signed in as</h2>
          <dl className="mt-3 space-y-2 text-sm">
            <div>
              <dt className="text-slate-500">Name</dt>
              <dd className="font-medium text-slate-900">{name}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Email (you sign in with it)</dt>
              <dd className="font-medium text-slate-900">{email}</dd>
            </div>
          </dl>
          <p className="mt-3 text-xs text-slate-500">An administrator can change your role and manager on the Team page.</p>
        </Card>
        <Card className="p-5 lg:col-span-2">
          <h2 id="password" className="text-base font-semibold text-slate-900">
            Change your password
          </h2>
          <p className="mt-1 text-sm text-slate-600">Changing it signs you out on every other device and browser; this one stays signed in.</p>
          <FlashStatus flash={flash} target="password" className="mt-3" />
          <Form key={resetKey} method="post" className="mt-4 max-w-sm space-y-4" noValidate>
            {result?.formError ? <Alert>{result.formError}</Alert> : null}
            <input type="hidden" name="username" autoComplete="username" value={email} />
            <TextField
              label="Current password"
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
              error={errors.currentPassword}
            />
            <NewPasswordFields errors={errors} confirmLabel="Type the new password again" />
            <Button type="submit" disabled={busy}>
              {busy ? "Saving…" : "Change password"}
            </Button>
          </Form>
        </Card>
      </div>
    </>
  );
}
