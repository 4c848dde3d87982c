import { ButtonLink, Details, EmailLayout, P, type EmailBrand, type EmailFooter } from "./layout";
import { emailTranslator } from "./translator";

export interface InviteEmailProps {
  recipientName: string;
  inviterName: string;
  /** The organisation selling: whose plan this is. */
  sellerName: string;
  buyerCompany: string;
  planTitle: string;
  goLive: string;
  /** The recipient's personal link (/s/<token>): the only place its token is ever written down. */
  linkUrl: string;
  linkExpiresOn: string;
  /** The one reminder, three days after an invitation nobody opened. */
  reminder?: boolean;
  today: string;
  footer: EmailFooter;
  brand?: EmailBrand;
  /** The buyer's kept language (ADR 046); English when absent. */
  locale?: string | null;
}

export function inviteSubject(p: Pick<InviteEmailProps, "inviterName" | "planTitle" | "sellerName" | "reminder" | "locale">): string {
  const { t } = emailTranslator(p.locale);
  return t(p.reminder ? "invite.subjectReminder" : "invite.subject", { inviter: p.inviterName, plan: p.planTitle, seller: p.sellerName });
}

/** Why the buyer gets the invitation, for its footer, in their language. */
export function inviteReason(p: Pick<InviteEmailProps, "inviterName" | "locale">): string {
  return emailTranslator(p.locale).t("invite.reason", { inviter: p.inviterName });
}

/** A buyer's invitation to a plan, with their personal link; also its one reminder. */
export function InviteEmail(p: InviteEmailProps) {
  const { t, day, locale } = emailTranslator(p.locale);
  const goLive = day(p.goLive, p.today);
  const names = { inviter: p.inviterName, seller: p.sellerName, company: p.buyerCompany, plan: p.planTitle };
  return (
    <EmailLayout
      preview={t("invite.preview", { ...names, date: goLive })}
      heading={t(p.reminder ? "invite.headingReminder" : "invite.heading", names)}
      footer={{ ...p.footer, preferencesLabel: t("preferences") }}
      brand={p.brand}
      lang={locale}
    >
      <P>{t("invite.greeting", { name: p.recipientName })}</P>
      <P>{t(p.reminder ? "invite.bodyReminder" : "invite.body", names)}</P>
      <Details
        rows={[
          [t("invite.rowPlan"), t("invite.planName", names)],
          [t("invite.rowGoLive"), goLive],
        ]}
      />
      <ButtonLink href={p.linkUrl}>{t("invite.open")}</ButtonLink>
      <P muted>{t("invite.linkNote", { inviter: p.inviterName, date: day(p.linkExpiresOn, p.today) })}</P>
    </EmailLayout>
  );
}
