import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { AuthFooterLink, AuthLayout } from "~/components/auth-layout";
import { Alert, Button, TextField } from "~/components/ui";
import { createOrganisationWithAdmin, EmailInUseError } from "~/models/user.server";
import { recordSignupAttempt, signupWaitSeconds } from "~/models/auth-throttle.server";
import { startSession } from "~/infra/sessions.server";
import { MIN_PASSWORD_LENGTH } from "~/domain/passwords";
import { hashPassword } from "~/infra/password.server";
import { plural } from "~/domain/words";
import { passOnPageHeaders } from "~/route-helpers/page-headers.server";

export const meta: MetaFunction = () => [{ title: "Create an organisation · Plan Together" }];

export const headers = passOnPageHeaders;

export function loader({ context }: LoaderFunctionArgs) {
  return context.user ? redirect("/plans") : null;
}

const schema = z.object({
  organisation: z.string().trim().min(1, "Enter your company's name.").max(200, "Keep it under 200 characters."),
  name: z.string().trim().min(1, "Enter your name.").max(200, "Keep it under 200 characters."),
  email: z.string().trim().max(320).email("Enter a valid email address."),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(1000, "Keep it under 1,000 characters."),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const values = {
    organisation: String(form.organisation ?? ""),
    name: String(form.name ?? ""),
    email: String(form.email ?? ""),
  };
  const parsed = schema.safeParse({ ...values, password: String(form.password ?? "") });
  if (!parsed.success) {
    return data({ values, formError: null, fieldErrors: parsed.error.flatten().fieldErrors as Record<string, string[] | undefined> }, { status: 400 });
  }
  const waitSeconds = await signupWaitSeconds(context.db, context.clientIp, context.now);
  if (waitSeconds > 0) {
    const formError = `Too many organisations were created from your network just now. Wait ${plural(waitSeconds, "second")} and try again.`;
    return data(
      { values, formError, fieldErrors: {} as Record<string, string[] | undefined> },
      { status: 429, headers: { "Retry-After": String(waitSeconds) } },
    );
  }
  await recordSignupAttempt(context.db, context.clientIp, context.now);
  const passwordHash = await hashPassword(parsed.data.password);
  const user = await createOrganisationWithAdmin(context.db, {
    organisation: parsed.data.organisation,
    email: parsed.data.email,
    name: parsed.data.name,
    passwordHash,
  }).catch((error: unknown) => {
    if (error instanceof EmailInUseError) return null;
    throw error;
  });
  if (!user) {
    // One address, one account (ADR 019): nothing was created, and the form keeps what was typed.
    const fieldErrors = { email: ["This email already has an account. Sign in with it, or use another address."] };
    return data({ values, formError: null, fieldErrors: fieldErrors as Record<string, string[] | undefined> }, { status: 400 });
  }
  const cookie = await startSession(context.lucia, user);
  return redirect("/plans", { headers: { "Set-Cookie": cookie } });
}

export default function Signup() {
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors;
  const hasFieldErrors = Object.keys(errors ?? {}).length > 0;
  const busy = useNavigation().state === "submitting";
  return (
    <AuthLayout
      title="Create your organisation"
      subtitle="You'll be its administrator and can add your team next."
      footer={
        <AuthFooterLink prompt="Already have an account?" to="/login">
          Sign in
        </AuthFooterLink>
      }
    >
      <Form method="post" className="space-y-4" noValidate>
        {actionData?.formError ? <Alert>{actionData.formError}</Alert> : hasFieldErrors ? <Alert>Please fix the highlighted fields.</Alert> : null}
        <TextField
          label="Company"
          name="organisation"
          autoComplete="organization"
          required
          defaultValue={actionData?.values.organisation}
          error={errors?.organisation?.[0]}
        />
        <TextField label="Your name" name="name" autoComplete="name" required defaultValue={actionData?.values.name} error={errors?.name?.[0]} />
        <TextField
          label="Work email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={actionData?.values.email}
          error={errors?.email?.[0]}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          error={errors?.password?.[0]}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        />
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? "Creating…" : "Create organisation"}
        </Button>
      </Form>
    </AuthLayout>
  );
}
