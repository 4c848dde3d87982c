/*
 * Addresses that are credentials: a buyer's link (/s/<token>), a signed pointer (/o/<signed>), a
 * calendar feed, an email-preferences link and a set-password link carry their secret in the path.
 * One list, read by the request log, the error log and the response headers, so a new kind of
 * secret address is protected everywhere at once.
 */
const SECRET_SEGMENT_AFTER = ["s", "o", "calendar", "email-preferences", "password/set"] as const;

const SECRET_SEGMENT = new RegExp(`/(${SECRET_SEGMENT_AFTER.join("|")})/[^/\\s"'?#]+`, "g");

/** The text (a path, a log line, a stack) with every secret segment of such an address replaced by "[token]". */
export function redactSecretPaths(text: string): string {
  return text.replace(SECRET_SEGMENT, "/$1/[token]");
}

/** The pages a buyer opens from a link: the link itself, a signed pointer and the plan's pages. */
export function isBuyerLinkPage(pathname: string): boolean {
  return /^\/(s|o|p)\//.test(pathname);
}

/**
 * Pages whose address must not leak to other sites nor be indexed: the buyer's pages, and the
 * email-preferences and set-password pages, whose addresses are credentials too.
 */
export function isPrivateAddressPage(pathname: string): boolean {
  return isBuyerLinkPage(pathname) || /^\/(email-preferences|password\/set)\//.test(pathname);
}
