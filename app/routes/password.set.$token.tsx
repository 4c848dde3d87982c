import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout";
import { NewPasswordFields } from "~/components/new-password-fields";
import { Alert, Button } from "~/components/ui";
import type { AccountTokenState } from "~/domain/account-tokens";
import { newPasswordErrors } from "~/domain/passwords";
import { looksLikeLinkToken } from "~/domain/tokens";
import { findAccountToken, setPasswordWithToken } from "~/models/account-tokens.server";
import { startSession } from "~/infra/sessions.server";
import { knownDeviceCookie } from "~/route-helpers/known-device.server";
import { hashPassword } from "~/infra/password.server";
import { tenantTokenLookup } from "~/domain/tenant-token";
import { ssoRequired } from "~/models/sso.server";

/*
 * /password/set/<token>: where an invitation or a reset email leads (ADR 020). The token is the
 * credential; only its hash is stored. The form asks for the new password twice; success spends
 * the link, ends every session of the account, signs this browser in and lands on /plans.
 */

export const meta: MetaFunction = () => [{ title: "Choose a password · Plan Together" }, { name: "robots", content: "noindex" }];

type Refusal = Exclude<AccountTokenState, "usable"> | "unknown" | "sso";

/** What a dead link's page says: what happened, and what to do instead. */
function refusal(state: Refusal) {
  const forgot = "use “Forgot your password?” on the sign-in page to get a new link";
  const pages: Record<Refusal, { title: string; message: string }> = {
    used: {
      title: "This link was already used",
      message: `A password was set with this link, and each link works once. Sign in with that password; if you don't know it, ${forgot}.`,
    },
    replaced: {
      title: "A newer link replaced this one",
      message: `Only the most recent link sent to you works. Use the newest email, ask your administrator to resend your invitation, or ${forgot}.`,
    },
    expired: {
      title: "This link has expired",
      message: `Set-password links stop working after a while (an invitation after 7 days, a reset after an hour). Ask your administrator to resend your invitation, or ${forgot}.`,
    },
    sso: {
      title: "Your organisation uses single sign-on",
      message: "Your administrator has turned passwords off: sign in with “Continue with single sign-on” on the sign-in page.",
    },
    unknown: {
      title: "This link is not valid",
      message: `Check that the whole link was copied from the email. If it still doesn't work, ask your administrator to resend your invitation, or ${forgot}.`,
    },
  };
  return { state, ...pages[state] };
}

const statusOf = (state: Refusal) => (state === "unknown" ? 404 : state === "sso" ? 403 : 410);

/** Passwords are off for the link's organisation (mandatory single sign-on, ADR 044). */
async function passwordsOff(db: Parameters<typeof ssoRequired>[0], token: string): Promise<boolean> {
  const orgId = tenantTokenLookup(token)?.orgId;
  return orgId ? ssoRequired(db, orgId) : false;
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const view = looksLikeLinkToken(token) ? await findAccountToken(context.db, token, context.now) : undefined;
  if (!view || view.state !== "usable") {
    const state: Refusal = view ? (view.state as Refusal) : "unknown";
    return data({ usable: false as const, refusal: refusal(state) }, { status: statusOf(state) });
  }
  if (await passwordsOff(context.db, token)) return data({ usable: false as const, refusal: refusal("sso") }, { status: 403 });
  return {
    usable: true as const,
    // An invited teammate who asked for a reset before setting a password is still joining.
    joining: view.purpose === "invite" || view.user.invited,
    name: view.user.name,
    email: view.user.email,
    organisationName: view.organisationName,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await request.formData();
  const password = typeof form.get("password") === "string" ? String(form.get("password")) : "";
  const confirm = typeof form.get("confirm") === "string" ? String(form.get("confirm")) : "";
  if (!looksLikeLinkToken(token)) return data({ fieldErrors: {}, refusal: refusal("unknown") }, { status: 404 });
  const fieldErrors = newPasswordErrors(password, confirm);
  if (fieldErrors.password || fieldErrors.confirm) return data({ fieldErrors, refusal: null }, { status: 400 });
  if (await passwordsOff(context.db, token)) return data({ fieldErrors: {}, refusal: refusal("sso") }, { status: 403 });
  const outcome = await setPasswordWithToken(context.db, { token, passwordHash: await hashPassword(password), now: context.now });
  if (!outcome.ok) return data({ fieldErrors: {}, refusal: refusal(outcome.state) }, { status: statusOf(outcome.state) });
  const headers = new Headers();
  headers.append("Set-Cookie", await startSession(context.lucia, outcome.user));
  // Proving the address makes this browser a known device (ADR 019): the way back in during an attack.
  headers.append("Set-Cookie", knownDeviceCookie(outcome.user.id, undefined, context.secureCookies));
  return redirect("/plans", { headers });
}

function DeadLink({ title, message }: { title: string; message: string }) {
  return (
    <AuthLayout
      title={title}
      footer={
        <>
          <Link to="/password/forgot" className="font-medium text-brand-600 hover:underline">
            Forgot your password?
          </Link>
          {" · "}
          <Link to="/login" className="font-medium text-brand-600 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <p className="text-sm text-slate-700">{message}</p>
    </AuthLayout>
  );
}

export default function SetPassword() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (result?.refusal) return <DeadLink title={result.refusal.title} message={result.refusal.message} />;
  if (!page.usable) return <DeadLink title={page.refusal.title} message={page.refusal.message} />;
  const errors: { password?: string; confirm?: string } = result?.fieldErrors ?? {};
  return (
    <AuthLayout
      title={page.joining ? `Welcome, ${page.name}` : "Choose a new password"}
      subtitle={
        page.joining
          ? `Choose a password to join ${page.organisationName} on Plan Together. You'll sign in with ${page.email}.`
          : `For ${page.email} at ${page.organisationName}. Setting it signs you out everywhere else.`
      }
    >
      <Form method="post" className="space-y-4" noValidate>
        {errors.password || errors.confirm ? <Alert>Please fix the highlighted fields.</Alert> : null}
        {/* Lets a password manager file the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={page.email} />
        <NewPasswordFields errors={errors} autoFocus confirmLabel="Type it again" />
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? "Saving…" : page.joining ? "Set password and sign in" : "Save and sign in"}
        </Button>
      </Form>
    </AuthLayout>
  );
}
