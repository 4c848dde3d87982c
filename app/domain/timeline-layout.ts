/**
 * Geometry of the plan timeline (a Gantt chart), kept apart from React so it can be tested as plain
 * data and so the component only draws what it is given.
 *
 * Pure: no I/O, no clock (`today` is an input), no randomness. The horizontal axis is in calendar
 * days, not working days, because people read a chart against a wall calendar; working-day
 * arithmetic stays in the scheduler. Every day is a column of `dayWidth` pixels: a bar covering
 * start → due inclusive spans `due − start + 1` columns, and a vertical marker (today, go-live) sits
 * at the left edge of its day, which is where bars that must finish "before go-live" end.
 *
 * Cost: one pass over the milestones and one over their dependencies (O(V + E)); the axis emits a
 * number of ticks bounded by the pixel width, not by the length of the date range.
 */

import { fromDayNumber, MAX_DAY_NUMBER, MIN_DAY_NUMBER, parseISODate, weekdayOfDayNumber, type DayNumber, type ISODate } from "~/domain/calendar";
import { formatDayShort } from "~/domain/dates";

export type MilestoneStatus = "done" | "overdue" | "at_risk" | "on_track";

/** What the layout reads of a milestone (the component's TimelineMilestone is a superset). */
export interface TimelineLayoutMilestone {
  id: string;
  title: string;
  start: ISODate | null;
  due: ISODate | null;
  projectedStart: ISODate | null;
  projectedFinish: ISODate | null;
  completedOn: ISODate | null;
  pinnedDate: ISODate | null;
  isClose: boolean;
  durationDays: number;
  status: MilestoneStatus | null;
  dependsOn: readonly string[];
}

export interface TimelineLayoutInput {
  milestones: readonly TimelineLayoutMilestone[];
  today: ISODate;
  goLive: ISODate;
  projectedGoLive: ISODate | null;
}

export interface TimelineLayoutOptions {
  /** Total width of the drawing, in pixels (SVG user units). */
  width: number;
  /** Width of the left column of titles; defaults to about a quarter of the width. */
  labelWidth?: number;
  rowHeight?: number;
  /** y at which the axis header starts, leaving room above it (for a legend). */
  top?: number;
  /** Font size of the labels, used to estimate text widths for truncation and collisions. */
  fontSize?: number;
  /** The marker pills' words in the reader's language (their widths decide the lanes); English by default. */
  markerLabels?: Partial<Record<TimelineMarkerKind, string>>;
  /** The axis' words in the reader's language ("Dez. 2026", "28. Dez."); English ("Dec 2026", "28 Dec") by default. */
  axisLabels?: { month(iso: ISODate): string; dayMonth(iso: ISODate): string };
}

export interface TimelinePoint {
  date: ISODate;
  /** Centre of the day's column. */
  x: number;
}

export interface TimelineSpan {
  from: ISODate;
  to: ISODate;
  /** Calendar days covered, both ends included. */
  days: number;
  x: number;
  width: number;
}

export type TimelineRowKind = "bar" | "event" | "unscheduled";

export interface TimelineRow {
  id: string;
  index: number;
  kind: TimelineRowKind;
  title: string;
  /** The title cut to fit the label column, with an ellipsis when cut. */
  label: string;
  truncated: boolean;
  /** Top of the row band, its height, and the vertical centre of the bar (where arrows attach). */
  y: number;
  height: number;
  midY: number;
  barY: number;
  barHeight: number;
  /** The thin projection track under the bar. */
  trackY: number;
  trackHeight: number;
  /** Backward pass: start → due. For an event, the due day. Null when not scheduled. */
  planned: TimelineSpan | null;
  /** Forward pass: projectedStart → projectedFinish; null when done, unknown, or equal to planned. */
  projected: TimelineSpan | null;
  /** For a done milestone, its completion day (the projection is replaced by what happened). */
  completed: TimelinePoint | null;
  pinned: TimelinePoint | null;
  /** Where dependency arrows leave (the finish) and arrive (the start); null when unscheduled. */
  anchorOutX: number | null;
  anchorInX: number | null;
}

export interface TimelineArrow {
  fromId: string;
  toId: string;
  fromRow: number;
  toRow: number;
  /** Orthogonal polyline from the predecessor's finish to the dependent's start. */
  points: Array<{ x: number; y: number }>;
}

export interface TimelineTick {
  date: ISODate;
  x: number;
  /** Null for a grid line whose label would crowd its neighbours. */
  label: string | null;
}

export type TimelineMarkerKind = "today" | "goLive" | "projectedGoLive";

export interface TimelineMarker {
  kind: TimelineMarkerKind;
  date: ISODate;
  x: number;
  label: string;
  /** Whether the chart shows it: the projected go-live only when it is later than go-live. */
  visible: boolean;
  /** The label's box in the marker band (text is drawn centred in it). */
  labelX: number;
  labelY: number;
  labelWidth: number;
  labelHeight: number;
}

export interface TimelineLayout {
  width: number;
  height: number;
  labelColumn: { x: number; width: number };
  /** The rows' area; the axis header lies above it, from `header.top`. */
  plot: { left: number; right: number; top: number; bottom: number };
  header: { top: number; monthBaseline: number; weekBaseline: number; markerBandTop: number; bottom: number };
  /** The drawn axis, padded and aligned to whole weeks (Monday → Sunday). */
  range: { from: ISODate; to: ISODate; days: number } | null;
  /** The dates the plan actually covers (earliest → latest), for summaries. */
  span: { from: ISODate; to: ISODate } | null;
  dayWidth: number;
  rows: TimelineRow[];
  arrows: TimelineArrow[];
  weekTicks: TimelineTick[];
  monthTicks: TimelineTick[];
  markers: { today: TimelineMarker | null; goLive: TimelineMarker | null; projectedGoLive: TimelineMarker | null };
  counts: { milestones: number; scheduled: number; done: number; atRisk: number; overdue: number };
}

// ---------------------------------------------------------------------------------------------
// Text measurement, roughly: the server has no font metrics, so widths are estimated per glyph
// class for a system sans-serif. Over-estimating slightly is the safe side (a label is cut a
// little early rather than running into the chart).
// ---------------------------------------------------------------------------------------------

const NARROW = new Set("ilj.,:;'|!");
const SEMI = new Set("ftrI()-/ ");
const WIDE = new Set("mwMW@%…");

/**
 * Approximate rendered width of `text` in a system sans-serif of `fontSize` px. Calibrated on
 * DejaVu Sans (what Linux falls back to), the widest of the usual system fonts.
 */
export function estimateTextWidth(text: string, fontSize = 12): number {
  let ems = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) ems += 0.28;
    else if (SEMI.has(ch)) ems += 0.38;
    else if (WIDE.has(ch)) ems += 0.95;
    else if (ch >= "A" && ch <= "Z") ems += 0.72;
    else if (ch >= "0" && ch <= "9") ems += 0.64;
    else ems += 0.62;
  }
  return ems * fontSize;
}

/** `text` cut with an ellipsis so that it fits in `maxWidth`. */
export function truncateToWidth(text: string, maxWidth: number, fontSize = 12): { text: string; truncated: boolean } {
  const clean = text.replace(/\s+/g, " ").trim();
  if (estimateTextWidth(clean, fontSize) <= maxWidth) return { text: clean, truncated: clean !== text };
  const budget = maxWidth - estimateTextWidth("…", fontSize);
  let width = 0;
  let cut = 0;
  const chars = Array.from(clean);
  for (; cut < chars.length; cut++) {
    const w = estimateTextWidth(chars[cut], fontSize);
    if (width + w > budget) break;
    width += w;
  }
  return { text: `${chars.slice(0, cut).join("").trimEnd()}…`, truncated: true };
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

const DEFAULT_ROW_HEIGHT = 32;
const HEADER_MONTH_HEIGHT = 20;
const HEADER_WEEK_HEIGHT = 20;
const MARKER_LANE_HEIGHT = 20;
const PLOT_GAP = 12; // between the label column and the plot
const RIGHT_PADDING = 12;
const BOTTOM_PADDING = 8;
const MIN_SPAN_DAYS = 21;
const PAD_BEFORE_DAYS = 2;
const PAD_AFTER_DAYS = 3;
const ARROW_STUB = 6;
const ARROW_MIN_RUN = 8; // the last segment must be long enough to show its arrowhead
const DIAMOND_RADIUS = 7;

const round = (value: number) => Math.round(value * 100) / 100;

/** The day number of an ISO date, or null for a missing or malformed one (drawn as missing). */
function day(value: ISODate | null | undefined): DayNumber | null {
  return value == null ? null : parseISODate(value);
}

/** "7 Dec": the day and month, the year being in the month labels above. */
function dayMonthLabel(iso: ISODate): string {
  return formatDayShort(iso).replace(/ \d+$/, "");
}

/** "Dec 2026". */
function monthLabel(iso: ISODate): string {
  return formatDayShort(iso).replace(/^\d+ /, "");
}

function firstOfNextMonths(dayNumber: DayNumber, months: number): DayNumber {
  const iso = fromDayNumber(dayNumber);
  const monthIndex = Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1 + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  // Past 9999-12 there is no next month: stop the caller's loop.
  return parseISODate(`${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-01`) ?? Infinity;
}

function emptyLayout(width: number, labelWidth: number, top: number): TimelineLayout {
  const headerBottom = top + HEADER_MONTH_HEIGHT + HEADER_WEEK_HEIGHT;
  return {
    width,
    height: headerBottom + BOTTOM_PADDING,
    labelColumn: { x: 0, width: labelWidth },
    plot: { left: labelWidth + PLOT_GAP, right: width - RIGHT_PADDING, top: headerBottom, bottom: headerBottom },
    header: {
      top,
      monthBaseline: top + 14,
      weekBaseline: top + HEADER_MONTH_HEIGHT + 14,
      markerBandTop: headerBottom,
      bottom: headerBottom,
    },
    range: null,
    span: null,
    dayWidth: 0,
    rows: [],
    arrows: [],
    weekTicks: [],
    monthTicks: [],
    markers: { today: null, goLive: null, projectedGoLive: null },
    counts: { milestones: 0, scheduled: 0, done: 0, atRisk: 0, overdue: 0 },
  };
}

export function layoutTimeline(input: TimelineLayoutInput, options: TimelineLayoutOptions): TimelineLayout {
  const fontSize = options.fontSize ?? 12;
  const width = Math.max(320, options.width);
  const labelWidth = options.labelWidth ?? Math.round(Math.min(260, Math.max(140, width * 0.26)));
  const rowHeight = options.rowHeight ?? DEFAULT_ROW_HEIGHT;
  const top = options.top ?? 0;
  const milestones = input.milestones;

  // Parse every date once; malformed ones count as missing rather than breaking the page.
  const todayDay = day(input.today);
  const goLiveDay = day(input.goLive);
  const projectedGoLiveDay = day(input.projectedGoLive);
  const parsed = milestones.map((m) => {
    const done = m.status === "done" || m.completedOn !== null;
    let startDay = day(m.start);
    let dueDay = day(m.due);
    if (startDay === null) startDay = dueDay;
    if (dueDay === null) dueDay = startDay;
    if (startDay !== null && dueDay !== null && startDay > dueDay) [startDay, dueDay] = [dueDay, startDay];
    let projectedStartDay = day(m.projectedStart);
    let projectedFinishDay = day(m.projectedFinish);
    if (projectedStartDay === null) projectedStartDay = projectedFinishDay;
    if (projectedFinishDay === null) projectedFinishDay = projectedStartDay;
    if (projectedStartDay !== null && projectedFinishDay !== null && projectedStartDay > projectedFinishDay) {
      [projectedStartDay, projectedFinishDay] = [projectedFinishDay, projectedStartDay];
    }
    return {
      done,
      startDay,
      dueDay,
      projectedStartDay: done ? null : projectedStartDay,
      projectedFinishDay: done ? null : projectedFinishDay,
      completedDay: done ? day(m.completedOn) : null,
      pinnedDay: day(m.pinnedDate),
    };
  });

  // The span: every date the chart must show.
  let lo = Infinity;
  let hi = -Infinity;
  const include = (d: DayNumber | null) => {
    if (d === null) return;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  };
  include(todayDay);
  include(goLiveDay);
  include(projectedGoLiveDay);
  for (const p of parsed) {
    include(p.startDay);
    include(p.dueDay);
    include(p.projectedStartDay);
    include(p.projectedFinishDay);
    include(p.completedDay);
    include(p.pinnedDay);
  }
  if (lo === Infinity) return emptyLayout(width, labelWidth, top);

  // The axis: padded, then widened to whole weeks from a Monday so weekly ticks fall on columns.
  let from = lo - PAD_BEFORE_DAYS;
  from -= weekdayOfDayNumber(from) - 1;
  let to = hi + PAD_AFTER_DAYS;
  to += 7 - weekdayOfDayNumber(to);
  for (let extendEnd = true; to - from + 1 < MIN_SPAN_DAYS; extendEnd = !extendEnd) {
    if (extendEnd) to += 7;
    else from -= 7;
  }
  from = Math.max(from, MIN_DAY_NUMBER);
  to = Math.min(to, MAX_DAY_NUMBER);
  const days = to - from + 1;

  const plotLeft = labelWidth + PLOT_GAP;
  const plotRight = width - RIGHT_PADDING;
  const dayWidth = (plotRight - plotLeft) / days;
  const xOf = (d: DayNumber) => round(plotLeft + (d - from) * dayWidth);
  const centreOf = (d: DayNumber) => round(plotLeft + (d - from + 0.5) * dayWidth);
  const span = (a: DayNumber, b: DayNumber): TimelineSpan => ({
    from: fromDayNumber(a),
    to: fromDayNumber(b),
    days: b - a + 1,
    x: xOf(a),
    width: round((b - a + 1) * dayWidth),
  });

  // Header: month names, week labels, then a band for the marker labels (Today, Go-live…).
  const headerTop = top;
  const monthBaseline = headerTop + 14;
  const weekBaseline = headerTop + HEADER_MONTH_HEIGHT + 14;
  const markerBandTop = headerTop + HEADER_MONTH_HEIGHT + HEADER_WEEK_HEIGHT;

  // Markers and their labels, laid out before the rows because colliding labels take more lanes.
  const markerDefs: Array<{ kind: TimelineMarkerKind; d: DayNumber | null; label: string; visible: boolean }> = [
    { kind: "today", d: todayDay, label: options.markerLabels?.today ?? "Today", visible: true },
    { kind: "goLive", d: goLiveDay, label: options.markerLabels?.goLive ?? "Go-live", visible: true },
    {
      kind: "projectedGoLive",
      d: projectedGoLiveDay,
      label: options.markerLabels?.projectedGoLive ?? "Projected",
      visible: projectedGoLiveDay !== null && goLiveDay !== null && projectedGoLiveDay > goLiveDay,
    },
  ];
  const pillHeight = 16;
  const lanes: Array<Array<[number, number]>> = [];
  const markerOf = (def: (typeof markerDefs)[number]): TimelineMarker | null => {
    if (def.d === null || def.d < from || def.d > to) return null;
    const x = xOf(def.d);
    const labelWidthPx = round(estimateTextWidth(def.label, 11) + 12);
    // Go-live reads best left of its line (the plan runs up to it); the others to the right,
    // unless that would leave the chart.
    const preferLeft = def.kind === "goLive";
    const candidates = preferLeft ? [x - labelWidthPx - 3, x + 3] : [x + 3, x - labelWidthPx - 3];
    const fits = (lx: number) => lx >= plotLeft - PLOT_GAP / 2 && lx + labelWidthPx <= width - 2;
    let labelX = candidates.find(fits) ?? Math.min(Math.max(candidates[0], plotLeft), width - labelWidthPx - 2);
    let lane = -1;
    if (def.visible) {
      // First lane where the label overlaps nothing, trying both sides before opening a new lane.
      search: for (let l = 0; ; l++) {
        const taken = lanes[l] ?? [];
        for (const candidate of candidates.filter(fits).concat(labelX)) {
          if (taken.every(([a, b]) => candidate + labelWidthPx + 4 <= a || candidate >= b + 4)) {
            labelX = candidate;
            lane = l;
            break search;
          }
        }
      }
      (lanes[lane] ??= []).push([labelX, labelX + labelWidthPx]);
    }
    return {
      kind: def.kind,
      date: fromDayNumber(def.d),
      x,
      label: def.label,
      visible: def.visible,
      labelX: round(labelX),
      labelY: markerBandTop + 2 + Math.max(lane, 0) * MARKER_LANE_HEIGHT,
      labelWidth: labelWidthPx,
      labelHeight: pillHeight,
    };
  };
  const [todayMarker, goLiveMarker, projectedMarker] = markerDefs.map(markerOf);
  const plotTop = markerBandTop + Math.max(1, lanes.length) * MARKER_LANE_HEIGHT + 2;

  // Axis ticks. Grid lines every week while they stay ≥ 8 px apart; labels only where they fit.
  const weekPx = 7 * dayWidth;
  const gridStepWeeks = Math.max(1, Math.ceil(8 / weekPx));
  const dayMonthLabelOf = options.axisLabels?.dayMonth ?? dayMonthLabel;
  const monthLabelOf = options.axisLabels?.month ?? monthLabel;
  const labelGap = estimateTextWidth(dayMonthLabelOf("2026-12-28"), fontSize) + 12; // the widest "d Mmm" label, plus air
  const labelStepWeeks = gridStepWeeks * Math.max(1, Math.ceil(labelGap / (weekPx * gridStepWeeks)));
  const weekTicks: TimelineTick[] = [];
  for (let d = from, k = 0; d <= to; d += 7 * gridStepWeeks, k += gridStepWeeks) {
    const iso = fromDayNumber(d);
    const x = xOf(d);
    const label = k % labelStepWeeks === 0 && x + estimateTextWidth(dayMonthLabelOf(iso), fontSize) + 3 <= plotRight;
    weekTicks.push({ date: iso, x, label: label ? dayMonthLabelOf(iso) : null });
  }

  // Month labels at each change of month (every n-th month when months are narrow), and one for
  // the month the axis opens in unless the next label follows too closely.
  const monthLabelWidth = estimateTextWidth(monthLabelOf("2027-05-01"), fontSize) + 12;
  const monthStep = [1, 2, 3, 6, 12].find((n) => n * 30.4 * dayWidth >= monthLabelWidth) ?? 12;
  const monthTicks: TimelineTick[] = [];
  let m = firstOfNextMonths(from, 1);
  if (monthStep > 1) {
    while (m <= to && (Number(fromDayNumber(m).slice(5, 7)) - 1) % monthStep !== 0) m = firstOfNextMonths(m, 1);
  }
  for (; m <= to; m = firstOfNextMonths(m, monthStep)) {
    const iso = fromDayNumber(m);
    const x = xOf(m);
    const fits = x + estimateTextWidth(monthLabelOf(iso), fontSize) + 3 <= plotRight;
    monthTicks.push({ date: iso, x, label: fits ? monthLabelOf(iso) : null });
  }
  const firstMonthX = monthTicks.length > 0 ? monthTicks[0].x : Infinity;
  const openingLabel = monthLabelOf(fromDayNumber(from));
  if (plotLeft + estimateTextWidth(openingLabel, fontSize) + 12 <= firstMonthX) {
    monthTicks.unshift({ date: fromDayNumber(from), x: plotLeft, label: openingLabel });
  }

  // Rows, in input order.
  const titleWidth = labelWidth - 10; // titles start 12 px in; the plot starts 12 px past the column
  const barHeight = 14;
  const trackHeight = 3;
  const counts = { milestones: milestones.length, scheduled: 0, done: 0, atRisk: 0, overdue: 0 };
  const rows: TimelineRow[] = milestones.map((ms, index) => {
    const p = parsed[index];
    const y = plotTop + index * rowHeight;
    // Room above the bar for pins and status badges, below it for the projection track.
    const barY = y + rowHeight - barHeight - trackHeight - 8;
    const midY = barY + barHeight / 2;
    const { text: label, truncated } = truncateToWidth(ms.title, titleWidth, fontSize);
    const scheduled = p.startDay !== null && p.dueDay !== null;
    const kind: TimelineRowKind = !scheduled ? "unscheduled" : ms.durationDays === 0 ? "event" : "bar";
    if (scheduled) counts.scheduled++;
    if (ms.status === "done" || p.done) counts.done++;
    else if (ms.status === "at_risk") counts.atRisk++;
    else if (ms.status === "overdue") counts.overdue++;

    const planned = scheduled ? span(p.startDay as DayNumber, p.dueDay as DayNumber) : null;
    let projected: TimelineSpan | null = null;
    if (p.projectedStartDay !== null && p.projectedFinishDay !== null) {
      const candidate = kind === "event" ? span(p.projectedFinishDay, p.projectedFinishDay) : span(p.projectedStartDay, p.projectedFinishDay);
      if (!planned || candidate.from !== planned.from || candidate.to !== planned.to) projected = candidate;
    }
    let anchorOutX: number | null = null;
    let anchorInX: number | null = null;
    if (planned) {
      if (kind === "event") {
        const c = centreOf(p.dueDay as DayNumber);
        anchorOutX = round(c + DIAMOND_RADIUS);
        anchorInX = round(c - DIAMOND_RADIUS);
      } else {
        anchorOutX = round(planned.x + planned.width);
        anchorInX = planned.x;
      }
    }
    return {
      id: ms.id,
      index,
      kind,
      title: ms.title,
      label,
      truncated,
      y,
      height: rowHeight,
      midY,
      barY,
      barHeight,
      trackY: barY + barHeight + 4,
      trackHeight,
      planned,
      projected,
      completed: p.completedDay !== null ? { date: fromDayNumber(p.completedDay), x: centreOf(p.completedDay) } : null,
      pinned: p.pinnedDay !== null ? { date: fromDayNumber(p.pinnedDay), x: centreOf(p.pinnedDay) } : null,
      anchorOutX,
      anchorInX,
    };
  });

  // Dependency arrows: finish of the predecessor → start of the dependent. Unknown ids, self
  // references and unscheduled ends are skipped: a chart shows what it can rather than failing.
  const rowById = new Map<string, number>();
  milestones.forEach((ms, index) => {
    if (!rowById.has(ms.id)) rowById.set(ms.id, index);
  });
  const arrows: TimelineArrow[] = [];
  milestones.forEach((ms, toRow) => {
    const seen = new Set<string>();
    for (const fromId of ms.dependsOn) {
      const fromRow = rowById.get(fromId);
      if (fromRow === undefined || fromRow === toRow || seen.has(fromId)) continue;
      seen.add(fromId);
      const source = rows[fromRow];
      const target = rows[toRow];
      if (source.anchorOutX === null || target.anchorInX === null) continue;
      const x1 = source.anchorOutX;
      const y1 = source.midY;
      const x2 = target.anchorInX;
      const y2 = target.midY;
      let points: Array<{ x: number; y: number }>;
      if (x2 - x1 >= ARROW_STUB + ARROW_MIN_RUN) {
        const xm = round(x1 + ARROW_STUB);
        points = [
          { x: x1, y: y1 },
          { x: xm, y: y1 },
          { x: xm, y: y2 },
          { x: x2, y: y2 },
        ];
      } else {
        // Not enough room to turn between the two: step out, run along the gap between rows, and
        // come back in from the left.
        const yGap = toRow > fromRow ? target.y : target.y + target.height;
        const xOut = round(x1 + ARROW_STUB);
        const xIn = round(x2 - ARROW_MIN_RUN);
        points = [
          { x: x1, y: y1 },
          { x: xOut, y: y1 },
          { x: xOut, y: yGap },
          { x: xIn, y: yGap },
          { x: xIn, y: y2 },
          { x: x2, y: y2 },
        ];
      }
      arrows.push({ fromId, toId: ms.id, fromRow, toRow, points });
    }
  });

  const plotBottom = plotTop + rows.length * rowHeight;
  return {
    width,
    height: plotBottom + BOTTOM_PADDING,
    labelColumn: { x: 0, width: labelWidth },
    plot: { left: plotLeft, right: plotRight, top: plotTop, bottom: plotBottom },
    header: { top: headerTop, monthBaseline, weekBaseline, markerBandTop, bottom: plotTop },
    range: { from: fromDayNumber(from), to: fromDayNumber(to), days },
    span: { from: fromDayNumber(lo), to: fromDayNumber(hi) },
    dayWidth,
    rows,
    arrows,
    weekTicks,
    monthTicks,
    markers: { today: todayMarker, goLive: goLiveMarker, projectedGoLive: projectedMarker },
    counts,
  };
}
