import { DoneToggle } from "~/components/done-toggle";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { BuyerErrorPage, BuyerLayout } from "~/components/buyer-layout";
import { BuyerNextSteps } from "~/components/buyer-next-steps";
import { FlashStatus } from "~/components/flash-status";
import { RepContactCard } from "~/components/rep-contact-card";
import { BUYER_GO_LIVE_INTENTS, BuyerGoLive } from "~/components/buyer-go-live";
import { DateText } from "~/components/date-text";
import { PlanDates } from "~/components/plan-header";
import { MilestoneStatusBadge } from "~/components/plan-status";
import { CalendarFeedCard } from "~/components/calendar-feed";
import { CommentThread } from "~/components/comment-thread";
import { MilestoneResources, PlanResources, type ResourceContext } from "~/components/resources";
import { PlanTimeline } from "~/components/plan-timeline";
import { Alert, Badge, Button, Card, cx, TextField } from "~/components/ui";
import { describeActivity } from "~/domain/activity";
import { buyerNextSteps, forBuyer } from "~/domain/buyer-view";
import { todayIn } from "~/domain/dates";
import { isLocale } from "~/domain/i18n/locales";
import { I18nProvider, LanguageSwitcher } from "~/components/i18n";
import { T, useT } from "~/components/i18n-context";
import { setStakeholderLocale } from "~/models/buyer-locale.server";
import { buyerLocale, buyerMessages, buyerTranslator } from "~/route-helpers/buyer-locale.server";
import { isClosedStatus } from "~/domain/plan-outcome";
import { buyerCookieName, countVisit, readCookie } from "~/models/buyer-access.server";
import {
  addComment,
  buyerAddColleague,
  buyerConfirmGoLive,
  buyerEditor,
  buyerPreviewGoLive,
  buyerProposeGoLive,
  buyerSetDone,
  buyerSetOwner,
  buyerSetPin,
} from "~/models/buyer-commands.server";
import { loadBuyerPlanPage } from "~/models/plan-page.server";
import { recordBuyerView } from "~/models/engagement.server";
import { buyerPageHeaders, deviceNotSignedIn, requireBuyer } from "~/route-helpers/buyer-route.server";
import { redirectWithFlash, takeFlash } from "~/route-helpers/flash.server";
import { commandFailure, formString, formVersion } from "~/route-helpers/plan-route.server";
import { publicBaseUrl } from "~/infra/env.server";
import { BuyerHealthNotes } from "~/components/plan-health";
import { buyerHealthNotes, planHealth } from "~/domain/plan-health";
import type { PageHandle } from "~/components/page-scripts";

/** Served as HTML alone, without React's runtime (ADR 047). */
export const handle: PageHandle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? data.title : "Shared plan · Plan Together" },
  { name: "robots", content: "noindex" },
];
// Referrer-Policy and X-Robots-Tag come from the HTTP layer for every buyer page.
export const headers = buyerPageHeaders;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  // One statement: the device's session and live link, the organisation, the plan and everything on it.
  const planId = params.planId ?? "";
  const page = await loadBuyerPlanPage(context.db, planId, readCookie(request.headers.get("Cookie"), buyerCookieName(planId)), context.now);
  if (!page) deviceNotSignedIn(request, planId);
  const { buyer, plan } = page;
  const today = todayIn(page.timeZone ?? "UTC", context.now);
  // The visit counter: a write, and only when this device's last visit is half an hour old.
  await countVisit(context.db, { org_id: buyer.org_id, id: buyer.link_id, last_visit_at: buyer.last_visit_at }, context.now);
  // The person's engagement (ADR 037): at most one single-row write, none for a reload. `?m=` names
  // the milestone a link brought them to (next steps, reminders): a milestone they opened.
  if (buyer.side === "buyer") {
    const asked = new URL(request.url).searchParams.get("m");
    const opened = page.milestones.some((m) => m.id === asked) ? asked : null;
    await recordBuyerView(context.db, { orgId: buyer.org_id, planId: plan.id, stakeholderId: buyer.stakeholder_id }, page.engagementSeen, context.now, opened);
  }
  const { flash, headers } = takeFlash(context, request, `/p/${planId}`);
  // The reader's language (ADR 046): theirs if kept, else their browser's. Only that language's
  // page messages go to the browser.
  const locale = buyerLocale(request, buyer.locale);
  const messages = buyerMessages(locale);
  const words = buyerTranslator(locale);
  const { t } = words;
  // Buyers see the plan, not the deal: only the fields this page shows leave the server (no
  // value, CRM or forecast close date, no link bookkeeping, no email addresses but the rep's).
  return data(
    {
      locale,
      messages,
      title: t("title", { buyer: plan.buyer_company, seller: page.seller }),
      plan: {
        id: plan.id,
        buyer_company: plan.buyer_company,
        title: plan.title,
        version: plan.version,
        go_live: plan.go_live,
        go_live_set_side: plan.go_live_set_side,
        go_live_set_by_name: plan.go_live_set_by_name,
        go_live_set_at: plan.go_live_set_at,
        go_live_confirmed_by_name: plan.go_live_confirmed_by_name,
        go_live_confirmed_at: plan.go_live_confirmed_at,
        projected_go_live: plan.projected_go_live,
        slip_days: plan.slip_days,
        milestones_done: plan.milestones_done,
        milestones_total: plan.milestones_total,
        // Only that it closed and when: the outcome's reason and note are the seller's (ADR 026).
        closed_on: isClosedStatus(plan.status) ? plan.closed_on : null,
      },
      seller: page.seller,
      // The buyer-facing reasons only, worded for the buyer: the label and the rest stay with the seller.
      healthNotes: buyerHealthNotes(planHealth(plan, today, context.now), page.seller, words),
      brand: page.branding,
      rep: page.rep,
      me: { name: buyer.name },
      today,
      now: context.now.toISOString(),
      flash,
      milestones: page.milestones,
      people: page.people,
      comments: page.comments,
      resources: page.resources,
      activity: page.activity.flatMap((row) => {
        const e = forBuyer(row);
        if (!e) return [];
        return [
          {
            id: e.id,
            at: e.created_at,
            text: describeActivity(
              { action: e.action, actorName: e.actor_name, actorSide: e.actor_side, subject: e.subject, changes: e.changes, reason: e.reason },
              today,
              words,
            ),
          },
        ];
      }),
    },
    { headers },
  );
}

/** A post refused before any command ran: the message, and what was typed, back to the form. */
function refused(intent: string, formError: string, values: Record<string, string>) {
  return data({ intent, ok: false as const, formError, fieldErrors: {} as Partial<Record<string, string[]>>, conflict: null, values }, { status: 400 });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { buyer, today } = await requireBuyer(context, request, params.planId);
  const form = await request.formData();
  const intent = formString(form, "intent");
  const milestoneId = formString(form, "milestoneId");
  const rid = context.requestId;
  let colleague: { token: string; name: string; emailed: boolean } | null = null;
  const page = `/p/${buyer.plan_id}`;
  // The language switcher: kept for this person (their page and emails), then the page again.
  // The language the page was read in: the kept one, else the browser's (as the loader chooses).
  const words = buyerTranslator(buyerLocale(request, buyer.locale));
  const { t } = words;
  if (intent === "locale") {
    const locale = formString(form, "locale");
    if (!isLocale(locale)) {
      return refused(intent, t("errors.unknownLanguage"), { locale });
    }
    await setStakeholderLocale(context.db, buyer.org_id, buyer.stakeholder_id, locale);
    return redirectWithFlash(context, `${page}#language`, { target: "language", message: buyerTranslator(locale).t("flash.languageSaved") });
  }
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
        colleague = await buyerAddColleague(
          context.db,
          buyer,
          today,
          rid,
          { name: formString(form, "name"), email: formString(form, "email"), title: formString(form, "title") },
          context.now,
        );
        break;
      default:
        return refused(intent, t("errors.unknownAction"), {});
    }
  } catch (error) {
    const failure = await commandFailure(context, buyer.org_id, buyer.plan_id, error, today, words);
    const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
    return data({ intent, ...failure.data, values }, failure.init ?? undefined);
  }
  // Post/redirect/get: a reload or a second Enter never posts again; the message says what happened.
  if (colleague) {
    const url = `${publicBaseUrl()}/s/${colleague.token}`;
    return redirectWithFlash(context, `${page}#people`, {
      target: "people",
      message: t(colleague.emailed ? "flash.colleagueEmailed" : "flash.colleagueNotEmailed", { name: colleague.name }),
      url,
    });
  }
  switch (intent) {
    case "comment":
      return redirectWithFlash(context, `${page}#m-${milestoneId}`, { target: `comment:${milestoneId}`, message: t("flash.commentPosted") });
    case "confirm-go-live":
      return redirectWithFlash(context, `${page}#go-live`, { target: "go-live", message: t("flash.goLiveConfirmed") });
    case "propose-go-live":
      return redirectWithFlash(context, `${page}#go-live`, {
        target: "go-live",
        message: t("flash.goLiveMoved", { date: words.day(formString(form, "goLive"), today) }),
      });
    case "done":
    case "reopen": {
      const fromNextSteps = formString(form, "from") === "next-steps";
      return redirectWithFlash(context, `${page}${fromNextSteps ? "#next-steps-heading" : `#m-${milestoneId}`}`, {
        target: fromNextSteps ? "next-steps" : `m:${milestoneId}`,
        message: t(intent === "done" ? "flash.done" : "flash.reopened"),
      });
    }
    default:
      return redirectWithFlash(context, `${page}#m-${milestoneId}`, {
        target: `m:${milestoneId}`,
        message: t(intent === "owner" ? "flash.ownerSaved" : "flash.dateSaved"),
      });
  }
}

export default function BuyerPlan() {
  const { locale, messages } = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={locale} messages={messages}>
      <BuyerPlanPage />
    </I18nProvider>
  );
}

function BuyerPlanPage() {
  const { t, relative, list } = useT();
  const { locale, plan, seller, brand, healthNotes, rep, me, today, now, flash, milestones, people, comments, activity, resources } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : null;
  const buyerPeople = people.filter((p) => p.side === "buyer");
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const titleOf = new Map(milestones.map((m) => [m.id, m.title]));
  const mine = (m: (typeof milestones)[number]) => m.owner_side !== "seller";
  const errorFor = (intent: string, id?: string) => (failed && failed.intent === intent && (!id || failed.values.milestoneId === id) ? failed : null);
  const nextSteps = buyerNextSteps(milestones);
  const sellerNext = nextSteps.length
    ? null
    : (milestones.filter((m) => m.owner_side === "seller" && !m.completed_on).sort((a, b) => ((a.due_date ?? "9") < (b.due_date ?? "9") ? -1 : 1))[0] ?? null);
  // A closed plan is read-only: no write form is drawn, and a post from an older page is refused.
  const closed = plan.closed_on !== null;
  const resourceCtx: ResourceContext = {
    actionUrl: `/p/${plan.id}/resources`,
    downloadHref: (v) => `/p/${plan.id}/files/${v}`,
    from: "plan",
    now,
    side: "buyer",
    flash,
    readOnly: closed,
  };

  return (
    <BuyerLayout seller={seller} brand={brand} lang={locale}>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
        {plan.buyer_company}: {plan.title}
      </h1>
      <div className="mt-1 flex flex-wrap items-end justify-between gap-3">
        <p className="text-sm text-slate-600">{t("intro", { seller, name: me.name })}</p>
        <div id="language">
          <LanguageSwitcher />
        </div>
      </div>
      <FlashStatus flash={flash} target="language" className="mt-2" />

      {/* An error about a milestone shows beside it; one about a milestone no longer on the page (removed meanwhile) shows here. */}
      {failed && closed ? (
        <div className="mt-4">
          <Alert>{failed.formError}</Alert>
        </div>
      ) : failed && BUYER_GO_LIVE_INTENTS.includes(failed.intent) ? null : failed &&
        !titleOf.has(failed.values.milestoneId ?? "") &&
        failed.intent !== "add-colleague" ? (
        <div className="mt-4">
          <Alert>{failed.formError}</Alert>
        </div>
      ) : null}

      <div className="mt-5 grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {closed ? (
            <section aria-labelledby="closed-heading" className="rounded-lg bg-slate-50 px-5 py-4 ring-1 ring-inset ring-slate-200">
              <h2 id="closed-heading" className="text-lg font-semibold text-slate-900">
                {t("closed.heading")}
              </h2>
              <p className="mt-1 text-sm text-slate-700">
                <T
                  k={rep ? "closed.bodyContact" : "closed.body"}
                  values={{ seller, rep: rep?.name ?? "" }}
                  slots={{ date: <DateText iso={plan.closed_on} today={today} /> }}
                />
              </p>
            </section>
          ) : (
            <BuyerNextSteps steps={nextSteps} nameOf={nameOf} today={today} flash={flash} sellerName={seller} nextAfter={sellerNext} />
          )}
        </div>
        {rep ? <RepContactCard rep={rep} seller={seller} /> : null}
      </div>

      <h2 className="mt-8 text-lg font-semibold text-slate-900">{t("wholePlan")}</h2>
      <div className="mt-2">
        <PlanDates plan={plan} today={today} forBuyer />
      </div>
      <BuyerHealthNotes notes={healthNotes} />

      {closed ? null : <BuyerGoLive plan={plan} today={today} result={result} flash={flash} />}

      {milestones.length ? (
        <Card className="mt-4 p-3">
          <PlanTimeline milestones={milestones} today={today} goLive={plan.go_live} projectedGoLive={plan.projected_go_live} />
        </Card>
      ) : null}

      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-3">
        <section aria-labelledby="steps" className="lg:col-span-2">
          <h2 id="steps" className="mb-2 text-base font-semibold text-slate-900">
            {t("allSteps")}
          </h2>
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
                          {t(`side.${m.owner_side}`)}
                          {m.owner_stakeholder_id ? ` · ${nameOf.get(m.owner_stakeholder_id) ?? ""}` : ""} ·{" "}
                          {m.completed_on ? (
                            <T k="milestone.done" slots={{ date: <DateText iso={m.completed_on} today={today} /> }} />
                          ) : (
                            <T k="milestone.due" slots={{ date: <DateText iso={m.due_date} today={today} className="font-medium text-slate-800" /> }} />
                          )}
                          {m.depends_on.length ? ` · ${t("milestone.after", { titles: list(m.depends_on.map((d) => titleOf.get(d) ?? "")) })}` : ""}
                        </p>
                      </div>
                      <div className="flex flex-wrap gap-1">
                        {mine(m) ? <Badge tone="blue">{t("milestone.yourSide")}</Badge> : null}
                        {m.is_close ? <Badge tone="slate">{t("milestone.signature")}</Badge> : null}
                        {m.pinned_date ? (
                          <Badge tone="slate" title={m.pinned_date}>
                            {t("milestone.pinned")}
                          </Badge>
                        ) : null}
                        <MilestoneStatusBadge status={m.schedule_status} floatDays={m.float_days} />
                      </div>
                    </div>
                    {m.description ? <p className="mt-2 text-sm text-slate-700">{m.description}</p> : null}
                    {err ? (
                      <div className="mt-2">
                        <Alert>
                          {err.formError}
                          {err.conflict ? ` ${t("milestone.theirChange", { what: err.conflict.what })}` : ""}
                        </Alert>
                      </div>
                    ) : null}
                    <FlashStatus flash={flash} target={`m:${m.id}`} className="mt-2" />
                    {mine(m) && !closed ? (
                      <div className="mt-3 flex flex-wrap items-end gap-3 border-t border-slate-100 pt-3">
                        <DoneToggle milestone={m} doneIntent="done" doneKind="primary" className="py-1.5 text-xs" />
                        <details className="text-xs" open={!!err && ["owner", "pin"].includes(err.intent)}>
                          <summary className="cursor-pointer py-1.5 font-medium text-slate-600">{t("milestone.ownerAndDate")}</summary>
                          <div className="mt-2 flex flex-wrap items-end gap-3">
                            <Form method="post" preventScrollReset className="flex items-end gap-1">
                              <input type="hidden" name="milestoneId" value={m.id} />
                              <input type="hidden" name="version" value={m.version} />
                              <label className="text-xs text-slate-600">
                                {t("milestone.owner")}
                                <select
                                  name="ownerStakeholderId"
                                  defaultValue={m.owner_stakeholder_id ?? ""}
                                  className="mt-0.5 block rounded-md border-0 py-1 pl-2 pr-7 text-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
                                >
                                  <option value="">{t("milestone.nobodyNamed")}</option>
                                  {buyerPeople.map((p) => (
                                    <option key={p.id} value={p.id}>
                                      {p.name}
                                    </option>
                                  ))}
                                </select>
                              </label>
                              <Button type="submit" name="intent" value="owner" kind="secondary" className="py-1 text-xs">
                                {t("milestone.set")}
                              </Button>
                            </Form>
                            <Form method="post" preventScrollReset className="flex items-end gap-1">
                              <input type="hidden" name="milestoneId" value={m.id} />
                              <input type="hidden" name="version" value={m.version} />
                              <label className="text-xs text-slate-600">
                                {t("milestone.fixedDate")}
                                <input
                                  type="date"
                                  name="pinnedDate"
                                  defaultValue={m.pinned_date ?? ""}
                                  className="mt-0.5 block rounded-md border-0 px-2 py-1 text-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
                                />
                              </label>
                              <Button type="submit" name="intent" value="pin" kind="secondary" className="py-1 text-xs">
                                {t(m.pinned_date ? "milestone.change" : "milestone.pin")}
                              </Button>
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
                      typed={failed?.intent === "comment" && failed.values.milestoneId === m.id ? failed.values.body : undefined}
                      flash={flash}
                      readOnly={closed}
                    />
                    <MilestoneResources milestoneId={m.id} title={m.title} data={resources} ctx={resourceCtx} />
                  </Card>
                </li>
              );
            })}
          </ol>
        </section>

        <div className="space-y-6">
          <CalendarFeedCard to={`/p/${plan.id}/calendar`} audience="buyer" />

          <PlanResources data={resources} ctx={resourceCtx} />

          <section id="people" aria-labelledby="people-heading">
            <h2 id="people-heading" className="mb-2 text-base font-semibold text-slate-900">
              {t("people.heading")}
            </h2>
            <Card className="p-4">
              <ul className="space-y-2 text-sm">
                {people.map((p) => (
                  <li key={p.id}>
                    <span className="font-medium text-slate-900">{p.name}</span>{" "}
                    <span className="text-xs text-slate-500">{[p.title, p.side === "buyer" ? plan.buyer_company : seller].filter(Boolean).join(" · ")}</span>
                  </li>
                ))}
              </ul>
              <FlashStatus flash={flash} target="people" className="mt-3">
                {flash?.url ? (
                  <input
                    readOnly
                    value={flash.url}
                    aria-label={t("people.theirLink")}
                    className="mt-2 block w-full rounded border-0 bg-white px-2 py-1 font-mono text-xs ring-1 ring-emerald-200"
                  />
                ) : null}
              </FlashStatus>
              {closed ? null : (
                <details className="mt-3 border-t border-slate-100 pt-3" open={failed?.intent === "add-colleague"}>
                  <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("people.add")}</summary>
                  <Form method="post" className="mt-3 space-y-3" noValidate>
                    {errorFor("add-colleague") ? <Alert>{errorFor("add-colleague")!.formError}</Alert> : null}
                    <TextField
                      label={t("people.name")}
                      name="name"
                      defaultValue={errorFor("add-colleague")?.values.name}
                      error={errorFor("add-colleague")?.fieldErrors.name?.[0]}
                    />
                    <TextField
                      label={t("people.email")}
                      name="email"
                      type="email"
                      defaultValue={errorFor("add-colleague")?.values.email}
                      error={errorFor("add-colleague")?.fieldErrors.email?.[0]}
                    />
                    <TextField label={t("people.jobTitle")} name="title" defaultValue={errorFor("add-colleague")?.values.title} />
                    <Button type="submit" name="intent" value="add-colleague" kind="secondary">
                      {t("people.submit")}
                    </Button>
                  </Form>
                </details>
              )}
            </Card>
          </section>
          <section aria-labelledby="recent">
            <h2 id="recent" className="mb-2 text-base font-semibold text-slate-900">
              {t("recent.heading")}
            </h2>
            <Card className="p-4">
              {activity.length === 0 ? <p className="text-sm text-slate-600">{t("recent.empty")}</p> : null}
              <ol className="space-y-2 text-sm">
                {activity.map((e) => (
                  <li key={e.id}>
                    <p className="text-slate-800">{e.text}</p>
                    <p className="text-xs text-slate-500" title={new Date(e.at).toISOString()}>
                      {relative(new Date(e.at), new Date(now))}
                    </p>
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
