import { ButtonLink, Details, EmailLayout, P, type EmailFooter } from "./layout";

/** What was paused: a webhook endpoint (named by its URL) or a chat channel (its name and masked URL: the URL is its secret). */
export type PausedEndpoint = { kind: "webhook"; url: string } | { kind: "chat"; label: string; maskedUrl: string };

export interface WebhookPausedEmailProps {
  recipientName: string;
  endpoint: PausedEndpoint;
  failures: number;
  lastFailure: string;
  /** When the next single test delivery goes out, in words (UTC). */
  nextTry: string;
  settingsUrl: string;
  footer: EmailFooter;
}

const WORDS = {
  webhook: { heading: "A webhook endpoint is paused", thing: "webhook endpoints", items: "deliveries", row: "Endpoint", button: "Open the webhook settings" },
  chat: { heading: "A chat channel is paused", thing: "Slack or Teams channels", items: "alerts", row: "Channel", button: "Open the chat alert settings" },
} as const;

function nameOf(endpoint: PausedEndpoint): string {
  if (endpoint.kind === "chat") return `${endpoint.label} (${endpoint.maskedUrl})`;
  try {
    return new URL(endpoint.url).host;
  } catch {
    return endpoint.url; // as stored
  }
}

export function webhookPausedSubject(p: Pick<WebhookPausedEmailProps, "endpoint">): string {
  return p.endpoint.kind === "chat" ? `Alerts to ${p.endpoint.label} are paused` : `Webhook deliveries to ${nameOf(p.endpoint)} are paused`;
}

/** To an organisation's admins when an endpoint or a chat channel keeps failing and sending to it pauses (issue 17, ADR 045). */
export function WebhookPausedEmail(p: WebhookPausedEmailProps) {
  const words = WORDS[p.endpoint.kind];
  return (
    <EmailLayout preview={`${p.failures} failed attempts in a row: ${p.lastFailure}`} heading={words.heading} footer={p.footer}>
      <P>Hi {p.recipientName},</P>
      <P>
        Plan Together could not deliver to one of your organisation&apos;s {words.thing} {p.failures} times in a row, so it stopped sending to it for now.
        Nothing is lost: its {words.items} wait, and go out in order once it answers again.
      </P>
      <Details
        rows={[
          [words.row, p.endpoint.kind === "chat" ? nameOf(p.endpoint) : p.endpoint.url],
          ["Last failure", p.lastFailure],
          ["Next try", `${p.nextTry}, with one delivery; the pause grows while it keeps failing`],
        ]}
      />
      <ButtonLink href={p.settingsUrl}>{words.button}</ButtonLink>
      <P muted>Once the receiver is fixed, &quot;Resume now&quot; on that page sends the waiting {words.items} at once.</P>
    </EmailLayout>
  );
}
