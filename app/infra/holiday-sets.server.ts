import Holidays from "date-holidays";

/*
 * The common national holiday sets, from the `date-holidays` package, as a starting point for an
 * organisation's holiday list and for a buyer's calendar. A set is named by its code: a country
 * ("DE") or a country and one of its states or provinces ("DE-BY"). Only public holidays (days
 * off by law) are taken: bank-only and observance days are working days for most businesses.
 * Computing a year is slow for some sets (docs/benchmarks.md), so results are kept for the process.
 */

export interface HolidaySet {
  code: string;
  label: string;
}

export interface HolidaySetGroup {
  country: string;
  sets: HolidaySet[];
}

export interface NamedHoliday {
  date: string; // YYYY-MM-DD
  name: string;
}

const CODE = /^([A-Z]{2})(?:-([A-Z0-9]{1,10}))?$/;

let groups: HolidaySetGroup[] | null = null;
const labels = new Map<string, string>();

/** Every set, grouped by country (countries by name; the whole country first, then its states). */
export function holidaySetGroups(): HolidaySetGroup[] {
  if (groups) return groups;
  const all = new Holidays();
  const countries = Object.entries(all.getCountries("en")).sort(([, a], [, b]) => a.localeCompare(b, "en"));
  groups = countries.map(([country, countryName]) => {
    const states = Object.entries(all.getStates(country, "en") ?? {}).sort(([, a], [, b]) => a.localeCompare(b, "en"));
    const sets = [
      { code: country, label: `${countryName} (whole country)` },
      ...states.map(([state, stateName]) => ({ code: `${country}-${state}`, label: `${countryName} — ${stateName}` })),
    ];
    for (const set of sets) labels.set(set.code, set.label);
    return { country: countryName, sets };
  });
  return groups;
}

/** The set's label ("Germany — Bavaria"), or null when there is no such set. */
export function holidaySetLabel(code: string): string | null {
  holidaySetGroups();
  return labels.get(code) ?? null;
}

const yearCache = new Map<string, NamedHoliday[]>();

function holidaysOfYear(code: string, year: number): NamedHoliday[] {
  const key = `${code} ${year}`;
  const cached = yearCache.get(key);
  if (cached) return cached;
  const [, country, state] = CODE.exec(code) ?? [];
  const set = state ? new Holidays(country, state) : new Holidays(country);
  const byDate = new Map<string, string[]>();
  for (const holiday of set.getHolidays(year, "en") || []) {
    if (holiday.type !== "public") continue;
    const date = holiday.date.slice(0, 10); // the set's own calendar day, "YYYY-MM-DD hh:mm:ss"
    byDate.set(date, [...(byDate.get(date) ?? []), holiday.name]);
  }
  const result = [...byDate].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, names]) => ({ date, name: names.join(" / ") }));
  yearCache.set(key, result);
  return result;
}

/** The set's public holidays from January of `fromYear` to December of `toYear`, by date. Throws on an unknown set. */
export function publicHolidays(code: string, fromYear: number, toYear: number): NamedHoliday[] {
  if (holidaySetLabel(code) === null) throw new RangeError(`Unknown holiday set ${JSON.stringify(code)}`);
  const result: NamedHoliday[] = [];
  for (let year = fromYear; year <= toYear; year++) result.push(...holidaysOfYear(code, year));
  return result;
}
