/*
 * Money as people read it, for every page: "$184,000" in plan headers, lists and the forecast,
 * "$1.2M" on chart axes. Whole units, en-US grouping, the plan's own currency.
 */

const formatters = new Map<string, Intl.NumberFormat | null>();

/**
 * One Intl.NumberFormat per currency and style, built on first use: building one costs far more
 * than formatting with it (a plans list of 50 rows built 50). Currencies are ISO codes, so the
 * cache stays small; one Intl cannot format is remembered as null.
 */
function formatter(currency: string, compact: boolean): Intl.NumberFormat | null {
  const key = `${currency}:${compact}`;
  if (!formatters.has(key)) {
    try {
      formatters.set(
        key,
        new Intl.NumberFormat(
          "en-US",
          compact
            ? { style: "currency", currency, notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 }
            : { style: "currency", currency, maximumFractionDigits: 0 },
        ),
      );
    } catch {
      formatters.set(key, null);
    }
  }
  return formatters.get(key)!;
}

/** "$184,000", "€50,000"; "1,234 XYZ" for a code Intl does not know. */
export function formatMoney(value: number, currency: string): string {
  return formatter(currency, false)?.format(value) ?? `${value.toLocaleString("en-US")} ${currency}`;
}

/** "$1.2M", "$840K", "$950": short values for chart axes and labels. */
export function compactMoney(value: number, currency: string): string {
  return formatter(currency, true)?.format(value) ?? `${value} ${currency}`;
}
