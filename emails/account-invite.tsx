import { ButtonLink, Details, EmailLayout, P, type EmailFooter } from "./layout";

export interface AccountInviteEmailProps {
  recipientName: string;
  inviterName: string;
  organisationName: string;
  /** The address they will sign in with. */
  email: string;
  /** /password/set/<token>: the only place the token is ever written down. */
  setPasswordUrl: string;
  /** When the link stops working, in words (UTC). */
  expiresAt: string;
  footer: EmailFooter;
}

export function accountInviteSubject(p: Pick<AccountInviteEmailProps, "inviterName" | "organisationName">): string {
  return `${p.inviterName} invited you to ${p.organisationName} on Plan Together`;
}

/** A teammate's invitation: they choose their own password from the link (ADR 020). */
export function AccountInviteEmail(p: AccountInviteEmailProps) {
  return (
    <EmailLayout preview={`Choose a password to join ${p.organisationName}.`} heading={`Join ${p.organisationName} on Plan Together`} footer={p.footer}>
      <P>Hi {p.recipientName},</P>
      <P>
        {p.inviterName} added you to {p.organisationName}&apos;s team on Plan Together, where your team and your buyers share one plan to each go-live. Choose a
        password to sign in.
      </P>
      <Details
        rows={[
          ["Sign in with", p.email],
          ["Link works until", p.expiresAt],
        ]}
      />
      <ButtonLink href={p.setPasswordUrl}>Choose your password</ButtonLink>
      <P muted>
        The link works once. If it has expired, ask {p.inviterName} to send a new invitation, or use &ldquo;Forgot your password?&rdquo; on the sign-in page.
      </P>
    </EmailLayout>
  );
}
