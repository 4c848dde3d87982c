import type { Locale } from "~/domain/i18n/locales";
import { emailTranslator } from "./translator";
import { ButtonLink, Details, EmailLayout, P, type EmailBrand, type EmailFooter } from "./layout";

export interface MilestoneReminderEmailProps {
  kind: "due_soon" | "overdue";
  audience: "buyer" | "seller";
  recipientName: string;
  milestoneTitle: string;
  dueDate: string;
  /** Working days from today to the due date (due soon only). */
  workingDaysLeft: number;
  buyerCompany: string;
  planTitle: string;
  planUrl: string;
  today: string;
  footer: EmailFooter;
  brand?: EmailBrand;
  /** The recipient's language (a buyer's kept one, ADR 046); English when absent. */
  locale?: Locale;
}

export function milestoneReminderSubject(p: Pick<MilestoneReminderEmailProps, "kind" | "milestoneTitle" | "dueDate" | "today" | "locale">): string {
  const { t, day } = emailTranslator(p.locale);
  return t(p.kind === "due_soon" ? "reminder.subjectDueSoon" : "reminder.subjectOverdue", { date: day(p.dueDate, p.today), title: p.milestoneTitle });
}

/** To a milestone's owner only: two working days before it is due, and the day after it was missed. */
export function MilestoneReminderEmail(p: MilestoneReminderEmailProps) {
  const { t, day, locale } = emailTranslator(p.locale);
  const due = day(p.dueDate, p.today);
  const title = p.milestoneTitle;
  const heading =
    p.kind === "overdue"
      ? t("reminder.headingOverdue", { title })
      : p.workingDaysLeft <= 0
        ? t("reminder.headingToday", { title })
        : t("reminder.headingDueIn", { title, count: p.workingDaysLeft });
  const planName = t("reminder.planName", { company: p.buyerCompany, plan: p.planTitle });
  return (
    <EmailLayout
      preview={t("reminder.preview", { company: p.buyerCompany, plan: p.planTitle, date: due })}
      heading={heading}
      footer={{ ...p.footer, preferencesLabel: t("preferences") }}
      brand={p.brand}
      lang={locale}
    >
      <P>{t("reminder.greeting", { name: p.recipientName })}</P>
      <P>{t(p.kind === "due_soon" ? "reminder.bodyDueSoon" : "reminder.bodyOverdue", { date: due })}</P>
      <Details
        rows={[
          [t("reminder.rowMilestone"), title],
          [t("reminder.rowDue"), due],
          [t("reminder.rowPlan"), planName],
        ]}
      />
      <ButtonLink href={p.planUrl}>{t("reminder.open")}</ButtonLink>
      {p.audience === "buyer" ? <P muted>{t("reminder.browserNote")}</P> : null}
    </EmailLayout>
  );
}
