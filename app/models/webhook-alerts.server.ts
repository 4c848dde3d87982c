import { createElement } from "react";
import type { Transaction } from "kysely";
import type { DB } from "../../db/types";
import { renderEmail } from "../../emails/render";
import { WebhookPausedEmail, webhookPausedSubject, type PausedEndpoint } from "../../emails/webhook-paused";
import { messageIdDomain } from "~/domain/notifications";
import { getEnv, publicBaseUrl } from "~/infra/env.server";
import { preferencesUrl } from "~/models/email-preferences.server";
import { enqueueEmail } from "~/models/outbox.server";

/*
 * Telling an organisation's admins that one of their webhook endpoints was paused by its circuit
 * breaker (issue 17, item 2). Written in the transaction that records the failure that paused it,
 * through the email outbox, once per pause (the dedupe key names the endpoint and the moment the
 * pause began).
 */

export interface EndpointPaused {
  orgId: string;
  endpointId: string;
  endpoint: PausedEndpoint;
  failures: number;
  lastFailure: string;
  pausedUntil: Date;
  now: Date;
}

const when = (d: Date) => d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

export async function queueEndpointPausedEmails(trx: Transaction<DB>, paused: EndpointPaused): Promise<number> {
  const env = getEnv();
  const baseUrl = publicBaseUrl(env);
  const admins = await trx
    .selectFrom("users")
    .select(["id", "name", "email"])
    .where("org_id", "=", paused.orgId)
    .where("role", "=", "admin")
    .where("deactivated_at", "is", null)
    .orderBy("email")
    .execute();
  let written = 0;
  for (const admin of admins) {
    const footer = {
      reason: "You get this email because you administer your organisation's webhooks in Plan Together.",
      preferencesUrl: preferencesUrl(baseUrl, { orgId: paused.orgId, email: admin.email, audience: "seller" }),
    };
    const props = {
      recipientName: admin.name,
      endpoint: paused.endpoint,
      failures: paused.failures,
      lastFailure: paused.lastFailure,
      nextTry: when(paused.pausedUntil),
      // The page the admin resumes it from.
      settingsUrl: `${baseUrl}${paused.endpoint.kind === "chat" ? "/settings/chat" : "/settings/webhooks"}`,
      footer,
    };
    const rendered = await renderEmail(webhookPausedSubject(props), createElement(WebhookPausedEmail, props));
    const added = await enqueueEmail(trx, {
      orgId: paused.orgId,
      kind: "webhook_paused",
      to: { email: admin.email, name: admin.name },
      audience: "seller",
      ...rendered,
      preferencesUrl: footer.preferencesUrl,
      dedupeKey: `webhook_paused:${paused.endpointId}:${paused.now.toISOString()}:${admin.id}`,
      messageIdDomain: messageIdDomain(env.MAIL_FROM),
    });
    if (added) written++;
  }
  return written;
}
