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

export const meta: MetaFunction = () => [{ title: "Sign in · Plan Together" }];

export const headers = passOnPageHeaders;

export function loader({ context, request }: LoaderFunctionArgs) {
  if (context.user) return redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(320).email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password.").max(1000),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const redirectTo = safeRedirectPath(form.get("redirectTo"));
  const parsed = schema.safeParse({ email, password: form.get("password") ?? "" });
  if (!parsed.success) {
    const fieldErrors = parsed.error.flatten().fieldErrors;
    return data({ email, formError: null, fieldErrors }, { status: 400 });
  }
  const outcome = await attemptLogin(context.db, {
    email: parsed.data.email,
    password: parsed.data.password,
    ip: context.clientIp,
    device: readKnownDevice(request.headers.get("Cookie")),
    now: context.now,
  });
  const fieldErrors = {} as Record<string, string[] | undefined>;
  if (!outcome.ok && outcome.reason === "throttled") {
    const wait = plural(outcome.waitSeconds, "second");
    const formError = `Too many sign-in attempts. Wait ${wait} and try again, or reset your password by email. A browser you have signed in with before is not held up.`;
    return data({ email, formError, fieldErrors }, { status: 429, headers: { "Retry-After": String(outcome.waitSeconds) } });
  }
  if (!outcome.ok) return data({ email, formError: "That email and password don't match an account.", fieldErrors }, { status: 401 });
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
      </Form>
    </AuthLayout>
  );
}
