import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BuyerErrorPage, BuyerLayout } from "~/components/buyer-layout";
import { BUYER_GO_LIVE_INTENTS, BuyerGoLive } from "~/components/buyer-go-live";
import { DateText } from "~/components/date-text";
import { PlanDates } from "~/components/plan-header";
import { MilestoneStatusBadge, OWNER_SIDE_LABEL } from "~/components/plan-status";
import { CalendarFeedCard } from "~/components/calendar-feed";
import { CommentThread } from "~/components/comment-thread";
import { PlanTimeline } from "~/components/plan-timeline";
import { Alert, Badge, Button, Card, cx, TextField } from "~/components/ui";
import { describeActivity } from "~/domain/activity";
import { formatRelative, todayIn } from "~/domain/dates";
import { buyerCookieName, countVisit, readCookie } from "~/models/buyer-access.server";
import {
  addComment, buyerAddColleague, buyerConfirmGoLive, buyerEditor, buyerPreviewGoLive, buyerProposeGoLive, buyerSetDone, buyerSetOwner, buyerSetPin,
} from "~/models/buyer-commands.server";
import { loadBuyerPlanPage } from "~/models/plan-page.server";
import { linkNotFound, requireBuyer } from "~/utils/buyer-route.server";
import { commandFailure, formString, formVersion } from "~/utils/plan-route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.plan.buyer_company} and ${data.seller} · Plan Together` : "Shared plan · Plan Together" },
  { name: "robots", content: "noindex" },
];
// Referrer-Policy and X-Robots-Tag come from the HTTP layer for every buyer page.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  // One statement: the device's session and live link, the organisation, the plan and everything on it.
  const planId = params.planId ?? "";
  const page = await loadBuyerPlanPage(context.db, planId, readCookie(request.headers.get("Cookie"), buyerCookieName(planId)), context.now);
  if (!page) linkNotFound();
  const { buyer, plan } = page;
  const today = todayIn(page.timeZone ?? "UTC", context.now);
  // The visit counter: a write, and only when this device's last visit is half an hour old.
  await countVisit(context.db, { org_id: buyer.org_id, id: buyer.link_id, last_visit_at: buyer.last_visit_at }, context.now);
  // Buyers see the plan, not the deal: no value, CRM date or rep-only fields leave the server.
  return {
    plan: { ...plan, value: 0, currency: "USD" },
    seller: page.seller,
    me: { name: buyer.name, stakeholderId: buyer.stakeholder_id },
    today,
    now: context.now.toISOString(),
    milestones: page.milestones,
    people: page.people,
    comments: page.comments,
    activity: page.activity.map((e) => ({
      id: e.id, at: e.created_at,
      text: describeActivity({ action: e.action, actorName: e.actor_name, actorSide: e.actor_side, subject: e.subject, changes: e.changes, reason: e.reason }, today),
    })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { buyer, today } = await requireBuyer(context, request, params.planId);
  const form = await request.formData();
  const intent = formString(form, "intent");
  const milestoneId = formString(form, "milestoneId");
  const rid = context.requestId;
  let colleague: { token: string; name: string } | null = null;
  try {
    switch (intent) {
      case "done":
      case "reopen":
        await buyerSetDone(context.db, buyer, today, rid, milestoneId, formVersion(form), intent === "done");
        break;
      case "owner":
        await buyerSetOwner(context.db, buyer, today, rid, milestoneId, formVersion(form), formString(form, "ownerStakeholderId"));
        break;
      case "pin":
        await buyerSetPin(context.db, buyer, today, rid, milestoneId, formVersion(form), formString(form, "pinnedDate"));
        break;
      case "comment":
        await addComment(context.db, buyerEditor(buyer, today, rid), buyer.org_id, buyer.plan_id, milestoneId || null, formString(form, "body"));
        break;
      case "confirm-go-live":
        await buyerConfirmGoLive(context.db, buyer, today, rid, formVersion(form));
        break;
      case "preview-go-live": {
        const values = { goLive: formString(form, "goLive"), reason: formString(form, "reason") };
        const preview = await buyerPreviewGoLive(context.db, buyer, today, values);
        return data({ intent, ok: true as const, preview, values });
      }
      case "propose-go-live":
        await buyerProposeGoLive(context.db, buyer, today, rid, formVersion(form), { goLive: formString(form, "goLive"), reason: formString(form, "reason") });
        break;
      case "add-colleague":
        colleague = await buyerAddColleague(context.db, buyer, today, rid, { name: formString(form, "name"), email: formString(form, "email"), title: formString(form, "title") }, context.now);
        break;
      default:
        return data({ intent, ok: false as const, formError: "Unknown action.", fieldErrors: {} as Partial<Record<string, string[]>>, conflict: null, values: {} as Record<string, string> }, { status: 400 });
    }
  } catch (error) {
    const failure = await commandFailure(context, buyer.org_id, buyer.plan_id, error, today);
    const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
    return data({ intent, ...failure.data, values }, failure.init ?? undefined);
  }
  if (colleague) {
    const url = new URL(`/s/${colleague.token}`, request.url).toString();
    return data({ intent, ok: true as const, colleague: { name: colleague.name, url } });
  }
  return redirect(`/p/${buyer.plan_id}${milestoneId ? `#m-${milestoneId}` : ""}`);
}

export default function BuyerPlan() {
  const { plan, seller, me, today, now, milestones, people, comments, activity } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const failed = result && !result.ok ? result : null;
  const buyerPeople = people.filter((p) => p.side === "buyer");
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const titleOf = new Map(milestones.map((m) => [m.id, m.title]));
  const mine = (m: (typeof milestones)[number]) => m.owner_side !== "seller";
  const errorFor = (intent: string, id?: string) => (failed && failed.intent === intent && (!id || failed.values.milestoneId === id) ? failed : null);

  return (
    <BuyerLayout seller={seller}>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{plan.buyer_company}: {plan.title}</h1>
      <p className="mt-1 text-sm text-slate-600">{`Your shared plan with ${seller}. Signed in on this device as ${me.name}.`}</p>

      {/* An error about a milestone shows beside it; one about a milestone no longer on the page (removed meanwhile) shows here. */}
      {failed && BUYER_GO_LIVE_INTENTS.includes(failed.intent) ? null : failed && !titleOf.has(failed.values.milestoneId ?? "") && failed.intent !== "add-colleague" ? (
        <div className="mt-4"><Alert>{failed.formError}</Alert></div>
      ) : null}

      <div className="mt-5">
        <PlanDates plan={plan} today={today} />
      </div>

      <BuyerGoLive plan={plan} today={today} busy={busy} result={result} />

      {milestones.length ? (
        <Card className="mt-4 p-3">
          <PlanTimeline milestones={milestones} today={today} goLive={plan.go_live} projectedGoLive={plan.projected_go_live} />
        </Card>
      ) : null}

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="steps" className="lg:col-span-2">
          <h2 id="steps" className="mb-2 text-base font-semibold text-slate-900">Steps to go-live</h2>
          <ol className="space-y-3">
            {milestones.map((m) => {
              const thread = comments.filter((c) => c.milestone_id === m.id);
              const err = failed && failed.values.milestoneId === m.id ? failed : null;
              return (
                <li key={m.id} id={`m-${m.id}`}>
                  <Card className={cx("p-4", mine(m) && !m.completed_on ? "ring-brand-100" : undefined)}>
                    <div className="flex flex-wrap items-start justify-between gap-2">
                      <div>
                        <h3 className={cx("font-medium", m.completed_on ? "text-slate-500 line-through decoration-slate-300" : "text-slate-900")}>{m.title}</h3>
                        <p className="mt-0.5 text-xs text-slate-600">
                          {OWNER_SIDE_LABEL[m.owner_side]}{m.owner_stakeholder_id ? ` · ${nameOf.get(m.owner_stakeholder_id) ?? ""}` : ""} ·{" "}
                          {m.completed_on ? <>done <DateText iso={m.completed_on} today={today} /></> : <>due <DateText iso={m.due_date} today={today} className="font-medium text-slate-800" /></>}
                          {m.depends_on.length ? ` · after ${m.depends_on.map((d) => titleOf.get(d)).join(", ")}` : ""}
                        </p>
                      </div>
                      <div className="flex flex-wrap gap-1">
                        {mine(m) ? <Badge tone="blue">Your side</Badge> : null}
                        {m.is_close ? <Badge tone="slate">Signature</Badge> : null}
                        {m.pinned_date ? <Badge tone="slate" title={m.pinned_date}>Pinned</Badge> : null}
                        <MilestoneStatusBadge status={m.schedule_status} floatDays={m.float_days} />
                      </div>
                    </div>
                    {m.description ? <p className="mt-2 text-sm text-slate-700">{m.description}</p> : null}
                    {err ? <div className="mt-2"><Alert>{err.formError}{err.conflict ? ` Their change: ${err.conflict.what}.` : ""}</Alert></div> : null}
                    {mine(m) ? (
                      <div className="mt-3 flex flex-wrap items-end gap-3 border-t border-slate-100 pt-3">
                        <Form method="post" preventScrollReset>
                          <input type="hidden" name="milestoneId" value={m.id} />
                          <input type="hidden" name="version" value={m.version} />
                          <Button type="submit" name="intent" value={m.completed_on ? "reopen" : "done"} kind={m.completed_on ? "ghost" : "primary"} className="py-1.5 text-xs" disabled={busy}>
                            {m.completed_on ? "Reopen" : "Mark done"}
                          </Button>
                        </Form>
                        <details className="text-xs" open={!!err && ["owner", "pin"].includes(err.intent)}>
                          <summary className="cursor-pointer py-1.5 font-medium text-slate-600">Owner and fixed date</summary>
                          <div className="mt-2 flex flex-wrap items-end gap-3">
                        <Form method="post" preventScrollReset className="flex items-end gap-1">
                              <input type="hidden" name="milestoneId" value={m.id} />
                              <input type="hidden" name="version" value={m.version} />
                              <label className="text-xs text-slate-600">
                                Owner
                                <select name="ownerStakeholderId" defaultValue={m.owner_stakeholder_id ?? ""} className="mt-0.5 block rounded-md border-0 py-1 pl-2 pr-7 text-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none">
                                  <option value="">Nobody named</option>
                                  {buyerPeople.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
                                </select>
                              </label>
                              <Button type="submit" name="intent" value="owner" kind="secondary" className="py-1 text-xs" disabled={busy}>Set</Button>
                            </Form>
                            <Form method="post" preventScrollReset className="flex items-end gap-1">
                              <input type="hidden" name="milestoneId" value={m.id} />
                              <input type="hidden" name="version" value={m.version} />
                              <label className="text-xs text-slate-600">
                                Fixed date
                                <input type="date" name="pinnedDate" defaultValue={m.pinned_date ?? ""} className="mt-0.5 block rounded-md border-0 px-2 py-1 text-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none" />
                              </label>
                              <Button type="submit" name="intent" value="pin" kind="secondary" className="py-1 text-xs" disabled={busy}>{m.pinned_date ? "Change" : "Pin"}</Button>
                            </Form>
                              </div>
                        </details>
                      </div>
                    ) : null}
                    <CommentThread
                      milestoneId={m.id}
                      title={m.title}
                      comments={thread}
                      now={now}
                      busy={busy}
                      typed={failed?.intent === "comment" && failed.values.milestoneId === m.id ? failed.values.body : undefined}
                    />
                  </Card>
                </li>
              );
            })}
          </ol>
        </section>

        <div className="space-y-6">
          <CalendarFeedCard to={`/p/${plan.id}/calendar`} audience="buyer" />

          <section aria-labelledby="people">
            <h2 id="people" className="mb-2 text-base font-semibold text-slate-900">People</h2>
            <Card className="p-4">
              <ul className="space-y-2 text-sm">
                {people.map((p) => (
                  <li key={p.id}>
                    <span className="font-medium text-slate-900">{p.name}</span>{" "}
                    <span className="text-xs text-slate-500">{[p.title, p.side === "buyer" ? plan.buyer_company : seller].filter(Boolean).join(" · ")}</span>
                  </li>
                ))}
              </ul>
              {result?.ok && "colleague" in result ? (
                <div className="mt-3">
                  <Alert kind="success">
                    {result.colleague.name} is on the plan. Send them their own link (shown once):
                    <input readOnly value={result.colleague.url} aria-label="Their link" className="mt-2 block w-full rounded border-0 bg-white px-2 py-1 font-mono text-xs ring-1 ring-emerald-200" />
                  </Alert>
                </div>
              ) : null}
              <details className="mt-3 border-t border-slate-100 pt-3" open={failed?.intent === "add-colleague"}>
                <summary className="cursor-pointer text-sm font-medium text-brand-700">Add a colleague</summary>
                <Form method="post" className="mt-3 space-y-3" noValidate>
                  {errorFor("add-colleague") ? <Alert>{errorFor("add-colleague")!.formError}</Alert> : null}
                  <TextField label="Name" name="name" defaultValue={errorFor("add-colleague")?.values.name} error={errorFor("add-colleague")?.fieldErrors.name?.[0]} />
                  <TextField label="Email" name="email" type="email" defaultValue={errorFor("add-colleague")?.values.email} error={errorFor("add-colleague")?.fieldErrors.email?.[0]} />
                  <TextField label="Job title" name="title" defaultValue={errorFor("add-colleague")?.values.title} />
                  <Button type="submit" name="intent" value="add-colleague" kind="secondary" disabled={busy}>Add colleague</Button>
                </Form>
              </details>
            </Card>
          </section>
          <section aria-labelledby="recent">
            <h2 id="recent" className="mb-2 text-base font-semibold text-slate-900">Recent changes</h2>
            <Card className="p-4">
              <ol className="space-y-2 text-sm">
                {activity.map((e) => (
                  <li key={e.id}>
                    <p className="text-slate-800">{e.text}</p>
                    <p className="text-xs text-slate-500">{formatRelative(new Date(e.at), new Date(now))}</p>
                  </li>
                ))}
              </ol>
            </Card>
          </section>
        </div>
      </div>
    </BuyerLayout>
  );
}

export { BuyerErrorPage as ErrorBoundary };
