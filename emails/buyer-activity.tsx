import { ButtonLink, EmailLayout, List, P, type EmailFooter } from "./layout";

export interface BuyerActivityLine {
  /** The local time it happened, as the recipient's organisation reads clocks ("14:05", or "Thu 4 Dec, 14:05"). */
  when: string;
  /** The activity sentence, with a comment's text (see describeActivity). */
  text: string;
}

export interface BuyerActivityEmailProps {
  recipientName: string;
  /** The buyers who did something, in the order they first did. */
  buyerNames: string[];
  lines: BuyerActivityLine[];
  buyerCompany: string;
  planTitle: string;
  planUrl: string;
  footer: EmailFooter;
}

function names(list: string[]): string {
  if (list.length <= 2) return list.join(" and ");
  return `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;
}

export function buyerActivitySubject(p: Pick<BuyerActivityEmailProps, "buyerNames" | "lines" | "buyerCompany">): string {
  const n = p.lines.length;
  return `${p.buyerCompany}: ${n} update${n === 1 ? "" : "s"} from ${names(p.buyerNames)}`;
}

/** To the seller side of a plan: what its buyers did since the last such email (at most one per 15 minutes). */
export function BuyerActivityEmail(p: BuyerActivityEmailProps) {
  return (
    <EmailLayout preview={p.lines[0]?.text ?? ""} heading={`What ${p.buyerCompany} did on the plan`} footer={p.footer}>
      <P>Hi {p.recipientName},</P>
      <P>
        {names(p.buyerNames)} worked on {p.buyerCompany}: {p.planTitle}.
      </P>
      <List items={p.lines.map((l) => `${l.when} · ${l.text}`)} />
      <ButtonLink href={p.planUrl}>Open the plan</ButtonLink>
    </EmailLayout>
  );
}
