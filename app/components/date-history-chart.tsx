import { formatDay, formatDayShort } from "~/domain/dates";
import { daysBetween, fiscalQuarterAt, fiscalQuarterIndex, fiscalQuarterOf, isQuarterPush, type ISODate } from "~/domain/forecast";

/*
 * A plan's forecast close date over time, as a small server-rendered step chart: x is when the
 * change was made, y the close date (later dates higher), so a slip reads as a step up. Fiscal
 * quarters are drawn as bands; a change that pushed the date into a later quarter is a triangle
 * (the others are dots), so pushes stand out without relying on colour. Each point's <title>
 * tells old → new, who, which side and why.
 */

export interface DateHistoryEntry {
  /** When the change was made (ISO timestamp). */
  at: string;
  oldDate: string | null;
  newDate: string | null;
  actorName: string;
  actorSide: string;
  reason: string | null;
}

export interface DateHistoryChartProps {
  history: DateHistoryEntry[];
  /** The organisation's today (YYYY-MM-DD): the line runs up to it. */
  today: string;
  fiscalYearStartMonth: number;
}

const W = 480;
const H = 180;
const M = { top: 12, right: 78, bottom: 24, left: 12 };
const DAY = 86_400_000;

const dayOf = (iso: ISODate) => Date.parse(`${iso}T00:00:00Z`);
const words = (iso: string | null, today: string) => (iso ? formatDay(iso, today) : "no date");

export function DateHistoryChart({ history, today, fiscalYearStartMonth }: DateHistoryChartProps) {
  const changes = [...history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const dated = changes.filter((c) => c.newDate || c.oldDate);
  if (dated.length === 0) {
    return <p className="text-sm text-slate-500">The forecast close date has not been set yet.</p>;
  }

  const pushes = changes.filter((c) => isQuarterPush(c, fiscalYearStartMonth)).length;
  const current = changes[changes.length - 1].newDate;

  // x: moments from the first change to today (at least a day wide).
  const x0 = Date.parse(changes[0].at);
  const x1 = Math.max(dayOf(today) + DAY, Date.parse(changes[changes.length - 1].at), x0 + DAY);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (t: number) => M.left + ((t - x0) / (x1 - x0)) * plotW;

  // y: the dates shown, padded by a week and widened to whole quarters so the bands read clearly.
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
    if (i === changes.length - 1 && open) path += ` H${x(Math.max(dayOf(today), Date.parse(c.at))).toFixed(1)}`;
  });

  const label = `Forecast close date history: ${changes.length} change${changes.length === 1 ? "" : "s"}, pushed into a later fiscal quarter ${pushes} time${pushes === 1 ? "" : "s"}; now ${current ? `${formatDayShort(current)} (${fiscalQuarterOf(current, fiscalYearStartMonth).label})` : "no date"}.`;

  return (
    <figure className="m-0">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={label}>
        {bands.map((q, k) => {
          const top = clampY(dayOf(q.end));
          const bottom = clampY(dayOf(q.start));
          if (bottom - top < 1) return null;
          return (
            <g key={q.key}>
              <rect x={M.left} y={top} width={plotW} height={bottom - top} fill={k % 2 === 0 ? "#f8fafc" : "#f1f5f9"} />
              {dayOf(q.start) > y0 ? <line x1={M.left} x2={M.left + plotW} y1={bottom} y2={bottom} stroke="#cbd5e1" strokeDasharray="3 3" /> : null}
              <text x={M.left + plotW + 6} y={(top + bottom) / 2} dy="0.32em" fontSize="10" fill="#64748b">
                {q.label}
              </text>
            </g>
          );
        })}
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
        {current ? (
          <text
            x={M.left + plotW - 4}
            y={y(current) < M.top + 14 ? y(current) + 14 : y(current) - 6}
            textAnchor="end"
            fontSize="10"
            fontWeight="600"
            fill="#1d4791"
          >
            {`Now ${formatDay(current, today)}`}
          </text>
        ) : null}
        <text x={M.left} y={H - 6} fontSize="10" fill="#64748b">
          {formatDayShort(changes[0].at.slice(0, 10))}
        </text>
        <text x={M.left + plotW} y={H - 6} fontSize="10" fill="#64748b" textAnchor="end">
          {daysBetween(changes[0].at.slice(0, 10), today) > 0 ? `Today, ${formatDayShort(today)}` : formatDayShort(today)}
        </text>
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
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
    </figure>
  );
}
