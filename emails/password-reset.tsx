import { ButtonLink, Details, EmailLayout, P, type EmailFooter } from "./layout";

export interface PasswordResetEmailProps {
  recipientName: string;
  organisationName: string;
  /** /password/set/<token>: the only place the token is ever written down. */
  setPasswordUrl: string;
  /** When the link stops working, in words (UTC). */
  expiresAt: string;
  footer: EmailFooter;
}

export const PASSWORD_RESET_SUBJECT = "Reset your Plan Together password";

/** The link "Forgot your password?" sends (ADR 020). */
export function PasswordResetEmail(p: PasswordResetEmailProps) {
  return (
    <EmailLayout preview="Choose a new password; the link works for one hour." heading="Choose a new password" footer={p.footer}>
      <P>Hi {p.recipientName},</P>
      <P>Someone, hopefully you, asked to reset the password of your Plan Together account at {p.organisationName}.</P>
      <ButtonLink href={p.setPasswordUrl}>Choose a new password</ButtonLink>
      <Details rows={[["Link works until", p.expiresAt]]} />
      <P muted>
        The link works once, for one hour. Setting a new password signs you out on every other device. If you did not ask for this, ignore this email: your
        password stays as it is.
      </P>
    </EmailLayout>
  );
}
