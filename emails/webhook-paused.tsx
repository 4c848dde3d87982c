import { ButtonLink, Details, EmailLayout, P, type EmailFooter } from "./layout";

export interface WebhookPausedEmailProps {
  recipientName: string;
  url: string;
  failures: number;
  lastFailure: string;
  /** When the next single test delivery goes out, in words (UTC). */
  nextTry: string;
  settingsUrl: string;
  footer: EmailFooter;
}

export function webhookPausedSubject(p: Pick<WebhookPausedEmailProps, "url">): string {
  let host = p.url;
  try {
    host = new URL(p.url).host;
  } catch {
    // keep the address as stored
  }
  return `Webhook deliveries to ${host} are paused`;
}

/** To an organisation's admins when an endpoint keeps failing and deliveries to it pause (issue 17). */
export function WebhookPausedEmail(p: WebhookPausedEmailProps) {
  return (
    <EmailLayout preview={`${p.failures} failed attempts in a row: ${p.lastFailure}`} heading="A webhook endpoint is paused" footer={p.footer}>
      <P>Hi {p.recipientName},</P>
      <P>
        Plan Together could not deliver to one of your organisation&apos;s webhook endpoints {p.failures} times in a row, so it stopped sending to it for now.
        Nothing is lost: its deliveries wait, and go out in order once the endpoint answers again.
      </P>
      <Details
        rows={[
          ["Endpoint", p.url],
          ["Last failure", p.lastFailure],
          ["Next try", `${p.nextTry}, with one delivery; the pause grows while it keeps failing`],
        ]}
      />
      <ButtonLink href={p.settingsUrl}>Open the webhook settings</ButtonLink>
      <P muted>Once the receiver is fixed, &quot;Resume now&quot; on that page sends the waiting deliveries at once.</P>
    </EmailLayout>
  );
}
