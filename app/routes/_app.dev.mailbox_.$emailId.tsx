import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Card, PageHeader } from "~/components/ui";
import { isUuid } from "~/domain/ids";
import { kindLabel, outboxStatusLabel } from "~/domain/notifications";
import { getOutboxEmail } from "~/models/outbox.server";
import { formatAddress, fromOnBehalf, SENDER_NAME_HEADER } from "~/domain/mail-sender";
import { getEnv } from "~/infra/env.server";

/** The From the SMTP mailer writes for this email (see createSmtpMailer). */
const senderLine = (mailFrom: string, senderName: string | undefined) => {
  const from = fromOnBehalf(mailFrom, senderName);
  return formatAddress(from.name, from.address);
};
import { notFound, requireAdmin } from "~/route-helpers/guards.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.email.subject ?? "Email"} · Dev mailbox · Plan Together` }];

/* One email as its recipient sees it: the HTML in a sandboxed frame (no scripts, links open a new tab), and the text part. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  if (!context.devMailbox) notFound("The mailbox is off: emails go out through SMTP (set DEV_MAILBOX=on to keep a copy here).");
  if (!params.emailId || !isUuid(params.emailId)) notFound("No such email.");
  const email = await getOutboxEmail(context.db, admin.orgId, params.emailId);
  if (!email) notFound("No such email.");
  return {
    email: {
      subject: email.subject,
      from: senderLine(getEnv().MAIL_FROM, email.headers?.[SENDER_NAME_HEADER]),
      to: email.to_name ? `${email.to_name} <${email.to_address}>` : email.to_address,
      kind: email.kind,
      status: email.status,
      messageId: email.message_id,
      headers: email.headers,
      attempts: email.attempts,
      lastError: email.last_error,
      createdAt: email.created_at,
      sentAt: email.sent_at,
      // Links inside the frame open in a new tab instead of inside the sandbox.
      srcDoc: email.html.replace(/<head>/i, '<head><base target="_blank">'),
      text: email.text,
    },
  };
}

export default function DevMailboxEmail() {
  const { email } = useLoaderData<typeof loader>();
  const status = outboxStatusLabel(email.status);
  const rows: Array<[string, string]> = [
    ["From", email.from],
    ["To", email.to],
    ["Kind", kindLabel(email.kind)],
    ["Message-ID", email.messageId],
    ...Object.entries(email.headers).map(([k, v]): [string, string] => [k, v]),
    ["Written", new Date(email.createdAt).toISOString().replace("T", " ").slice(0, 19) + " UTC"],
    ...(email.sentAt ? ([["Handled", new Date(email.sentAt).toISOString().replace("T", " ").slice(0, 19) + " UTC"]] as Array<[string, string]>) : []),
    ...(email.lastError ? ([["Last error", email.lastError]] as Array<[string, string]>) : []),
  ];
  return (
    <div className="space-y-4">
      <Link to="/dev/mailbox" className="text-sm font-medium text-brand-700 hover:underline">
        ← Dev mailbox
      </Link>
      <PageHeader title={email.subject} actions={<Badge tone={status.tone}>{status.label}</Badge>} />
      <Card className="p-4">
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-500">{label}</dt>
              <dd className="break-all text-slate-800">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <Card className="overflow-hidden">
        <h2 className="border-b border-slate-200 px-4 py-2 text-sm font-semibold text-slate-900">HTML</h2>
        <iframe title="The email as HTML" sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={email.srcDoc} className="h-[36rem] w-full bg-white" />
      </Card>
      <Card className="overflow-hidden">
        <h2 className="border-b border-slate-200 px-4 py-2 text-sm font-semibold text-slate-900">Plain text</h2>
        <pre className="overflow-x-auto whitespace-pre-wrap p-4 font-mono text-xs text-slate-800">{email.text}</pre>
      </Card>
    </div>
  );
}
