/*
 * Who an email says it is from. Emails to buyers come "from" the rep through the portal: the
 * display name names the person ("Sam Okafor via Plan Together"), the address stays MAIL_FROM's
 * (the only one the SMTP server may send as, and the one SPF/DKIM vouch for), and Reply-To is the
 * rep's own address, so a buyer's answer reaches a person, not the portal.
 */

/** The stored headers that carry the sender: read by the mailer, never sent under these names. */
export const SENDER_NAME_HEADER = "X-Plan-Together-Sender";
export const REPLY_TO_HEADER = "Reply-To";

/** MAIL_FROM ("Plan Together <plans@example.com>" or a bare address) as its name and address. */
export function parseMailFrom(mailFrom: string): { name: string; address: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(mailFrom);
  if (match) return { name: match[1].trim(), address: match[2].trim() };
  return { name: "", address: mailFrom.trim() };
}

/** The From of an email sent on someone's behalf: their name via the portal's, at MAIL_FROM's address. */
export function fromOnBehalf(mailFrom: string, senderName: string | undefined): { name: string; address: string } {
  const configured = parseMailFrom(mailFrom);
  const person = senderName?.replace(/[\r\n]+/g, " ").trim();
  if (!person) return configured;
  return { name: `${person} via ${configured.name || "Plan Together"}`, address: configured.address };
}

/** `"Sam Okafor" <sam@example.com>`: a header value any mail client parses, whatever the name holds. */
export function formatAddress(name: string, email: string): string {
  const clean = name.replace(/[\r\n]+/g, " ").trim();
  return clean ? `"${clean.replace(/(["\\])/g, "\\$1")}" <${email}>` : email;
}
