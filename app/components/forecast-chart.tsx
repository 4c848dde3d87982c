import { useId } from "react";
import { compactMoney, formatMoney } from "~/domain/money";
import { plural } from "~/domain/words";

/*
 * Value by period as stacked bars, server-rendered SVG. Customer-confirmed value is the solid
 * lower part; seller-proposed value sits on top, hatched with a dashed outline, so the two differ
 * by pattern and not by colour alone. The numbers themselves (with links) are in the table beside.
 */

export interface ForecastBar {
  key: string;
  label: string;
  confirmed: { plans: number; value: number };
  proposed: { plans: number; value: number };
}

const W = 880;
const H = 250;
const M = { top: 26, right: 12, bottom: 34, left: 64 };
const CONFIRMED = "#2459b8"; // brand-600
const PROPOSED = "#2f6fdb"; // brand-500

/** A round axis maximum and step: 1, 2, 2.5 or 5 × 10^k per step, four steps. */
export function niceScale(max: number, steps = 4): { max: number; step: number } {
  if (!(max > 0)) return { max: steps, step: 1 };
  const raw = max / steps;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return { max: step * steps, step };
}

const plans = (n: number) => `${plural(n, "plan")}`;

export function ForecastChart({ bars, currency, caption }: { bars: ForecastBar[]; currency: string; caption: string }) {
  const id = `fc${useId().replace(/[^a-zA-Z0-9]/g, "")}`;
  const totals = bars.map((b) => b.confirmed.value + b.proposed.value);
  const scale = niceScale(Math.max(0, ...totals));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const band = plotW / Math.max(1, bars.length);
  const barW = Math.min(72, band * 0.5);
  const y = (v: number) => M.top + plotH - (v / scale.max) * plotH;
  const ticks = Array.from({ length: Math.round(scale.max / scale.step) + 1 }, (_, i) => i * scale.step);
  const summary = bars
    .map((b) => `${b.label}: ${formatMoney(b.confirmed.value, currency)} customer-confirmed, ${formatMoney(b.proposed.value, currency)} seller-proposed`)
    .join("; ");

  return (
    <figure className="m-0">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`${caption}. ${summary}.`}>
        <defs>
          <pattern id={`${id}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#eef6ff" />
            <line x1="0" y1="0" x2="0" y2="6" stroke={PROPOSED} strokeWidth="2.2" />
          </pattern>
        </defs>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke={t === 0 ? "#94a3b8" : "#e2e8f0"} strokeWidth="1" />
            <text x={M.left - 8} y={y(t)} dy="0.32em" textAnchor="end" fontSize="12" fill="#64748b">
              {compactMoney(t, currency)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const x = M.left + band * i + (band - barW) / 2;
          const total = totals[i];
          const confirmedTop = y(b.confirmed.value);
          const proposedTop = y(total);
          return (
            <g key={b.key}>
              {b.confirmed.value > 0 ? (
                <rect x={x} y={confirmedTop} width={barW} height={y(0) - confirmedTop} fill={CONFIRMED} rx="2">
                  <title>{`${b.label}, customer-confirmed: ${formatMoney(b.confirmed.value, currency)} (${plans(b.confirmed.plans)})`}</title>
                </rect>
              ) : null}
              {b.proposed.value > 0 ? (
                <rect
                  x={x + 0.75}
                  y={proposedTop + 0.75}
                  width={barW - 1.5}
                  height={Math.max(0, confirmedTop - proposedTop - 1.5)}
                  fill={`url(#${id}-hatch)`}
                  stroke={PROPOSED}
                  strokeWidth="1.5"
                  strokeDasharray="4 2"
                  rx="2"
                >
                  <title>{`${b.label}, seller-proposed: ${formatMoney(b.proposed.value, currency)} (${plans(b.proposed.plans)})`}</title>
                </rect>
              ) : null}
              <text x={x + barW / 2} y={proposedTop - 6} textAnchor="middle" fontSize="12" fontWeight="600" fill={total > 0 ? "#334155" : "#94a3b8"}>
                {compactMoney(total, currency)}
              </text>
              <text x={x + barW / 2} y={H - M.bottom + 19} textAnchor="middle" fontSize="13" fill="#475569">
                {b.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap items-center gap-x-5 gap-y-1 text-xs text-slate-600">
        <span className="inline-flex items-center gap-1.5">
          <svg width="14" height="14" aria-hidden="true">
            <rect width="14" height="14" rx="2" fill={CONFIRMED} />
          </svg>
          Customer-confirmed (solid)
        </span>
        <span className="inline-flex items-center gap-1.5">
          <svg width="14" height="14" aria-hidden="true">
            <defs>
              <pattern id={`${id}-legend`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="6" height="6" fill="#eef6ff" />
                <line x1="0" y1="0" x2="0" y2="6" stroke={PROPOSED} strokeWidth="2.2" />
              </pattern>
            </defs>
            <rect x="0.75" y="0.75" width="12.5" height="12.5" rx="2" fill={`url(#${id}-legend)`} stroke={PROPOSED} strokeWidth="1.5" strokeDasharray="4 2" />
          </svg>
          Seller-proposed (hatched)
        </span>
        <span>Values in {currency}</span>
      </figcaption>
    </figure>
  );
}
