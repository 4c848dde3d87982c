import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert, Badge, Card, EmptyState, PageHeader } from "~/components/ui";
import { formatRelative } from "~/domain/dates";
import { kindLabel, outboxStatusLabel } from "~/domain/notifications";
import { listOutbox } from "~/models/outbox.server";
import { getEnv } from "~/infra/env.server";
import { notFound, requireAdmin } from "~/route-helpers/guards.server";
import { plural } from "~/domain/words";

export const meta: MetaFunction = () => [{ title: "Dev mailbox · Plan Together" }];

/*
 * /dev/mailbox (admins only): the organisation's emails as the outbox holds them. Without
 * SMTP_URL nothing is sent and this is where the emails are read; with SMTP it shows what went
 * out, what waits for another attempt and what failed.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  if (!context.devMailbox) notFound("The mailbox is off: emails go out through SMTP (set DEV_MAILBOX=on to keep a copy here).");
  const emails = await listOutbox(context.db, admin.orgId);
  return {
    smtp: Boolean(getEnv().SMTP_URL),
    now: context.now.toISOString(),
    emails: emails.map((e) => ({
      id: e.id,
      kind: e.kind,
      to: e.to_name ? `${e.to_name} <${e.to_address}>` : e.to_address,
      subject: e.subject,
      status: e.status,
      attempts: e.attempts,
      createdAt: e.created_at,
      nextAttemptAt: e.next_attempt_at,
      lastError: e.last_error,
    })),
  };
}

export default function DevMailbox() {
  const { smtp, emails, now } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader title="Dev mailbox" subtitle="Every email your organisation's plans produced, newest first." />
      <div className="mb-4">
        <Alert kind="info">
          {smtp
            ? "Emails are sent through your SMTP server. This list shows what went out, what waits for another attempt, and what failed."
            : "No SMTP_URL is set, so nothing leaves this machine: emails are kept here, shown as their recipients would see them."}
        </Alert>
      </div>
      {emails.length === 0 ? (
        <EmptyState title="No emails yet">Invitations, reminders and date changes appear here as they happen.</EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Subject</th>
                <th className="px-4 py-2">To</th>
                <th className="px-4 py-2">Kind</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2">Written</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {emails.map((e) => {
                const status = outboxStatusLabel(e.status);
                return (
                  <tr key={e.id} className="align-top">
                    <td className="px-4 py-2">
                      <Link to={`/dev/mailbox/${e.id}`} className="font-medium text-brand-700 hover:underline">
                        {e.subject}
                      </Link>
                      {e.lastError ? <p className="mt-0.5 text-xs text-slate-500">{e.lastError}</p> : null}
                    </td>
                    <td className="px-4 py-2 text-slate-700">{e.to}</td>
                    <td className="px-4 py-2 text-slate-600">{kindLabel(e.kind)}</td>
                    <td className="whitespace-nowrap px-4 py-2">
                      <Badge tone={status.tone} title={e.attempts ? `${plural(e.attempts, "attempt")}` : undefined}>
                        {status.label}
                      </Badge>
                      {e.status === "pending" && new Date(e.nextAttemptAt) > new Date(now) ? (
                        <p className="mt-0.5 text-xs text-slate-500">not before {new Date(e.nextAttemptAt).toISOString().slice(0, 16).replace("T", " ")} UTC</p>
                      ) : null}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatRelative(new Date(e.createdAt), new Date(now))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
