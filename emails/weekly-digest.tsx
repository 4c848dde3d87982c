import { formatDay } from "~/domain/dates";
import { compactMoney } from "~/domain/money";
import { describeBuyerCount, type Digest } from "~/domain/notifications";
import { A, ButtonLink, Details, EmailLayout, List, P, SubHeading, type EmailFooter } from "./layout";

export interface WeeklyDigestEmailProps {
  managerName: string;
  weekStart: string;
  digest: Digest;
  /** The app's origin, for links to the forecast and to each plan. */
  baseUrl: string;
  today: string;
  footer: EmailFooter;
  /** Whose dates came true over the last four quarters (the accuracy page's headline); null with no won deal to judge. */
  accuracy: { window: string; headline: string } | null;
}

export function weeklyDigestSubject(p: Pick<WeeklyDigestEmailProps, "digest">): string {
  const q = p.digest.quarter;
  return `Your team this week: ${q.label} forecast ${compactMoney(q.total, q.currency)}, ${p.digest.slipped.length} slipped`;
}

/** Monday morning, to each manager: this quarter's forecast, what slipped, what customers confirmed, deals pushed again, what buyers did. */
export function WeeklyDigestEmail(p: WeeklyDigestEmailProps) {
  const { quarter, slipped, confirmed, pushedAgain, buyerActivity } = p.digest;
  const plan = (id: string, text: string) => <A href={`${p.baseUrl}/plans/${id}`}>{text}</A>;
  return (
    <EmailLayout
      preview={`${quarter.label}: ${compactMoney(quarter.total, quarter.currency)} across ${quarter.plans} plans; ${slipped.length} slipped, ${confirmed.length} confirmed`}
      heading={`Your team, week of ${formatDay(p.weekStart, p.today)}`}
      footer={p.footer}
    >
      <P>Hi {p.managerName}, here is where your team&apos;s plans stand.</P>
      <SubHeading>{quarter.label} forecast</SubHeading>
      <Details
        rows={[
          ["Closing this quarter", `${compactMoney(quarter.total, quarter.currency)} across ${quarter.plans} plan${quarter.plans === 1 ? "" : "s"}`],
          ["Dated by the customer", compactMoney(quarter.confirmedTotal, quarter.currency)],
          ...(quarter.otherCurrencies
            ? ([["Other currencies", `${quarter.otherCurrencies} plan${quarter.otherCurrencies === 1 ? "" : "s"}, not in the total`]] as Array<
                [string, string]
              >)
            : []),
        ]}
      />
      <SubHeading>What slipped this week</SubHeading>
      {slipped.length ? (
        <List
          items={slipped.map((s) => (
            <>
              {plan(s.planId, `${s.company}: ${s.title}`)} ({s.ownerName}): close {formatDay(s.from, p.today)} → {formatDay(s.to, p.today)}
            </>
          ))}
        />
      ) : (
        <P muted>Nothing slipped.</P>
      )}
      <SubHeading>What customers confirmed</SubHeading>
      {confirmed.length ? (
        <List
          items={confirmed.map((c) => (
            <>
              {plan(c.planId, `${c.company}: ${c.title}`)}: {c.byName} confirmed go-live {formatDay(c.goLive, p.today)}
            </>
          ))}
        />
      ) : (
        <P muted>No new confirmations.</P>
      )}
      <SubHeading>Pushed into a later quarter again</SubHeading>
      {pushedAgain.length ? (
        <List
          items={pushedAgain.map((d) => (
            <>
              {plan(d.planId, `${d.company}: ${d.title}`)} ({d.ownerName}): now closing {formatDay(d.to, p.today)}, pushed {d.pushes} times
            </>
          ))}
        />
      ) : (
        <P muted>No deal was pushed again.</P>
      )}
      <SubHeading>What buyers did</SubHeading>
      {buyerActivity.length ? (
        <List
          items={buyerActivity.map((b) => (
            <>
              {plan(b.planId, `${b.company}: ${b.title}`)} ({b.ownerName}): {describeBuyerCount(b)}
            </>
          ))}
        />
      ) : (
        <P muted>No buyer worked on a plan this week.</P>
      )}
      {p.accuracy ? (
        <>
          <SubHeading>Whose dates came true</SubHeading>
          <P>
            Deals won in {p.accuracy.window}: {p.accuracy.headline} <A href={`${p.baseUrl}/forecast/accuracy`}>See forecast accuracy</A>
          </P>
        </>
      ) : null}
      <ButtonLink href={`${p.baseUrl}/forecast`}>Open the forecast</ButtonLink>
    </EmailLayout>
  );
}
