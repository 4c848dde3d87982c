import { DoneToggle } from "~/components/done-toggle";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { PlanDates, PlanTitle } from "~/components/plan-header";
import { MilestoneStatusBadge } from "~/components/plan-status";
import { OWNER_SIDE_LABELS } from "~/domain/owner-side";
import { PlanTimeline } from "~/components/plan-timeline";
import { CalendarFeedCard } from "~/components/calendar-feed";
import { DateHistoryChart } from "~/components/date-history-chart";
import { CommentThread } from "~/components/comment-thread";
import { FlashStatus, useResetKey } from "~/components/flash-status";
import { Alert, Badge, Button, ButtonLink, Card, cx, EmptyState, SelectField, TextField } from "~/components/ui";
import { describeActivity } from "~/domain/activity";
import { formatRelative, todayIn } from "~/domain/dates";
import { isUuid } from "~/domain/ids";
import { addStakeholder, editorContext, moveMilestone, removeStakeholder, setMilestoneDone } from "~/models/plan-commands.server";
import { reopenPlan } from "~/models/plan-outcome.server";
import { isClosedStatus } from "~/domain/plan-outcome";
import { PlanOutcomeCard } from "~/components/plan-outcome";
import { loadPlanWorkspace } from "~/models/plan-page.server";
import { addComment } from "~/models/buyer-commands.server";
import { isTemplateNameTaken, saveTemplateFromPlan, templateNameTakenMessage } from "~/models/template.server";
import { createLinkForStakeholder, renewLink, revokeLink } from "~/models/share-link-commands.server";
import { linkState } from "~/domain/share-links";
import { projectedFinishWords } from "~/domain/projection";
import { LinkPanel } from "~/components/link-panel";
import { BuyerEngagement } from "~/components/buyer-engagement";
import { MilestoneResources, PlanResources, type ResourceContext } from "~/components/resources";
import { requireUser, viewerOf } from "~/route-helpers/guards.server";
import { redirectWithFlash, takeFlash } from "~/route-helpers/flash.server";
import { badRequest, commandFailure, formString, formVersion, requirePlan } from "~/route-helpers/plan-route.server";
import { publicBaseUrl } from "~/infra/env.server";
import { plural } from "~/domain/words";
import { passOnPageHeaders } from "~/route-helpers/page-headers.server";
import { PlanHealthPanel } from "~/components/plan-health";
import { healthJson, planHealth } from "~/domain/plan-health";
import { mapStakeholderAction } from "~/route-helpers/stakeholder-map.server";
import { StakeholderMap } from "~/components/stakeholder-map";
import type { MapFormFailure } from "~/domain/stakeholder-map";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.plan.buyer_company} · Plan Together` : "Plan · Plan Together" }];

const SIDES = ["buyer", "seller"] as const;

export const headers = passOnPageHeaders;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const side = new URL(request.url).searchParams.get("side");
  const sideFilter = SIDES.find((s) => s === side);
  // One statement: the viewer's scope check, the organisation, the plan and everything on it.
  const page = await loadPlanWorkspace(context.db, viewerOf(user), params.planId ?? "", { side: sideFilter, activityLimit: 50 });
  if (!page) throw new Response("This plan does not exist, or it is not shared with you.", { status: 404 });
  const { plan } = page;
  const today = todayIn(page.timeZone ?? "UTC", context.now);
  const { flash, headers } = takeFlash(context, request, `/plans/${plan.id}`);
  return data(
    {
      plan,
      today,
      health: healthJson(planHealth(plan, today, context.now)),
      owner: page.owner,
      sideFilter: sideFilter ?? null,
      now: context.now.toISOString(),
      flash,
      milestones: page.milestones,
      stakeholders: page.stakeholders,
      links: page.links.map((l) => ({ ...l, state: linkState(l, context.now) })),
      engagement: page.engagement,
      comments: page.comments,
      resources: page.resources,
      dateHistory: page.dateHistory,
      fiscalYearStartMonth: page.fiscalYearStartMonth,
      activity: page.activity.map((e) => ({
        id: e.id,
        at: e.created_at,
        side: e.actor_side,
        text: describeActivity(
          { action: e.action, actorName: e.actor_name, actorSide: e.actor_side, subject: e.subject, changes: e.changes, reason: e.reason },
          today,
        ),
      })),
    },
    { headers },
  );
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { plan, today, editor } = await requirePlan(context, request, params.planId);
  const form = await request.formData();
  const intent = formString(form, "intent");
  const milestoneId = formString(form, "milestoneId");
  try {
    switch (intent) {
      case "complete":
      case "reopen": {
        if (!isUuid(milestoneId)) return badRequest("That milestone is no longer on the plan.");
        await setMilestoneDone(context.db, editor, plan.org_id, plan.id, milestoneId, formVersion(form), intent === "complete" ? today : null);
        break;
      }
      case "reopen-plan":
        await reopenPlan(context.db, editorContext(editor, plan.org_id, plan.id, { expectedVersion: formVersion(form) }));
        return redirectWithFlash(context, `/plans/${plan.id}`, {
          target: "outcome",
          message: "The plan is open again. How it had ended stays in its history.",
        });
      case "move-up":
      case "move-down": {
        if (!isUuid(milestoneId)) return badRequest("That milestone is no longer on the plan.");
        await moveMilestone(context.db, editor, plan.org_id, plan.id, milestoneId, intent === "move-up" ? "up" : "down");
        break;
      }
      case "add-stakeholder":
        await addStakeholder(context.db, editor, plan.org_id, plan.id, {
          side: formString(form, "side"),
          name: formString(form, "name"),
          email: formString(form, "email"),
          title: formString(form, "title"),
        });
        // Post/redirect/get: the form comes back empty and a reload adds nobody twice.
        return redirectWithFlash(context, `/plans/${plan.id}#people`, { target: "people", message: `${formString(form, "name").trim()} is on the plan.` });
      case "remove-stakeholder": {
        const stakeholderId = formString(form, "stakeholderId");
        if (!isUuid(stakeholderId)) return badRequest("That person is no longer on the plan.");
        await removeStakeholder(context.db, editor, plan.org_id, plan.id, stakeholderId);
        break;
      }
      case "map-stakeholder":
        return await mapStakeholderAction(context, form, plan, editor, today);
      case "comment": {
        // Anything but a milestone's id makes it a comment on the plan (and never reaches the Location header).
        const on = isUuid(milestoneId) ? milestoneId : "";
        await addComment(context.db, editor, plan.org_id, plan.id, on || null, formString(form, "body"));
        return redirectWithFlash(context, `/plans/${plan.id}#m-${on}`, { target: `comment:${on}`, message: "Comment posted." });
      }
      case "save-template": {
        const name = formString(form, "templateName").trim();
        const refuse = (message: string) =>
          data(
            {
              ok: false as const,
              formError: message,
              fieldErrors: { templateName: [message] } as Partial<Record<string, string[]>>,
              conflict: null,
              typedTemplateName: name,
            },
            { status: 400 },
          );
        if (!name || name.length > 200) return refuse("Give the template a name of up to 200 characters.");
        try {
          const template = await saveTemplateFromPlan(context.db, {
            orgId: plan.org_id,
            planId: plan.id,
            name,
            description: `Saved from the ${plan.buyer_company} plan.`,
            createdBy: editor.actor.userId,
          });
          return redirect(`/templates/${template!.id}`);
        } catch (error) {
          if (isTemplateNameTaken(error)) return refuse(templateNameTakenMessage(name));
          throw error;
        }
      }
      case "create-link": {
        const stakeholderId = formString(form, "stakeholderId");
        if (!isUuid(stakeholderId)) return badRequest("That person is no longer on the plan.");
        const created = await createLinkForStakeholder(context.db, editor, plan.org_id, plan.id, stakeholderId, Number(formString(form, "days")), context.now);
        // Post/redirect/get: a reload shows the page, not a second link. The token travels in the
        // short-lived flash cookie, never in the address bar.
        return redirectWithFlash(context, `/plans/${plan.id}#people`, {
          target: `link:${stakeholderId}`,
          stakeholderId,
          message: `We emailed ${created.stakeholderName} this link. It is shown only this once, if you want to send it yourself too. Their earlier link no longer works.`,
          url: `${publicBaseUrl()}/s/${created.token}`,
        });
      }
      case "revoke-link":
      case "renew-link": {
        const linkId = formString(form, "linkId");
        if (!isUuid(linkId)) return badRequest("That link no longer exists.");
        if (intent === "revoke-link") await revokeLink(context.db, editor, plan.org_id, plan.id, linkId, context.now);
        else await renewLink(context.db, editor, plan.org_id, plan.id, linkId, Number(formString(form, "days")), context.now);
        return redirect(`/plans/${plan.id}#people`);
      }
      default:
        return badRequest("Unknown action.");
    }
  } catch (error) {
    return commandFailure(context, plan.org_id, plan.id, error, today);
  }
  return redirect(`/plans/${plan.id}${intent.endsWith("stakeholder") ? "#people" : "#milestones"}`);
}

export default function PlanWorkspace() {
  const {
    plan,
    today,
    owner,
    milestones,
    stakeholders,
    activity,
    sideFilter,
    now,
    links,
    comments,
    resources,
    dateHistory,
    fiscalYearStartMonth,
    flash,
    engagement,
  } = useLoaderData<typeof loader>();
  const { health } = useLoaderData<typeof loader>();
  const engagementOf = new Map(engagement.map((e) => [e.stakeholderId, e.engagement]));
  const personKey = useResetKey(flash, "people");
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const resourceCtx: ResourceContext = {
    actionUrl: `/plans/${plan.id}/resources`,
    downloadHref: (v) => `/plans/${plan.id}/files/${v}`,
    from: "plan",
    now,
    side: "seller",
    flash,
    busy,
  };
  const [params] = useSearchParams();
  const titleOf = new Map(milestones.map((m) => [m.id, m.title]));
  const stakeholderName = new Map(stakeholders.map((s) => [s.id, s.name]));
  const failed = result && !result.ok ? result : null;
  const closed = isClosedStatus(plan.status) ? plan.status : null;
  const stakeholderForm = failed && ("email" in failed.fieldErrors || "name" in failed.fieldErrors) ? failed : null;

  return (
    <>
      <PlanTitle
        plan={plan}
        owner={owner}
        actions={
          <>
            <ButtonLink to={`/plans/${plan.id}/edit`} kind="secondary">
              Edit details
            </ButtonLink>
            {closed ? null : (
              <ButtonLink to={`/plans/${plan.id}/close`} kind="secondary">
                Close the plan
              </ButtonLink>
            )}
            <ButtonLink to={`/plans/${plan.id}/milestones/new`}>Add milestone</ButtonLink>
          </>
        }
      />
      {failed && !stakeholderForm && !failed.fieldErrors.templateName && !("mapForm" in failed) ? (
        <div className="mb-4">
          <Alert>
            {failed.formError}
            {failed.conflict ? <span className="mt-1 block">Their change: {failed.conflict.what}.</span> : null}
          </Alert>
        </div>
      ) : null}
      <FlashStatus flash={flash} target="outcome" className="mb-4" />
      <FlashStatus flash={flash} target="clone" className="mb-4" />
      {closed ? <PlanOutcomeCard plan={{ ...plan, status: closed }} today={today} busy={busy} /> : null}
      <PlanDates
        plan={plan}
        today={today}
        goLiveAction={
          <Link to={`/plans/${plan.id}/go-live`} className="font-medium text-brand-700 underline">
            Change
          </Link>
        }
      />
      <PlanHealthPanel health={health} />

      <section aria-labelledby="timeline-heading" className="mt-6">
        <h2 id="timeline-heading" className="mb-2 text-base font-semibold text-slate-900">
          Timeline
        </h2>
        <Card className="p-3">
          {milestones.length ? (
            <PlanTimeline milestones={milestones} today={today} goLive={plan.go_live} projectedGoLive={plan.projected_go_live} />
          ) : (
            <p className="px-2 py-6 text-center text-sm text-slate-600">The timeline appears once the plan has milestones.</p>
          )}
        </Card>
      </section>

      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-3">
        <section id="milestones" aria-labelledby="milestones-heading" className="lg:col-span-2">
          <h2 id="milestones-heading" className="mb-2 text-base font-semibold text-slate-900">
            Milestones
          </h2>
          {milestones.length === 0 ? (
            <EmptyState title="No milestones yet" action={<ButtonLink to={`/plans/${plan.id}/milestones/new`}>Add the first milestone</ButtonLink>}>
              Add the steps both sides must take before go-live; each is scheduled back from the go-live date.
            </EmptyState>
          ) : (
            <Card>
              <ol className="divide-y divide-slate-100">
                {milestones.map((m, index) => (
                  <li key={m.id} id={`m-${m.id}`} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-start">
                    <div className="min-w-0 flex-1">
                      <div className="flex flex-wrap items-center gap-2">
                        <Link
                          to={`/plans/${plan.id}/milestones/${m.id}`}
                          className={cx(
                            "font-medium hover:text-brand-700 hover:underline",
                            m.completed_on ? "text-slate-500 line-through decoration-slate-300" : "text-slate-900",
                          )}
                        >
                          {m.title}
                        </Link>
                        <MilestoneStatusBadge status={m.schedule_status} floatDays={m.float_days} />
                        {m.is_close ? (
                          <Badge tone="blue" title="This milestone's date is the forecast close date">
                            Signature
                          </Badge>
                        ) : null}
                        {m.pinned_date ? (
                          <Badge tone="slate" title={`Pinned by the buyer to ${m.pinned_date}`}>
                            Pinned
                          </Badge>
                        ) : null}
                      </div>
                      <p className="mt-0.5 text-xs text-slate-600">
                        {OWNER_SIDE_LABELS[m.owner_side]}
                        {m.owner_stakeholder_id ? ` · ${stakeholderName.get(m.owner_stakeholder_id) ?? ""}` : ""} ·{" "}
                        {m.duration_days === 0 ? "event" : `${plural(m.duration_days, "working day")}`}
                        {m.lag_days ? ` · waits ${plural(m.lag_days, "day")}` : ""}
                        {m.depends_on.length ? ` · after ${m.depends_on.map((d) => titleOf.get(d)).join(", ")}` : ""}
                      </p>
                      <p className="mt-0.5 text-xs text-slate-600">
                        {m.completed_on ? (
                          <>
                            Done <DateText iso={m.completed_on} today={today} />
                          </>
                        ) : (
                          <>
                            Due <DateText iso={m.due_date} today={today} className="font-medium text-slate-800" />
                            {m.duration_days > 1 ? (
                              <>
                                {" "}
                                (from <DateText iso={m.start_date} today={today} />)
                              </>
                            ) : null}
                            {projectedFinishWords(m.projected_finish, m.due_date) ? (
                              <>
                                {" "}
                                · {projectedFinishWords(m.projected_finish, m.due_date)} <DateText iso={m.projected_finish} today={today} />
                              </>
                            ) : null}
                          </>
                        )}
                      </p>
                      <CommentThread
                        milestoneId={m.id}
                        title={m.title}
                        comments={comments.filter((c) => c.milestone_id === m.id)}
                        now={now}
                        busy={busy}
                        flash={flash}
                      />
                      <MilestoneResources milestoneId={m.id} title={m.title} data={resources} ctx={resourceCtx} />
                    </div>
                    <div className="flex items-center gap-1 self-start">
                      <DoneToggle milestone={m} doneIntent="complete" doneKind="secondary" className="py-1 text-xs" busy={busy} />
                      <Form method="post" preventScrollReset className="flex">
                        <input type="hidden" name="milestoneId" value={m.id} />
                        <Button
                          type="submit"
                          name="intent"
                          value="move-up"
                          kind="ghost"
                          className="px-2 py-1"
                          disabled={busy || index === 0}
                          aria-label={`Move ${m.title} up`}
                        >
                          ↑
                        </Button>
                        <Button
                          type="submit"
                          name="intent"
                          value="move-down"
                          kind="ghost"
                          className="px-2 py-1"
                          disabled={busy || index === milestones.length - 1}
                          aria-label={`Move ${m.title} down`}
                        >
                          ↓
                        </Button>
                      </Form>
                    </div>
                  </li>
                ))}
              </ol>
            </Card>
          )}
        </section>

        <div className="space-y-6">
          <section id="people" aria-labelledby="people-heading">
            <h2 id="people-heading" className="mb-2 text-base font-semibold text-slate-900">
              People on this plan
            </h2>
            <Card className="p-4">
              {stakeholders.length === 0 ? <p className="text-sm text-slate-600">Nobody yet. Add the buyer's champion first.</p> : null}
              <ul className="space-y-3">
                {stakeholders.map((s) => (
                  <li key={s.id} className="flex items-start justify-between gap-2 text-sm">
                    <div className="min-w-0">
                      <div className="font-medium text-slate-900">
                        {s.name} <Badge tone={s.side === "buyer" ? "blue" : "slate"}>{s.side === "buyer" ? "Buyer" : "Seller"}</Badge>
                      </div>
                      <div className="truncate text-xs text-slate-500">{[s.title, s.email].filter(Boolean).join(" · ")}</div>
                      {s.side === "buyer" ? <BuyerEngagement engagement={engagementOf.get(s.id)} now={now} /> : null}
                      {s.side === "buyer" ? (
                        <LinkPanel
                          stakeholderId={s.id}
                          owner={{ name: s.name, email: s.email }}
                          links={links.filter((l) => l.stakeholder_id === s.id)}
                          flash={flash}
                          goLive={plan.go_live}
                          today={today}
                          now={now}
                          busy={busy}
                        />
                      ) : null}
                    </div>
                    <Form method="post" preventScrollReset>
                      <input type="hidden" name="stakeholderId" value={s.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="remove-stakeholder"
                        className="rounded px-1.5 py-0.5 text-xs text-slate-500 hover:bg-red-50 hover:text-red-700"
                        aria-label={`Remove ${s.name}`}
                      >
                        Remove
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
              <FlashStatus flash={flash} target="people" className="mt-3" />
              <details className="mt-4 border-t border-slate-100 pt-3" open={!!stakeholderForm}>
                <summary className="cursor-pointer text-sm font-medium text-brand-700">Add a person</summary>
                <Form key={personKey} method="post" className="mt-3 space-y-3" preventScrollReset noValidate>
                  <input type="hidden" name="intent" value="add-stakeholder" />
                  {stakeholderForm ? <Alert>{stakeholderForm.formError}</Alert> : null}
                  <SelectField label="Side" name="side" defaultValue="buyer">
                    <option value="buyer">Buyer</option>
                    <option value="seller">Seller</option>
                  </SelectField>
                  <TextField label="Name" name="name" error={stakeholderForm?.fieldErrors.name?.[0]} />
                  <TextField label="Email" name="email" type="email" error={stakeholderForm?.fieldErrors.email?.[0]} />
                  <TextField label="Job title" name="title" />
                  <Button type="submit" kind="secondary" disabled={busy}>
                    Add person
                  </Button>
                </Form>
              </details>
            </Card>
          </section>

          <PlanResources data={resources} ctx={resourceCtx} />

          <section aria-labelledby="history-heading">
            <h2 id="history-heading" className="mb-2 text-base font-semibold text-slate-900">
              Forecast close date history
            </h2>
            <Card className="p-3">
              {dateHistory.length ? (
                <DateHistoryChart history={dateHistory} today={today} fiscalYearStartMonth={fiscalYearStartMonth} />
              ) : (
                <p className="px-1 py-2 text-sm text-slate-600">
                  The plan has no close date yet: mark the signature milestone (its date becomes the forecast close date).
                </p>
              )}
            </Card>
          </section>

          <CalendarFeedCard to="/calendar-feed" audience="rep" />

          <section aria-labelledby="reuse-heading">
            <h2 id="reuse-heading" className="mb-2 text-base font-semibold text-slate-900">
              Reuse this plan
            </h2>
            <Card className="p-4">
              <Form method="post" className="space-y-3" noValidate>
                <TextField
                  label="Save its milestones as a template named"
                  name="templateName"
                  defaultValue={failed && "typedTemplateName" in failed ? String(failed.typedTemplateName) : `${plan.title} (from ${plan.buyer_company})`}
                  error={failed?.fieldErrors.templateName?.[0]}
                />
                <Button type="submit" name="intent" value="save-template" kind="secondary" disabled={busy || milestones.length === 0}>
                  Save as template
                </Button>
              </Form>
              <p className="mt-3 border-t border-slate-200 pt-3 text-sm text-slate-700">
                Another team at {plan.buyer_company} buying too?{" "}
                <Link to={`/plans/${plan.id}/clone`} className="font-medium text-brand-700 underline">
                  Clone for another team
                </Link>
              </p>
            </Card>
          </section>

          <section aria-labelledby="activity-heading">
            <div className="mb-2 flex items-center justify-between">
              <h2 id="activity-heading" className="text-base font-semibold text-slate-900">
                Activity
              </h2>
              <nav aria-label="Filter activity" className="flex gap-1 text-xs">
                {[
                  { v: null, l: "All" },
                  { v: "buyer", l: "Buyer" },
                  { v: "seller", l: "Seller" },
                ].map((f) => {
                  const next = new URLSearchParams(params);
                  if (f.v) next.set("side", f.v);
                  else next.delete("side");
                  const active = sideFilter === f.v;
                  return (
                    <Link
                      key={f.l}
                      to={`?${next}#activity-heading`}
                      preventScrollReset
                      aria-current={active ? "true" : undefined}
                      className={cx("rounded-full px-2.5 py-1", active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600 hover:bg-slate-100")}
                    >
                      {f.l}
                    </Link>
                  );
                })}
              </nav>
            </div>
            <Card className="p-4">
              {activity.length === 0 ? (
                <p className="text-sm text-slate-600">{sideFilter ? `No ${sideFilter} activity yet.` : "No activity yet."}</p>
              ) : (
                <ol className="space-y-3">
                  {activity.map((e) => (
                    <li key={e.id} className="flex gap-2 text-sm">
                      <span
                        aria-hidden
                        className={cx(
                          "mt-1.5 h-2 w-2 shrink-0 rounded-full",
                          e.side === "buyer" ? "bg-brand-500" : e.side === "seller" ? "bg-slate-400" : "bg-slate-200",
                        )}
                      />
                      <div>
                        <p className="text-slate-800">{e.text}</p>
                        <p className="text-xs text-slate-500" title={new Date(e.at).toISOString()}>
                          {formatRelative(new Date(e.at), new Date(now))}
                        </p>
                      </div>
                    </li>
                  ))}
                </ol>
              )}
            </Card>
          </section>
        </div>
      </div>
      <StakeholderMap
        people={stakeholders.filter((s) => s.side === "buyer")}
        failure={failed && "mapForm" in failed ? (failed.mapForm as MapFormFailure) : null}
        flash={flash}
        busy={busy}
      />
    </>
  );
}
