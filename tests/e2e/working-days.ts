/**
 * A Wednesday about `days` from today, clear of the fixed-date public holidays the demo
 * organisation keeps: a go-live there is a working day whatever day the tests run.
 */
export function workingDayInDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7));
  while (["01-01", "06-19", "07-04", "11-11", "12-24", "12-25", "12-31"].includes(d.toISOString().slice(5, 10))) d.setUTCDate(d.getUTCDate() + 7);
  return d.toISOString().slice(0, 10);
}
