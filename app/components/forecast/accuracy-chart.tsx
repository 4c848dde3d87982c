import { niceScale } from "~/components/forecast-chart";
import { DATE_SOURCE_LABELS, DATE_SOURCES, type DateSource, type HorizonCounts } from "~/domain/forecast-accuracy";
import { plural } from "~/domain/words";

/*
 * Mean error by horizon, one line per date source, server-rendered SVG. Further out on the left,
 * the close on the right, so a line falling to the right is a source that learns as the deal
 * nears. Sources differ by marker shape and dash as well as colour; each point is labelled with
 * its days, and the table below the chart has every number (with its deals) as links.
 */

const W = 960;
const H = 280;
const M = { top: 20, right: 24, bottom: 40, left: 56 };

const STYLE: Record<DateSource, { colour: string; dash: string; marker: "circle" | "square" | "diamond" | "triangle" }> = {
  confirmed: { colour: "#1d4ed8", dash: "", marker: "circle" },
  proposed: { colour: "#7c3aed", dash: "6 4", marker: "square" },
  projected: { colour: "#0f766e", dash: "2 4", marker: "diamond" },
  crm: { colour: "#b45309", dash: "10 4 2 4", marker: "triangle" },
};

function Marker({ shape, x, y, colour }: { shape: (typeof STYLE)[DateSource]["marker"]; x: number; y: number; colour: string }) {
  if (shape === "circle") return <circle cx={x} cy={y} r={5} fill={colour} />;
  if (shape === "square") return <rect x={x - 4.5} y={y - 4.5} width={9} height={9} fill={colour} />;
  if (shape === "diamond") return <path d={`M${x} ${y - 6}L${x + 6} ${y}L${x} ${y + 6}L${x - 6} ${y}Z`} fill={colour} />;
  return <path d={`M${x} ${y - 6}L${x + 6} ${y + 5}L${x - 6} ${y + 5}Z`} fill={colour} />;
}

const days = (n: number) => `${n.toFixed(1).replace(/\.0$/, "")} ${n === 1 ? "day" : "days"}`;

export function AccuracyChart({ horizons }: { horizons: HorizonCounts[] }) {
  const values = horizons.flatMap((h) => DATE_SOURCES.map((s) => h.bySource[s].meanAbsoluteErrorDays ?? 0));
  const scale = niceScale(Math.max(0, ...values));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  // Each horizon at the middle of its band, so the first and last labels fit inside the chart.
  const x = (i: number) => M.left + (plotW * (i + 0.5)) / Math.max(1, horizons.length);
  const y = (v: number) => M.top + plotH - (v / scale.max) * plotH;
  const ticks = Array.from({ length: Math.round(scale.max / scale.step) + 1 }, (_, i) => i * scale.step);
  const summary = DATE_SOURCES.map((s) => {
    const points = horizons.map((h) => {
      const f = h.bySource[s];
      return f.meanAbsoluteErrorDays === null
        ? `${h.horizon} days out: no deals`
        : `${h.horizon} days out: ${days(f.meanAbsoluteErrorDays)} (${plural(f.deals, "deal")})`;
    });
    return `${DATE_SOURCE_LABELS[s]}: ${points.join(", ")}`;
  }).join("; ");

  return (
    <figure className="m-0">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`Mean error in days by how long before the close. ${summary}.`}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke={t === 0 ? "#94a3b8" : "#e2e8f0"} strokeWidth="1" />
            <text x={M.left - 8} y={y(t)} dy="0.32em" textAnchor="end" fontSize="12" fill="#64748b">
              {t}
            </text>
          </g>
        ))}
        <text x={14} y={M.top + plotH / 2} textAnchor="middle" fontSize="12" fill="#64748b" transform={`rotate(-90 14 ${M.top + plotH / 2})`}>
          Mean error (days)
        </text>
        {horizons.map((h, i) => (
          <text key={h.horizon} x={x(i)} y={H - M.bottom + 22} textAnchor="middle" fontSize="13" fill="#475569">
            {h.horizon} days before close
          </text>
        ))}
        {DATE_SOURCES.map((s) => {
          const style = STYLE[s];
          const points = horizons.map((h, i) => ({ i, h, v: h.bySource[s].meanAbsoluteErrorDays }));
          // A source with no deals at a horizon leaves a gap rather than a line through nothing.
          const segments: string[] = [];
          let run: string[] = [];
          for (const p of points) {
            if (p.v === null) {
              if (run.length > 1) segments.push(run.join(" "));
              run = [];
            } else run.push(`${run.length ? "L" : "M"}${x(p.i)} ${y(p.v)}`);
          }
          if (run.length > 1) segments.push(run.join(" "));
          return (
            <g key={s}>
              {segments.map((d) => (
                <path key={d} d={d} fill="none" stroke={style.colour} strokeWidth="2.5" strokeDasharray={style.dash || undefined} />
              ))}
              {points.map((p) =>
                p.v === null ? null : (
                  <g key={p.h.horizon}>
                    <Marker shape={style.marker} x={x(p.i)} y={y(p.v)} colour={style.colour} />
                    <title>{`${DATE_SOURCE_LABELS[s]}, ${p.h.horizon} days before close: ${days(p.v)} mean error over ${plural(p.h.bySource[s].deals, "deal")}`}</title>
                  </g>
                ),
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap items-center gap-x-5 gap-y-1 text-xs text-slate-600">
        {DATE_SOURCES.map((s) => (
          <span key={s} className="inline-flex items-center gap-1.5">
            <svg width="30" height="12" aria-hidden="true">
              <line x1="0" x2="30" y1="6" y2="6" stroke={STYLE[s].colour} strokeWidth="2.5" strokeDasharray={STYLE[s].dash || undefined} />
              <Marker shape={STYLE[s].marker} x={15} y={6} colour={STYLE[s].colour} />
            </svg>
            {DATE_SOURCE_LABELS[s]}
          </span>
        ))}
        <span>Lower is better: the average number of days between the date and the real close.</span>
      </figcaption>
    </figure>
  );
}
