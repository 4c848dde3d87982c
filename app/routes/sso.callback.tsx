import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AuthFooterLink, AuthLayout } from "~/components/auth-layout";
import { Alert } from "~/components/ui";
import { completeSsoSignIn } from "~/route-helpers/sso.server";

/*
 * Where an organisation's identity provider sends people back (ADR 044): a session and their
 * page, or a refusal that says what went wrong and leads back to the sign-in page.
 */
export const meta: MetaFunction = () => [{ title: "Single sign-on · Plan Together" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const outcome = await completeSsoSignIn(context, request);
  if (outcome.ok) throw outcome.response;
  return data({ message: outcome.message }, { status: outcome.status, headers: outcome.headers });
}

export default function SsoCallback() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <AuthLayout title="Single sign-on" footer={<AuthFooterLink to="/login">Back to sign in</AuthFooterLink>}>
      <Alert>{message}</Alert>
    </AuthLayout>
  );
}
