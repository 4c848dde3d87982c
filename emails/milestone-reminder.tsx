import { formatDay } from "~/domain/dates";
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
}

export function milestoneReminderSubject(p: Pick<MilestoneReminderEmailProps, "kind" | "milestoneTitle" | "dueDate" | "today">): string {
  return p.kind === "due_soon"
    ? `Due ${formatDay(p.dueDate, p.today)}: ${p.milestoneTitle}`
    : `Overdue since ${formatDay(p.dueDate, p.today)}: ${p.milestoneTitle}`;
}

function inDays(n: number) {
  if (n <= 0) return "today";
  return n === 1 ? "in 1 working day" : `in ${n} working days`;
}

/** To a milestone's owner only: two working days before it is due, and the day after it was missed. */
export function MilestoneReminderEmail(p: MilestoneReminderEmailProps) {
  const due = formatDay(p.dueDate, p.today);
  const heading = p.kind === "due_soon" ? `“${p.milestoneTitle}” is due ${inDays(p.workingDaysLeft)}` : `“${p.milestoneTitle}” is overdue`;
  return (
    <EmailLayout preview={`${p.buyerCompany}: ${p.planTitle}, due ${due}`} heading={heading} footer={p.footer} brand={p.brand}>
      <P>Hi {p.recipientName},</P>
      {p.kind === "due_soon" ? (
        <P>
          A milestone you own on the plan below is due on {due}. If it is done, mark it done; if the date will not hold, say so on the plan so both teams can
          plan around it.
        </P>
      ) : (
        <P>
          A milestone you own was due on {due} and is not marked done yet. Mark it done if it is, or pin a realistic date on the plan so the go-live forecast
          stays honest.
        </P>
      )}
      <Details
        rows={[
          ["Milestone", p.milestoneTitle],
          ["Due", due],
          ["Plan", `${p.buyerCompany}: ${p.planTitle}`],
        ]}
      />
      <ButtonLink href={p.planUrl}>Open the plan</ButtonLink>
      {p.audience === "buyer" ? (
        <P muted>This opens the plan in the browser where you confirmed your name. Elsewhere, use the link from your invitation email.</P>
      ) : null}
    </EmailLayout>
  );
}
