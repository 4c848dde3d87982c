/* Money on the forecast: its headline currency, and money.ts's formats with that as the default. */

import { compactMoney as compactMoneyIn, formatMoney as formatMoneyIn } from "./money";

/** The currency the forecast's headline values are in; plans in others are listed separately. */
export const FORECAST_CURRENCY = "USD";

/** "$184,000", "€50,000": whole units, in the forecast's currency unless told another. */
export function formatMoney(value: number, currency = FORECAST_CURRENCY): string {
  return formatMoneyIn(value, currency);
}

/** "$1.2M", "$840K", "$950": short values for chart axes and labels. */
export function compactMoney(value: number, currency = FORECAST_CURRENCY): string {
  return compactMoneyIn(value, currency);
}
