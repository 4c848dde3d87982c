import { formatDay } from "~/domain/dates";
import { ButtonLink, Details, EmailLayout, P, type EmailBrand, type EmailFooter } from "./layout";

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
}

export function inviteSubject(p: Pick<InviteEmailProps, "inviterName" | "planTitle" | "sellerName" | "reminder">): string {
  return p.reminder ? `Reminder: ${p.inviterName} shared “${p.planTitle}” with you` : `${p.inviterName} shared “${p.planTitle}” with you (${p.sellerName})`;
}

/** A buyer's invitation to a plan, with their personal link; also its one reminder. */
export function InviteEmail(p: InviteEmailProps) {
  const heading = p.reminder ? `Your plan with ${p.sellerName} is waiting` : `${p.inviterName} shared a plan with you`;
  return (
    <EmailLayout preview={`${p.buyerCompany}: ${p.planTitle}, go-live ${formatDay(p.goLive, p.today)}`} heading={heading} footer={p.footer} brand={p.brand}>
      <P>Hi {p.recipientName},</P>
      {p.reminder ? (
        <P>
          A few days ago {p.inviterName} shared the plan below with you, and the link has not been opened yet. It is the one place where both teams keep the
          steps, owners and dates that lead to go-live.
        </P>
      ) : (
        <P>
          {p.inviterName} shared the plan that {p.buyerCompany} and {p.sellerName} work from: the steps, who owns each one, and the dates that lead to go-live.
          You can mark your steps done, pin dates and comment.
        </P>
      )}
      <Details
        rows={[
          ["Plan", `${p.buyerCompany}: ${p.planTitle}`],
          ["Go-live", formatDay(p.goLive, p.today)],
        ]}
      />
      <ButtonLink href={p.linkUrl}>Open the plan</ButtonLink>
      <P muted>
        The link is personal to you and works until {formatDay(p.linkExpiresOn, p.today)}. No account or password: you confirm your name the first time, and
        that browser remembers you. Please don&apos;t forward it; ask {p.inviterName} to add a colleague instead.
      </P>
    </EmailLayout>
  );
}
