import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Card, EmptyState, PageHeader } from "~/components/ui";
import { isUuid } from "~/domain/ids";
import { getWebhookEndpoint, listWebhookDeliveries } from "~/models/webhooks.server";
import { notFound, requireAdmin } from "~/route-helpers/guards.server";

export const meta: MetaFunction = () => [{ title: "Webhook deliveries · Plan Together" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  if (!isUuid(params.endpointId)) notFound();
  const endpoint = await getWebhookEndpoint(context.db, admin.orgId, params.endpointId);
  if (!endpoint) notFound();
  const deliveries = await listWebhookDeliveries(context.db, admin.orgId, endpoint.id);
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return {
    endpoint: { id: endpoint.id, url: endpoint.url, active: endpoint.active },
    deliveries: deliveries.map((d) => ({
      id: d.id,
      eventType: d.event_type,
      eventId: d.event_id,
      status: d.status,
      attempts: d.attempts,
      lastStatusCode: d.last_status_code,
      lastError: d.last_error,
      createdAt: iso(d.created_at)!,
      deliveredAt: iso(d.delivered_at),
      nextAttemptAt: iso(d.next_attempt_at),
      buyerCompany: d.buyer_company,
    })),
  };
}

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }) + " UTC" : "—";

export default function WebhookDeliveries() {
  const { endpoint, deliveries } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Delivery log"
        subtitle={
          <span className="break-all">
            {endpoint.url}
            {endpoint.active ? "" : " (disabled)"}
          </span>
        }
        actions={
          <Link to="/settings/webhooks" className="text-sm text-brand-700 underline">
            All endpoints
          </Link>
        }
      />
      {deliveries.length === 0 ? (
        <EmptyState title="Nothing sent yet">Deliveries appear here when a subscribed event happens, or when you send a test event.</EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-3">
                  Event
                </th>
                <th scope="col" className="px-4 py-3">
                  Status
                </th>
                <th scope="col" className="px-4 py-3">
                  Attempts
                </th>
                <th scope="col" className="px-4 py-3">
                  Last answer
                </th>
                <th scope="col" className="px-4 py-3">
                  Time
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td className="px-4 py-3 align-top">
                    <code>{d.eventType}</code>
                    <div className="text-xs text-slate-500">
                      {d.buyerCompany ?? ""} · {d.eventId}
                    </div>
                  </td>
                  <td className="px-4 py-3 align-top">
                    <Badge tone={d.status === "delivered" ? "green" : d.status === "failed" ? "red" : "amber"}>{d.status}</Badge>
                    {d.status === "pending" && d.attempts > 0 ? <div className="text-xs text-slate-500">next try {when(d.nextAttemptAt)}</div> : null}
                  </td>
                  <td className="px-4 py-3 align-top">{d.attempts}</td>
                  <td className="px-4 py-3 align-top">
                    {d.lastStatusCode ?? "—"}
                    {d.lastError ? <div className="max-w-xs break-words text-xs text-red-700">{d.lastError}</div> : null}
                  </td>
                  <td className="px-4 py-3 align-top text-xs">
                    {when(d.createdAt)}
                    {d.deliveredAt ? <div>delivered {when(d.deliveredAt)}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}
