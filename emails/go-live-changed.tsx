import { formatDay } from "~/domain/dates";
import { ButtonLink, Details, EmailLayout, List, P, SubHeading, type EmailBrand, type EmailFooter } from "./layout";

export interface MovedMilestone {
  title: string;
  from: string;
  to: string;
}

export interface GoLiveChangedEmailProps {
  audience: "buyer" | "seller";
  recipientName: string;
  byName: string;
  /** A seller's new date is a proposal until a buyer confirms it. */
  proposal: boolean;
  before: string;
  after: string;
  reason: string | null;
  /** Milestones whose due dates moved with the go-live (the first few). */
  moved: MovedMilestone[];
  movedMore: number;
  buyerCompany: string;
  sellerName: string;
  planTitle: string;
  planUrl: string;
  today: string;
  footer: EmailFooter;
  brand?: EmailBrand;
}

export function goLiveChangedSubject(p: Pick<GoLiveChangedEmailProps, "proposal" | "byName" | "after" | "buyerCompany" | "today">): string {
  return p.proposal
    ? `${p.byName} proposed a new go-live: ${formatDay(p.after, p.today)}`
    : `${p.buyerCompany} moved go-live to ${formatDay(p.after, p.today)}`;
}

/** To the other side when the go-live date is proposed or changed: what, why, and what moved with it. */
export function GoLiveChangedEmail(p: GoLiveChangedEmailProps) {
  const later = p.after > p.before;
  const heading = p.proposal ? `${p.byName} proposed a new go-live date` : `${p.byName} moved the go-live date`;
  return (
    <EmailLayout
      preview={`${formatDay(p.before, p.today)} → ${formatDay(p.after, p.today)}${p.reason ? `: ${p.reason}` : ""}`}
      heading={heading}
      footer={p.footer}
      brand={p.brand}
    >
      <P>Hi {p.recipientName},</P>
      <P>
        {p.byName} {p.proposal ? "proposed" : "set"} a {later ? "later" : "earlier"} go-live for {p.buyerCompany}: {p.planTitle}.
        {p.proposal ? " It stays a proposal until someone on your side confirms it on the plan." : ""}
      </P>
      <Details
        rows={[
          ["Was", formatDay(p.before, p.today)],
          ["Now", formatDay(p.after, p.today)],
          ["Why", p.reason ?? "No reason given"],
        ]}
      />
      {p.moved.length ? (
        <>
          <SubHeading>What moved with it</SubHeading>
          <List
            items={[
              ...p.moved.map((m) => `${m.title}: due ${formatDay(m.to, p.today)} (was ${formatDay(m.from, p.today)})`),
              ...(p.movedMore > 0 ? [`and ${p.movedMore} more`] : []),
            ]}
          />
        </>
      ) : null}
      <ButtonLink href={p.planUrl}>{p.proposal ? "Review the date" : "Open the plan"}</ButtonLink>
      {p.audience === "buyer" ? (
        <P muted>This opens the plan in the browser where you confirmed your name. Elsewhere, use the link from your invitation email.</P>
      ) : null}
    </EmailLayout>
  );
}
