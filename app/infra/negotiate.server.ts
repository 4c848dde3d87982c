import Negotiator from "negotiator";
import { LOCALES, type Locale } from "~/domain/i18n/locales";

/*
 * Content negotiation by the library Express and the compression middleware already use
 * (negotiator): q-values, q=0 refusals, "*", a region falling back to its language ("de-AT" → de),
 * ties kept in the header's order. Server-only, so it never reaches a page's scripts.
 */

// negotiator 0.6.4 takes the server's order for ties in Accept-Encoding (compression passes it); its types predate that argument.
type EncodingNegotiator = { encodings(available: readonly string[], preferred: readonly string[]): string[] };

/** The best language of ours for an Accept-Language header, or null when it names none (the caller decides). */
export function negotiateLocale(header: string | null | undefined): Locale | null {
  if (!header) return null;
  return (new Negotiator({ headers: { "accept-language": header } }).languages(LOCALES)[0] as Locale | undefined) ?? null;
}

/** Of `available` encodings, those an Accept-Encoding header takes (q=0 refused), best first; ties in our order. */
export function acceptedEncodings<E extends string>(header: string | undefined, available: readonly E[]): E[] {
  const negotiator = new Negotiator({ headers: { "accept-encoding": header ?? "" } }) as unknown as EncodingNegotiator;
  return negotiator.encodings(available, available) as E[];
}
