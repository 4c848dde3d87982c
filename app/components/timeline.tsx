import { useId, type ReactNode } from "react";

import { useT } from "~/components/i18n-context";
import type { Translator } from "~/domain/i18n/translate";
import { type OwnerSide } from "~/domain/owner-side";
import { projectedFinishWords } from "~/domain/projection";
import { estimateTextWidth, layoutTimeline, type TimelineMarker, type TimelineRow } from "~/domain/timeline-layout";

/*
 * The plan timeline: a server-rendered SVG Gantt chart. Everything is drawn with presentation
 * attributes (no CSS classes inside the SVG) so it looks the same in the app, in an email preview
 * or on its own, and nothing depends on hydration or on the clock.
 */

export interface TimelineMilestone {
  id: string;
  title: string;
  ownerSide: OwnerSide;
  start: string | null; // backward pass (latest dates)
  due: string | null;
  projectedStart: string | null; // forward pass
  projectedFinish: string | null;
  completedOn: string | null;
  pinnedDate: string | null;
  isClose: boolean;
  durationDays: number;
  status: "done" | "overdue" | "at_risk" | "on_track" | null;
  dependsOn: string[];
}

export interface TimelineProps {
  milestones: TimelineMilestone[];
  today: string;
  goLive: string;
  projectedGoLive: string | null;
  width?: number;
}

const FONT_FAMILY = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const FONT_SIZE = 12;

// Tailwind's slate scale and the brand blue, as hex because SVG attributes cannot read the theme.
const C = {
  ink: "#1e293b", // slate-800
  text: "#334155", // slate-700
  muted: "#64748b", // slate-500
  faint: "#94a3b8", // slate-400
  rule: "#cbd5e1", // slate-300
  grid: "#e2e8f0", // slate-200
  gridLight: "#eef2f6",
  zebra: "#f8fafc", // slate-50
  white: "#ffffff",
  seller: "#2459b8", // brand-600
  sellerDark: "#1d4791", // brand-700
  buyer: "#0f766e", // teal-700
  buyerTint: "#ccfbf1", // teal-100
  risk: "#d97706", // amber-600
  riskTrack: "#f59e0b", // amber-500
  late: "#dc2626", // red-600
  lateTrack: "#ef4444", // red-500
  done: "#059669", // emerald-600
};

const LEGEND_ROW_HEIGHT = 22;
const LEGEND_GAP_AFTER = 10;

type LegendKey = "seller" | "buyer" | "joint" | "event" | "projected" | "done" | "at_risk" | "overdue" | "pinned" | "dependency";

const LEGEND: LegendKey[] = ["seller", "buyer", "joint", "event", "projected", "done", "at_risk", "overdue", "pinned", "dependency"];

/** Legend items, in the reader's words, flowed left to right, wrapping to the width. */
function flowLegend(width: number, t: Translator["t"]) {
  const swatch = 22;
  const indent = 12; // lines the legend up with the titles below
  let x = indent;
  let row = 0;
  const items = LEGEND.map((key) => {
    const item = { key, label: t(`timeline.legend.${key}`) };
    const itemWidth = swatch + 6 + estimateTextWidth(item.label, FONT_SIZE) + 16;
    if (x > indent && x + itemWidth > width) {
      x = indent;
      row += 1;
    }
    const placed = { ...item, x, y: row * LEGEND_ROW_HEIGHT };
    x += itemWidth;
    return placed;
  });
  return { items, height: (row + 1) * LEGEND_ROW_HEIGHT + LEGEND_GAP_AFTER };
}

/** FNV-1a over what makes a chart distinct: deterministic, no randomness, O(V). */
function contentHash(milestones: TimelineMilestone[], goLive: string, width: number): string {
  let hash = 0x811c9dc5;
  const text = `${goLive}|${width}|${milestones.map((m) => `${m.id}:${m.start}:${m.due}`).join(",")}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** A rounded rectangle's top half, for the seller half of a joint bar. */
function topHalfPath(x: number, y: number, w: number, h: number, r: number) {
  const rr = Math.min(r, w / 2, h / 2);
  const mid = y + h / 2;
  return `M${x},${mid}V${y + rr}Q${x},${y} ${x + rr},${y}H${x + w - rr}Q${x + w},${y} ${x + w},${y + rr}V${mid}Z`;
}

function BarShape({ side, x, y, w, h, hatchId }: { side: OwnerSide; x: number; y: number; w: number; h: number; hatchId: string }) {
  const r = Math.min(3, w / 2);
  if (side === "seller") return <rect x={x} y={y} width={w} height={h} rx={r} fill={C.seller} />;
  const hatched = (
    <rect x={x + 0.5} y={y + 0.5} width={Math.max(w - 1, 0.5)} height={h - 1} rx={r} fill={`url(#${hatchId})`} stroke={C.buyer} strokeWidth={1} />
  );
  if (side === "buyer") return hatched;
  return (
    <>
      {hatched}
      <path d={topHalfPath(x, y, w, h, r)} fill={C.seller} />
    </>
  );
}

function Diamond({ side, cx, cy, r, hatchId }: { side: OwnerSide; cx: number; cy: number; r: number; hatchId: string }) {
  const d = `M${cx},${cy - r}L${cx + r},${cy}L${cx},${cy + r}L${cx - r},${cy}Z`;
  if (side === "seller") return <path d={d} fill={C.seller} stroke={C.sellerDark} strokeWidth={1} />;
  if (side === "buyer") return <path d={d} fill={`url(#${hatchId})`} stroke={C.buyer} strokeWidth={1.25} />;
  return (
    <>
      <path d={d} fill={`url(#${hatchId})`} stroke={C.buyer} strokeWidth={1.25} />
      <path d={`M${cx - r},${cy}L${cx},${cy - r}L${cx + r},${cy}Z`} fill={C.seller} />
    </>
  );
}

function CheckBadge({ cx, cy }: { cx: number; cy: number }) {
  return (
    <g data-marker="done">
      <circle cx={cx} cy={cy} r={6} fill={C.done} stroke={C.white} strokeWidth={1.5} />
      <path
        d={`M${cx - 2.6},${cy + 0.2}L${cx - 0.7},${cy + 2.1}L${cx + 2.8},${cy - 1.9}`}
        fill="none"
        stroke={C.white}
        strokeWidth={1.6}
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </g>
  );
}

/** Overdue is a red circle, at risk an amber triangle: the shape differs, not only the colour. */
function StatusBadge({ status, cx, cy }: { status: "overdue" | "at_risk"; cx: number; cy: number }) {
  const glyph = (
    <>
      <rect x={cx - 0.8} y={cy - 3.4} width={1.6} height={3.8} rx={0.6} fill={C.white} />
      <circle cx={cx} cy={cy + 2.2} r={0.95} fill={C.white} />
    </>
  );
  if (status === "overdue") {
    return (
      <g data-marker="overdue">
        <circle cx={cx} cy={cy} r={6} fill={C.late} stroke={C.white} strokeWidth={1.5} />
        {glyph}
      </g>
    );
  }
  return (
    <g data-marker="at_risk">
      <path d={`M${cx},${cy - 7}L${cx + 7},${cy + 5.2}L${cx - 7},${cy + 5.2}Z`} fill={C.riskTrack} stroke={C.white} strokeWidth={1.5} strokeLinejoin="round" />
      <g transform="translate(0 1)">{glyph}</g>
    </g>
  );
}

/** A map pin stuck into the bar at the date the buyer fixed: head at `top`, tip at `tip`. */
function Pin({ cx, top, tip }: { cx: number; top: number; tip: number }) {
  const r = 3.4;
  const hy = top + r;
  const d = `M${cx},${tip}L${cx - r * 0.87},${hy + r * 0.5}A${r},${r} 0 1 1 ${cx + r * 0.87},${hy + r * 0.5}Z`;
  return (
    <g data-marker="pinned">
      <path d={d} fill={C.text} stroke={C.white} strokeWidth={1} strokeLinejoin="round" />
      <circle cx={cx} cy={hy} r={1.2} fill={C.white} />
    </g>
  );
}

/** A bar's tooltip: "Security review — Buyer — 2027-01-04 → 2027-01-15, at risk" (ISO dates, as the axis reads). */
function describeBar(m: TimelineMilestone, row: TimelineRow, t: Translator["t"]): string {
  const parts = [m.title, t(`side.${m.ownerSide}`)];
  const planned = row.planned ? `${row.planned.from} → ${row.planned.to}` : t("timeline.bar.notScheduled");
  const details = [planned];
  const finish = m.projectedFinish && row.planned ? projectedFinishWords(m.projectedFinish, row.planned.to) : null;
  if (row.completed) details.push(t("timeline.bar.completed", { date: row.completed.date }));
  else if (finish) details.push(t(finish === "could finish by" ? "timeline.bar.couldFinish" : "timeline.bar.likelyFinish", { date: m.projectedFinish ?? "" }));
  if (m.pinnedDate) details.push(t("timeline.bar.pinned", { date: m.pinnedDate }));
  if (m.isClose) details.push(t("timeline.bar.signature"));
  if (m.status) details.push(t(`timeline.bar.${m.status}`));
  return `${parts.join(" — ")} — ${details.join(", ")}`;
}

function MarkerLine({ marker, bottom, today }: { marker: TimelineMarker; bottom: number; today: string }) {
  const { t, day } = useT();
  const style = {
    today: { stroke: C.text, width: 1.25, dash: "4 3", pill: C.white, pillStroke: C.faint, text: C.text },
    goLive: { stroke: C.sellerDark, width: 2, dash: undefined, pill: C.seller, pillStroke: C.seller, text: C.white },
    projectedGoLive: { stroke: C.late, width: 1.5, dash: "6 3", pill: C.late, pillStroke: C.late, text: C.white },
  }[marker.kind];
  const tooltip = {
    today: () => t("timeline.tooltip.today", { date: day(marker.date, today) }),
    goLive: () => t("timeline.tooltip.goLive", { date: day(marker.date, today), iso: marker.date }),
    projectedGoLive: () => t("timeline.tooltip.projectedGoLive", { date: day(marker.date, today), iso: marker.date }),
  }[marker.kind]();
  return (
    <g data-line={marker.kind}>
      <title>{tooltip}</title>
      <line x1={marker.x} y1={marker.labelY} x2={marker.x} y2={bottom} stroke={style.stroke} strokeWidth={style.width} strokeDasharray={style.dash} />
      <rect
        x={marker.labelX}
        y={marker.labelY}
        width={marker.labelWidth}
        height={marker.labelHeight}
        rx={marker.labelHeight / 2}
        fill={style.pill}
        stroke={style.pillStroke}
        strokeWidth={1}
      />
      <text
        x={marker.labelX + marker.labelWidth / 2}
        y={marker.labelY + marker.labelHeight / 2 + 4}
        textAnchor="middle"
        fontSize={11}
        fontWeight={600}
        fill={style.text}
      >
        {marker.label}
      </text>
    </g>
  );
}

function LegendSwatch({ kind, x, y, ids }: { kind: LegendKey; x: number; y: number; ids: { hatch: string; arrow: string } }) {
  const cy = y + 11;
  switch (kind) {
    case "seller":
    case "buyer":
    case "joint":
      return <BarShape side={kind} x={x} y={cy - 6} w={22} h={12} hatchId={ids.hatch} />;
    case "event":
      return <Diamond side="seller" cx={x + 11} cy={cy} r={6} hatchId={ids.hatch} />;
    case "projected":
      return <rect x={x} y={cy - 1.5} width={22} height={3} rx={1.5} fill={C.faint} />;
    case "done":
      return <CheckBadge cx={x + 11} cy={cy} />;
    case "at_risk":
      return <StatusBadge status="at_risk" cx={x + 11} cy={cy} />;
    case "overdue":
      return <StatusBadge status="overdue" cx={x + 11} cy={cy} />;
    case "pinned":
      return <Pin cx={x + 11} top={cy - 7} tip={cy + 5} />;
    case "dependency":
      return (
        <polyline
          points={`${x},${cy - 5} ${x + 8},${cy - 5} ${x + 8},${cy + 3} ${x + 21},${cy + 3}`}
          fill="none"
          stroke={C.faint}
          strokeWidth={1.25}
          markerEnd={`url(#${ids.arrow})`}
        />
      );
  }
}

export function Timeline({ milestones, today, goLive, projectedGoLive, width = 960 }: TimelineProps) {
  // useId keeps two timelines of one page apart and is stable through hydration; the content hash
  // keeps apart timelines rendered separately (emails, previews), whose useIds all start alike.
  // Colons are stripped so the ids are safe inside url(#…).
  const uid = `timeline-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}-${contentHash(milestones, goLive, width)}`;
  const ids = { hatch: `${uid}-hatch`, arrow: `${uid}-arrow`, labels: `${uid}-labels`, title: `${uid}-title`, desc: `${uid}-desc` };

  const { t, day, monthYear, dayMonth } = useT();
  const legend = flowLegend(Math.max(320, width), t);
  const markerLabels = { today: t("timeline.marker.today"), goLive: t("timeline.marker.goLive"), projectedGoLive: t("timeline.marker.projectedGoLive") };
  const layout = layoutTimeline(
    { milestones, today, goLive, projectedGoLive },
    {
      width,
      top: legend.height,
      fontSize: FONT_SIZE,
      markerLabels,
      axisLabels: { month: monthYear, dayMonth },
    },
  );
  const { plot, header, rows, markers, counts } = layout;
  const empty = rows.length === 0;
  const bottom = empty ? plot.bottom + 40 : plot.bottom;
  const height = empty ? layout.height + 40 : layout.height;

  const summaryParts: string[] = [];
  if (layout.span) {
    summaryParts.push(t("timeline.summary", { count: counts.milestones, from: day(layout.span.from, today), to: day(layout.span.to, today) }));
  } else {
    summaryParts.push(t("timeline.summaryUndated", { count: counts.milestones }));
  }
  if (counts.atRisk > 0) summaryParts.push(t("timeline.summaryAtRisk", { count: counts.atRisk }));
  if (counts.overdue > 0) summaryParts.push(t("timeline.summaryOverdue", { count: counts.overdue }));
  const ariaLabel = summaryParts.join("; ");

  const descParts = [
    t("timeline.descGoLive", { date: markers.goLive ? day(markers.goLive.date, today) : goLive }),
    markers.projectedGoLive?.visible ? t("timeline.descProjected", { date: day(markers.projectedGoLive.date, today) }) : "",
    t("timeline.descToday", { date: markers.today ? day(markers.today.date, today) : today }),
    t("timeline.descCounts", { done: counts.done, atRisk: counts.atRisk, overdue: counts.overdue, unscheduled: counts.milestones - counts.scheduled }),
  ];

  const byId = new Map(milestones.map((m) => [m.id, m]));
  const labelColumnRight = layout.labelColumn.width;

  return (
    <div role="region" aria-label={t("timeline.region")} tabIndex={0} style={{ overflowX: "auto", maxWidth: "100%" }}>
      <svg
        role="img"
        aria-label={ariaLabel}
        aria-describedby={ids.desc}
        viewBox={`0 0 ${layout.width} ${height}`}
        preserveAspectRatio="xMinYMin meet"
        fontFamily={FONT_FAMILY}
        fontSize={FONT_SIZE}
        style={{ display: "block", width: "100%", minWidth: 640, height: "auto" }}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={ids.title}>{ariaLabel}</title>
        <desc id={ids.desc}>{descParts.filter(Boolean).join(" ")}</desc>
        <defs>
          <pattern id={ids.hatch} patternUnits="userSpaceOnUse" width={5} height={5} patternTransform="rotate(45)">
            <rect width={5} height={5} fill={C.buyerTint} />
            <line x1={0} y1={0} x2={0} y2={5} stroke={C.buyer} strokeWidth={2.2} />
          </pattern>
          <marker id={ids.arrow} viewBox="0 0 8 8" refX={8} refY={4} markerWidth={7} markerHeight={7} markerUnits="userSpaceOnUse" orient="auto">
            <path d="M0,0.5L8,4L0,7.5Z" fill={C.faint} />
          </marker>
          <clipPath id={ids.labels}>
            <rect x={0} y={0} width={labelColumnRight + 4} height={height} />
          </clipPath>
        </defs>

        {/* Legend */}
        <g aria-hidden="true">
          {legend.items.map((item) => (
            <g key={item.key} data-legend={item.key}>
              <LegendSwatch kind={item.key} x={item.x} y={item.y} ids={ids} />
              <text x={item.x + 28} y={item.y + 15} fill={C.text}>
                {item.label}
              </text>
            </g>
          ))}
        </g>

        {/* Row bands, so the eye can follow a title across to its bar */}
        {rows.map((row) =>
          row.index % 2 === 1 ? <rect key={`band-${row.id}-${row.index}`} x={0} y={row.y} width={layout.width} height={row.height} fill={C.zebra} /> : null,
        )}

        {/* Axis: month boundaries, weekly grid, labels */}
        {layout.weekTicks.map((tick) =>
          tick.x > plot.left ? (
            <line
              key={`w-${tick.date}`}
              x1={tick.x}
              y1={tick.label ? header.markerBandTop - 20 : header.markerBandTop}
              x2={tick.x}
              y2={bottom}
              stroke={tick.label ? C.grid : C.gridLight}
              strokeWidth={1}
            />
          ) : null,
        )}
        {layout.monthTicks.map((tick) =>
          tick.x > plot.left ? <line key={`m-${tick.date}`} x1={tick.x} y1={header.top} x2={tick.x} y2={bottom} stroke={C.grid} strokeWidth={1} /> : null,
        )}
        <g fill={C.muted}>
          {layout.monthTicks.map((tick) =>
            tick.label ? (
              <text key={`ml-${tick.date}`} x={tick.x + 5} y={header.monthBaseline} fontWeight={600} fill={C.text}>
                {tick.label}
              </text>
            ) : null,
          )}
          {layout.weekTicks.map((tick) =>
            tick.label ? (
              <text key={`wl-${tick.date}`} x={tick.x + 4} y={header.weekBaseline}>
                {tick.label}
              </text>
            ) : null,
          )}
        </g>
        <text x={12} y={header.weekBaseline} fill={C.muted} fontWeight={600}>
          {t("timeline.milestone")}
        </text>
        <line x1={0} y1={header.markerBandTop - 0.5} x2={layout.width} y2={header.markerBandTop - 0.5} stroke={C.rule} strokeWidth={1} />
        <line x1={plot.left} y1={header.top} x2={plot.left} y2={bottom} stroke={C.grid} strokeWidth={1} />

        {/* Titles */}
        <g clipPath={`url(#${ids.labels})`}>
          {rows.map((row) => {
            const m = byId.get(row.id) ?? milestones[row.index];
            const done = row.completed !== null || m.status === "done";
            return (
              <text
                key={`t-${row.id}-${row.index}`}
                x={12}
                y={row.midY + 4}
                fill={row.kind === "unscheduled" ? C.muted : done ? C.muted : C.ink}
                fontWeight={m.isClose ? 600 : 400}
                fontStyle={row.kind === "unscheduled" ? "italic" : undefined}
              >
                <title>{m.title}</title>
                {row.label}
              </text>
            );
          })}
        </g>

        {empty ? (
          <text x={plot.left + 8} y={plot.top + 24} fill={C.muted}>
            {t("timeline.empty")}
          </text>
        ) : null}

        {/* Today, go-live and projected go-live, under the bars so they never hide one */}
        {[markers.today, markers.goLive, markers.projectedGoLive].map((marker) =>
          marker && marker.visible ? <MarkerLine key={marker.kind} marker={marker} bottom={bottom} today={today} /> : null,
        )}

        {/* Dependencies */}
        <g fill="none" stroke={C.faint} strokeWidth={1.25} strokeLinejoin="round">
          {layout.arrows.map((arrow) => (
            <polyline
              key={`a-${arrow.fromRow}-${arrow.toRow}`}
              data-from={arrow.fromId}
              data-to={arrow.toId}
              points={arrow.points.map((p) => `${p.x},${p.y}`).join(" ")}
              markerEnd={`url(#${ids.arrow})`}
            />
          ))}
        </g>

        {/* Bars */}
        {rows.map((row) => (
          <MilestoneBar key={`b-${row.id}-${row.index}`} row={row} milestone={milestones[row.index]} hatchId={ids.hatch} plotLeft={plot.left} />
        ))}
      </svg>
    </div>
  );
}

function MilestoneBar({ row, milestone: m, hatchId, plotLeft }: { row: TimelineRow; milestone: TimelineMilestone; hatchId: string; plotLeft: number }) {
  const { t } = useT();
  if (row.kind === "unscheduled" || !row.planned) {
    return (
      <text x={plotLeft + 8} y={row.midY + 4} fill={C.faint} fontStyle="italic">
        {t("timeline.notScheduled")}
      </text>
    );
  }
  const done = row.completed !== null || m.status === "done";
  const flagged = !done && (m.status === "overdue" || m.status === "at_risk") ? m.status : null;
  const flagColour = flagged === "overdue" ? C.late : C.risk;
  const trackColour = flagged === "overdue" ? C.lateTrack : flagged === "at_risk" ? C.riskTrack : C.faint;
  const { planned, projected } = row;
  const isEvent = row.kind === "event";
  const eventCx = planned.x + planned.width / 2;
  const barEnd = planned.x + planned.width;
  const r = 7;

  let shape: ReactNode;
  let outline: ReactNode = null;
  if (isEvent) {
    shape = <Diamond side={m.ownerSide} cx={eventCx} cy={row.midY} r={r} hatchId={hatchId} />;
    if (flagged) {
      const o = r + 3;
      outline = (
        <path
          d={`M${eventCx},${row.midY - o}L${eventCx + o},${row.midY}L${eventCx},${row.midY + o}L${eventCx - o},${row.midY}Z`}
          fill="none"
          stroke={flagColour}
          strokeWidth={1.5}
        />
      );
    }
  } else {
    // A one-day bar would be a sliver at a long range: keep it visible.
    const w = Math.max(planned.width, 4);
    shape = <BarShape side={m.ownerSide} x={planned.x} y={row.barY} w={w} h={row.barHeight} hatchId={hatchId} />;
    if (flagged) {
      outline = <rect x={planned.x - 2} y={row.barY - 2} width={w + 4} height={row.barHeight + 4} rx={4} fill="none" stroke={flagColour} strokeWidth={1.5} />;
    }
  }

  let projection: ReactNode = null;
  if (projected && !done) {
    projection = isEvent ? (
      <path d={`M${projected.x + projected.width / 2},${row.trackY - 2.5}l3.5,3.5l-3.5,3.5l-3.5,-3.5Z`} fill={trackColour} data-projection={m.id} />
    ) : (
      <rect
        x={projected.x}
        y={row.trackY}
        width={Math.max(projected.width, 3)}
        height={row.trackHeight}
        rx={row.trackHeight / 2}
        fill={trackColour}
        data-projection={m.id}
      />
    );
  }

  const badgeX = isEvent ? eventCx + r + 2 : barEnd;
  const pinX = row.pinned?.x ?? null;
  // Keep the status badge clear of the pin when both sit at the due date.
  const statusBadgeX = pinX !== null && Math.abs(pinX - badgeX) < 10 ? pinX + 10 : badgeX;

  return (
    <g data-bar={m.id} data-status={m.status ?? undefined} data-side={m.ownerSide}>
      <title>{describeBar(m, row, t)}</title>
      {projection}
      <g opacity={done ? 0.4 : 1}>{shape}</g>
      {outline}
      {pinX !== null ? <Pin cx={pinX} top={row.y} tip={row.barY + 4} /> : null}
      {flagged ? <StatusBadge status={flagged} cx={statusBadgeX} cy={row.barY + 1} /> : null}
      {row.completed ? <CheckBadge cx={row.completed.x} cy={row.midY} /> : null}
      {m.isClose ? (
        <text x={(row.anchorOutX ?? barEnd) + (flagged ? 20 : 10)} y={row.midY + 4} fontSize={11} fontWeight={600} fill={C.ink}>
          {t("timeline.signature")}
        </text>
      ) : null}
    </g>
  );
}
