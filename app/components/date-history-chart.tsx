import { DateText } from "~/components/date-text";
import { addCalendarDays } from "~/domain/calendar";
import { formatDay, formatDayShort } from "~/domain/dates";
import type { ISODate } from "~/domain/calendar";
import { fiscalQuarterAt, fiscalQuarterIndex, fiscalQuarterOf } from "~/domain/fiscal-quarters";
import { isQuarterPush } from "~/domain/forecast-pushes";
import { timeTicks } from "~/domain/time-axis";
import { plural } from "~/domain/words";
import type { DateHistoryEntry } from "~/models/plan-page.server";

/*
 * A plan's forecast close date over time, as a small server-rendered step chart: x is when the
 * change was made, y the close date (later dates higher), so a slip reads as a step up. Fiscal
 * quarters are drawn as bands; a change that pushed the date into a later quarter is a triangle
 * (the others are dots), so pushes stand out without relying on colour. Each point's <title>
 * tells old → new, who, which side and why; screen readers get the same as a table. The x axis
 * is ticked on real dates across the history's span (app/domain/time-axis.ts). Text is 12 units
 * in a 300-unit-wide drawing shown 300–400 px wide, so it reads at 12–16 px.
 */

export interface DateHistoryChartProps {
  history: DateHistoryEntry[];
  /** The organisation's today (YYYY-MM-DD): the line runs up to it. */
  today: string;
  fiscalYearStartMonth: number;
}

const W = 300;
const H = 190;
const M = { top: 10, right: 70, bottom: 30, left: 8 };
const FONT = 12;
const DAY = 86_400_000;
/** Room for one tick label ("28 Nov", "Jan 2027") and the gap after it. */
const TICK_ROOM = 52;

const dayOf = (iso: ISODate) => Date.parse(`${iso}T00:00:00Z`);
const words = (iso: string | null, today: string) => (iso ? formatDay(iso, today) : "no date");

export function DateHistoryChart({ history, today, fiscalYearStartMonth }: DateHistoryChartProps) {
  const changes = [...history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const dated = changes.filter((c) => c.newDate || c.oldDate);
  if (dated.length === 0) {
    return <p className="text-sm text-slate-600">The forecast close date has not been set yet.</p>;
  }
  const first = changes[0];
  if (changes.length === 1 && first.oldDate === null && first.newDate) {
    // Only the date the plan started with: nothing has moved, and a one-point chart says less than words.
    return (
      <p className="px-1 py-2 text-sm text-slate-600">
        No changes yet: the forecast close date has been <DateText iso={first.newDate} today={today} className="font-medium text-slate-900" /> since{" "}
        <DateText iso={first.at.slice(0, 10)} today={today} />, set by {first.actorName} ({first.actorSide}).
      </p>
    );
  }

  const pushes = changes.filter((c) => isQuarterPush(c, fiscalYearStartMonth)).length;
  const current = changes[changes.length - 1].newDate;

  // x: whole days from the first change to today, at least a week, so a history made today still
  // has an axis to read.
  const lastDay = changes[changes.length - 1].at.slice(0, 10);
  const endDay = lastDay > today ? lastDay : today;
  const firstDay = changes[0].at.slice(0, 10);
  const weekBefore = addCalendarDays(endDay, -6);
  const startDay = firstDay < weekBefore ? firstDay : weekBefore;
  const x0 = dayOf(startDay);
  const x1 = dayOf(endDay) + DAY;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (t: number) => M.left + ((t - x0) / (x1 - x0)) * plotW;
  const ticks = timeTicks(startDay, endDay, Math.floor(plotW / TICK_ROOM));

  // y: the dates shown, padded by three weeks and widened to whole quarters so the bands read clearly.
  const dates = changes.flatMap((c) => [c.oldDate, c.newDate]).filter((d): d is string => !!d);
  const lowIndex = Math.min(...dates.map((d) => fiscalQuarterIndex(d, fiscalYearStartMonth)));
  const highIndex = Math.max(...dates.map((d) => fiscalQuarterIndex(d, fiscalYearStartMonth)));
  const minDate = dates.reduce((a, b) => (a < b ? a : b));
  const maxDate = dates.reduce((a, b) => (a > b ? a : b));
  const y0 = Math.max(dayOf(fiscalQuarterAt(lowIndex, fiscalYearStartMonth).start), dayOf(minDate) - 21 * DAY);
  const y1 = Math.min(dayOf(fiscalQuarterAt(highIndex, fiscalYearStartMonth).end), dayOf(maxDate) + 21 * DAY);
  const span = Math.max(y1 - y0, DAY);
  const y = (iso: ISODate) => M.top + plotH - ((dayOf(iso) - y0) / span) * plotH;
  const clampY = (t: number) => Math.min(M.top + plotH, Math.max(M.top, M.top + plotH - ((t - y0) / span) * plotH));

  const bands = Array.from({ length: highIndex - lowIndex + 1 }, (_, k) => fiscalQuarterAt(lowIndex + k, fiscalYearStartMonth));

  // The step line: flat while a date holds, a vertical step at each change; a gap while no date.
  let path = "";
  let open = false;
  changes.forEach((c, i) => {
    const cx = x(Date.parse(c.at));
    if (c.newDate) {
      path += open ? ` H${cx.toFixed(1)} V${y(c.newDate).toFixed(1)}` : ` M${cx.toFixed(1)} ${y(c.newDate).toFixed(1)}`;
      open = true;
    } else if (open) {
      path += ` H${cx.toFixed(1)}`;
      open = false;
    }
    if (i === changes.length - 1 && open) path += ` H${(M.left + plotW).toFixed(1)}`;
  });

  const moves = changes.length - (first.oldDate === null ? 1 : 0);
  const label =
    `Forecast close date history from ${formatDayShort(firstDay)} to ${formatDayShort(endDay)}: ${plural(moves, "change")}, ` +
    `pushed into a later fiscal quarter ${plural(pushes, "time")}; now ${current ? `${formatDayShort(current)} (${fiscalQuarterOf(current, fiscalYearStartMonth).label})` : "no date"}.`;

  return (
    <figure className="m-0">
      <svg viewBox={`0 0 ${W} ${H}`} className="block h-auto w-full max-w-[25rem]" role="img" aria-labelledby="date-history-title" fontSize={FONT}>
        <title id="date-history-title">{label}</title>
        {bands.map((q, k) => {
          const top = clampY(dayOf(q.end));
          const bottom = clampY(dayOf(q.start));
          if (bottom - top < 1) return null;
          return (
            <g key={q.key}>
              <rect x={M.left} y={top} width={plotW} height={bottom - top} fill={k % 2 === 0 ? "#f8fafc" : "#f1f5f9"} />
              {dayOf(q.start) > y0 ? <line x1={M.left} x2={M.left + plotW} y1={bottom} y2={bottom} stroke="#cbd5e1" strokeDasharray="3 3" /> : null}
              {bottom - top >= FONT ? (
                <text x={M.left + plotW + 6} y={(top + bottom) / 2} dy="0.32em" fill="#475569">
                  {q.label}
                </text>
              ) : null}
            </g>
          );
        })}
        <g data-axis="time" fill="#475569">
          <line x1={M.left} x2={M.left + plotW} y1={M.top + plotH} y2={M.top + plotH} stroke="#94a3b8" />
          {ticks.map((tick) => {
            const tx = x(dayOf(tick.date) + DAY / 2);
            const anchor = tx - M.left < 24 ? "start" : M.left + plotW - tx < 24 ? "end" : "middle";
            return (
              <g key={tick.date}>
                <line x1={tx} x2={tx} y1={M.top + plotH} y2={M.top + plotH + 4} stroke="#94a3b8" />
                <text x={tx} y={H - 8} textAnchor={anchor} data-date={tick.date}>
                  {tick.label}
                </text>
              </g>
            );
          })}
        </g>
        <path d={path.trim()} fill="none" stroke="#2459b8" strokeWidth="2" strokeLinejoin="round" />
        {changes.map((c, i) => {
          if (!c.newDate) return null;
          const cx = x(Date.parse(c.at));
          const cy = y(c.newDate);
          const pushed = isQuarterPush(c, fiscalYearStartMonth);
          const title =
            `${formatDayShort(c.at.slice(0, 10))}: ${words(c.oldDate, today)} → ${words(c.newDate, today)}` +
            (pushed ? ` (pushed into ${fiscalQuarterOf(c.newDate, fiscalYearStartMonth).label})` : "") +
            ` · ${c.actorName} (${c.actorSide})` +
            (c.reason ? ` · ${c.reason}` : "");
          return pushed ? (
            <path key={i} d={`M${cx} ${cy - 6} L${cx + 5.5} ${cy + 4} L${cx - 5.5} ${cy + 4} Z`} fill="#b91c1c" stroke="#fff" strokeWidth="1">
              <title>{title}</title>
            </path>
          ) : (
            <circle key={i} cx={cx} cy={cy} r="4" fill="#2459b8" stroke="#fff" strokeWidth="1.5">
              <title>{title}</title>
            </circle>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {/* The current date in words, beside the chart rather than in it, where it can never cover a point. */}
        <span className="w-full text-sm text-slate-900">
          Now{" "}
          {current ? (
            <>
              <DateText iso={current} today={today} className="font-semibold" /> ({fiscalQuarterOf(current, fiscalYearStartMonth).label})
            </>
          ) : (
            "no close date"
          )}
        </span>
        <span className="inline-flex items-center gap-1">
          <svg width="10" height="10" aria-hidden="true">
            <circle cx="5" cy="5" r="4" fill="#2459b8" />
          </svg>
          Change
        </span>
        <span className="inline-flex items-center gap-1">
          <svg width="12" height="10" aria-hidden="true">
            <path d="M6 0 L12 10 L0 10 Z" fill="#b91c1c" />
          </svg>
          Pushed into a later quarter ({pushes})
        </span>
      </figcaption>
      {/* The wrapper hides the table: a table ignores sr-only's 1 px width and widened phone pages. */}
      <div className="sr-only">
        <table>
          <caption>Every change of the forecast close date, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">By</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c, i) => (
              <tr key={i}>
                <td>{formatDay(c.at.slice(0, 10), today)}</td>
                <td>{c.oldDate ? formatDay(c.oldDate, today) : "no date"}</td>
                <td>
                  {c.newDate ? formatDay(c.newDate, today) : "no date"}
                  {isQuarterPush(c, fiscalYearStartMonth) && c.newDate ? ` (pushed into ${fiscalQuarterOf(c.newDate, fiscalYearStartMonth).label})` : ""}
                </td>
                <td>
                  {c.actorName} ({c.actorSide})
                </td>
                <td>{c.reason ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
