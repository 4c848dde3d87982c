import { AccountEmailField } from "~/components/account-email-field";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { AuthFooterLink, AuthLayout } from "~/components/auth-layout";
import { Alert, Button } from "~/components/ui";
import { RESET_TTL_MS } from "~/domain/account-tokens";
import { requestPasswordReset } from "~/models/account-access.server";
import { redirectWithFlash, takeFlash } from "~/route-helpers/flash.server";
import { plural } from "~/domain/words";
import { passOnPageHeaders } from "~/route-helpers/page-headers.server";
import { findSsoForEmail } from "~/models/sso.server";

/*
 * "Forgot your password?" (ADR 020). The answer is the same redirect and the same message whether
 * or not an account uses the address, after at least the same time: nothing here tells anyone
 * which addresses have accounts. Throttled per address asked about and per client address.
 */

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Plan Together" }];

export const headers = passOnPageHeaders;

/** Every answer takes at least this long, found account or not (rendering and writing an email takes a few ms). */
const ANSWER_FLOOR_MS = 300;
const PATH = "/password/forgot";

export function loader({ context, request }: LoaderFunctionArgs) {
  const { flash, headers } = takeFlash(context, request, PATH);
  return data({ sent: flash?.message ?? null }, { headers });
}

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(320, "Keep it under 320 characters.").email("Enter a valid email address."),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const started = performance.now();
  const form = await request.formData();
  const email = typeof form.get("email") === "string" ? String(form.get("email")) : "";
  const parsed = schema.safeParse({ email });
  if (!parsed.success) return data({ email, formError: null, fieldErrors: parsed.error.flatten().fieldErrors }, { status: 400 });
  // The domain's organisation has turned passwords off (ADR 044): its sign-in page already says so to anyone.
  if ((await findSsoForEmail(context.db, parsed.data.email))?.required) {
    const formError =
      "Your organisation signs in with single sign-on, so there is no password to reset. Use “Continue with single sign-on” on the sign-in page.";
    return data({ email, formError, fieldErrors: {} }, { status: 403 });
  }
  const outcome = await requestPasswordReset(context.db, { email: parsed.data.email, ip: context.clientIp, now: context.now });
  const wait = ANSWER_FLOOR_MS - (performance.now() - started);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  if (outcome.throttled) {
    const s = outcome.waitSeconds;
    const formError = `Too many reset requests for this address or from your network. Wait ${plural(s, "second")} and try again.`;
    return data({ email, formError, fieldErrors: {} }, { status: 429, headers: { "Retry-After": String(s) } });
  }
  const minutes = Math.round(RESET_TTL_MS / 60_000);
  return redirectWithFlash(context, PATH, {
    message: `If an account uses ${parsed.data.email.toLowerCase()}, we've sent a link to it to choose a new password. The link works for ${minutes} minutes. Nothing arrived? Check your spam folder, or ask your administrator.`,
  });
}

export default function ForgotPassword() {
  const { sent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: { email?: string[] } = result?.fieldErrors ?? {};
  return (
    <AuthLayout
      title="Forgot your password?"
      subtitle="Enter the email you sign in with, and we'll send you a link to choose a new password."
      footer={
        <AuthFooterLink prompt="Remembered it?" to="/login">
          Sign in
        </AuthFooterLink>
      }
    >
      <Form method="post" className="space-y-4" noValidate>
        {sent ? <Alert kind="success">{sent}</Alert> : null}
        {result?.formError ? <Alert>{result.formError}</Alert> : null}
        <AccountEmailField defaultValue={result?.email ?? ""} error={errors.email?.[0]} />
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? "Sending…" : "Send me a link"}
        </Button>
      </Form>
    </AuthLayout>
  );
}
