import { ButtonLink, Details, EmailLayout, List, P, SubHeading, type EmailBrand, type EmailFooter } from "./layout";
import { emailTranslator } from "./translator";

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
  /** A buyer's kept language (ADR 046); English when absent, as for sellers. */
  locale?: string | null;
}

export function goLiveChangedSubject(p: Pick<GoLiveChangedEmailProps, "proposal" | "byName" | "after" | "buyerCompany" | "today" | "locale">): string {
  const { t, day } = emailTranslator(p.locale);
  const date = day(p.after, p.today);
  return p.proposal ? t("goLiveChanged.subjectProposed", { by: p.byName, date }) : t("goLiveChanged.subjectMoved", { company: p.buyerCompany, date });
}

/** Why a person on the plan gets this email, for its footer, in their language. */
export function goLiveChangedReason(p: Pick<GoLiveChangedEmailProps, "buyerCompany" | "locale">): string {
  return emailTranslator(p.locale).t("goLiveChanged.reason", { company: p.buyerCompany });
}

function bodyKey(proposal: boolean, later: boolean) {
  if (proposal) return later ? "goLiveChanged.proposedLater" : "goLiveChanged.proposedEarlier";
  return later ? "goLiveChanged.setLater" : "goLiveChanged.setEarlier";
}

/** To the other side when the go-live date is proposed or changed: what, why, and what moved with it. */
export function GoLiveChangedEmail(p: GoLiveChangedEmailProps) {
  const { t, day, locale } = emailTranslator(p.locale);
  const later = p.after > p.before;
  const before = day(p.before, p.today);
  const after = day(p.after, p.today);
  const heading = t(p.proposal ? "goLiveChanged.headingProposed" : "goLiveChanged.headingMoved", { by: p.byName });
  return (
    <EmailLayout
      preview={p.reason ? t("goLiveChanged.previewWithReason", { before, after, reason: p.reason }) : t("goLiveChanged.preview", { before, after })}
      heading={heading}
      footer={{ ...p.footer, preferencesLabel: t("preferences") }}
      brand={p.brand}
      lang={locale}
    >
      <P>{t("goLiveChanged.greeting", { name: p.recipientName })}</P>
      <P>{t(bodyKey(p.proposal, later), { by: p.byName, company: p.buyerCompany, plan: p.planTitle })}</P>
      <Details
        rows={[
          [t("goLiveChanged.rowWas"), before],
          [t("goLiveChanged.rowNow"), after],
          [t("goLiveChanged.rowWhy"), p.reason ?? t("goLiveChanged.noReason")],
        ]}
      />
      {p.moved.length ? (
        <>
          <SubHeading>{t("goLiveChanged.movedHeading")}</SubHeading>
          <List
            items={[
              ...p.moved.map((m) => t("goLiveChanged.moved", { title: m.title, to: day(m.to, p.today), from: day(m.from, p.today) })),
              ...(p.movedMore > 0 ? [t("goLiveChanged.movedMore", { count: p.movedMore })] : []),
            ]}
          />
        </>
      ) : null}
      <ButtonLink href={p.planUrl}>{t(p.proposal ? "goLiveChanged.review" : "goLiveChanged.open")}</ButtonLink>
      {/* The same note as the reminder's: one sentence for translators to keep. */}
      {p.audience === "buyer" ? <P muted>{t("reminder.browserNote")}</P> : null}
    </EmailLayout>
  );
}
