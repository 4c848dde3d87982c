import { AccountEmailField } from "~/components/account-email-field";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AuthFooterLink, AuthLayout } from "~/components/auth-layout";
import { Alert, Button, TextField } from "~/components/ui";
import { startSession } from "~/infra/sessions.server";
import { safeRedirectPath } from "~/route-helpers/guards.server";
import { knownDeviceCookie, readKnownDevice } from "~/route-helpers/known-device.server";
import { attemptLogin } from "~/route-helpers/login.server";
import { plural } from "~/domain/words";
import { passOnPageHeaders } from "~/route-helpers/page-headers.server";
import { emailDomain } from "~/domain/sso";
import { findSsoForEmail, ssoRequired } from "~/models/sso.server";
import { beginSsoSignIn } from "~/route-helpers/sso.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Plan Together" }];

export const headers = passOnPageHeaders;

export function loader({ context, request }: LoaderFunctionArgs) {
  if (context.user) return redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

const emailSchema = z.string().trim().min(1, "Enter your email address.").max(320).email("Enter a valid email address.");
const schema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(1000),
});

const SSO_ONLY = "Your organisation signs in with single sign-on: passwords are off. Choose Continue with single sign-on.";

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  const redirectTo = safeRedirectPath(form.get("redirectTo"));
  const fieldErrors = {} as Record<string, string[] | undefined>;
  const wantsSso = form.get("intent") === "sso";

  // Email first: an address whose domain signs in with SSO goes to its identity provider (ADR 044).
  const checkedEmail = emailSchema.safeParse(email);
  const sso = checkedEmail.success ? await findSsoForEmail(context.db, checkedEmail.data) : undefined;
  if (wantsSso || (sso && password === "")) {
    if (!checkedEmail.success)
      return data({ email, formError: null, fieldErrors: { email: checkedEmail.error.flatten().formErrors }, sso: true }, { status: 400 });
    if (!sso) {
      const formError = `Single sign-on is not set up for ${emailDomain(checkedEmail.data)}. Sign in with your password.`;
      return data({ email, formError, fieldErrors, sso: false }, { status: 400 });
    }
    const started = await beginSsoSignIn(context, { orgId: sso.orgId, email: checkedEmail.data, redirectTo });
    if (!started.ok) return data({ email, formError: started.message, fieldErrors, sso: true }, { status: 502 });
    return started.response;
  }
  if (sso?.required) return data({ email, formError: SSO_ONLY, fieldErrors, sso: true }, { status: 403 });

  const parsed = schema.safeParse({ email, password });
  if (!parsed.success) {
    return data({ email, formError: null, fieldErrors: parsed.error.flatten().fieldErrors, sso: false }, { status: 400 });
  }
  const outcome = await attemptLogin(context.db, {
    email: parsed.data.email,
    password: parsed.data.password,
    ip: context.clientIp,
    device: readKnownDevice(request.headers.get("Cookie")),
    now: context.now,
  });
  if (!outcome.ok && outcome.reason === "throttled") {
    const wait = plural(outcome.waitSeconds, "second");
    const formError = `Too many sign-in attempts. Wait ${wait} and try again, or reset your password by email. A browser you have signed in with before is not held up.`;
    return data({ email, formError, fieldErrors, sso: false }, { status: 429, headers: { "Retry-After": String(outcome.waitSeconds) } });
  }
  if (!outcome.ok) return data({ email, formError: "That email and password don't match an account.", fieldErrors, sso: false }, { status: 401 });
  // Someone of an SSO-only organisation whose address is outside its domains: told only once their password is right.
  if (await ssoRequired(context.db, outcome.user.org_id)) {
    const formError = "Your organisation signs in with single sign-on and has turned passwords off. Ask your administrator how to sign in.";
    return data({ email, formError, fieldErrors, sso: false }, { status: 403 });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await startSession(context.lucia, outcome.user));
  headers.append("Set-Cookie", knownDeviceCookie(outcome.user.id, outcome.deviceId, context.secureCookies));
  return redirect(redirectTo, { headers });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <AuthLayout
      title="Sign in"
      subtitle="Your plans, your buyers' dates, one place."
      footer={
        <AuthFooterLink prompt="New here?" to="/signup">
          Create an organisation
        </AuthFooterLink>
      }
    >
      <Form method="post" className="space-y-4" noValidate>
        {actionData?.formError ? <Alert>{actionData.formError}</Alert> : null}
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <AccountEmailField defaultValue={actionData?.email ?? ""} error={actionData?.fieldErrors?.email?.[0]} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={actionData?.fieldErrors?.password?.[0]} />
        <p className="-mt-2 text-right text-sm">
          <Link to="/password/forgot" className="font-medium text-brand-600 hover:underline">
            Forgot your password?
          </Link>
        </p>
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </Button>
        <div className="border-t border-slate-200 pt-4">
          <p id="sso-hint" className="mb-2 text-sm text-slate-600">
            Does your organisation use single sign-on (Okta, Entra ID, Google Workspace…)? Enter your work email, then:
          </p>
          <Button
            type="submit"
            name="intent"
            value="sso"
            kind={actionData?.sso ? "primary" : "secondary"}
            className="w-full"
            disabled={busy}
            aria-describedby="sso-hint"
          >
            Continue with single sign-on
          </Button>
        </div>
      </Form>
    </AuthLayout>
  );
}
