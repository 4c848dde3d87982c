import { formatDay } from "~/domain/dates";
import { A, ButtonLink, EmailLayout, List, P, type EmailFooter } from "./layout";

export interface HandedOverPlan {
  title: string;
  buyerCompany: string;
  goLive: string;
  url: string;
}

export interface PlansHandedOverEmailProps {
  recipientName: string;
  fromName: string;
  byName: string;
  plans: HandedOverPlan[];
  plansUrl: string;
  today: string;
  footer: EmailFooter;
}

export function plansHandedOverSubject(p: Pick<PlansHandedOverEmailProps, "fromName" | "plans">): string {
  return p.plans.length === 1
    ? `${p.fromName}'s plan with ${p.plans[0].buyerCompany} is now yours`
    : `${p.plans.length} of ${p.fromName}'s plans are now yours`;
}

/** One email to the new owner when an admin hands over a teammate's plans (ADR 021), whatever their number. */
export function PlansHandedOverEmail(p: PlansHandedOverEmailProps) {
  const count = p.plans.length === 1 ? "one plan" : `${p.plans.length} plans`;
  return (
    <EmailLayout preview={`${p.byName} handed ${count} over to you from ${p.fromName}.`} heading={`You now own ${count} from ${p.fromName}`} footer={p.footer}>
      <P>Hi {p.recipientName},</P>
      <P>
        {p.byName} handed {p.fromName}&apos;s active {p.plans.length === 1 ? "plan" : "plans"} over to you. Their milestones, people, buyer links and history
        are unchanged; the buyers now see you as their contact, and the plans count in your forecast.
      </P>
      <List
        items={p.plans.map((plan) => (
          <>
            <A href={plan.url}>
              {plan.buyerCompany}: {plan.title}
            </A>{" "}
            · go-live {formatDay(plan.goLive, p.today)}
          </>
        ))}
      />
      <ButtonLink href={p.plansUrl}>Open your plans</ButtonLink>
    </EmailLayout>
  );
}
