/**
 * Renders the plan timeline for a realistic plan into /tmp/timeline-preview.html, to look at the
 * chart without running the app:
 *   npx tsx scripts/render-timeline-preview.ts [--slip] [output.html]
 *
 * The dates come from the real scheduler, so the picture shows what a plan would: an enterprise
 * software purchase anchored on a 1 March go-live, seen on 12 January, with the first two steps
 * done and the business case at risk of missing the board meeting the buyer pinned it to.
 */
import { writeFileSync } from "node:fs";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";

import { Timeline, type TimelineMilestone } from "~/components/timeline";
import { formatDay } from "~/domain/dates";
import { schedulePlan } from "~/domain/schedule";

// --slip: two days later, with a longer security review, to see overdue work and a late go-live.
const slip = process.argv.includes("--slip");
const output = process.argv.slice(2).find((arg) => !arg.startsWith("--")) ?? "/tmp/timeline-preview.html";
const today = slip ? "2027-01-14" : "2027-01-12";
const goLive = "2027-03-01";

type Draft = Omit<TimelineMilestone, "start" | "due" | "projectedStart" | "projectedFinish" | "status" | "completedOn" | "pinnedDate"> & {
  completedOn?: string;
  pinnedDate?: string;
};

const drafts: Draft[] = [
  { id: "discovery", title: "Discovery workshops", ownerSide: "joint", durationDays: 5, isClose: false, dependsOn: [], completedOn: "2026-12-11" },
  {
    id: "validation",
    title: "Technical validation in the sandbox",
    ownerSide: "seller",
    durationDays: 8,
    isClose: false,
    dependsOn: ["discovery"],
    completedOn: "2026-12-22",
  },
  {
    id: "security",
    title: "Security review and InfoSec questionnaire",
    ownerSide: "buyer",
    durationDays: slip ? 14 : 12,
    isClose: false,
    dependsOn: ["validation"],
  },
  {
    id: "business-case",
    title: "Business case approved by the board",
    ownerSide: "buyer",
    durationDays: 3,
    isClose: false,
    dependsOn: ["discovery"],
    pinnedDate: "2027-01-13",
  },
  { id: "legal", title: "MSA and DPA legal review", ownerSide: "joint", durationDays: 6, isClose: false, dependsOn: ["security", "business-case"] },
  { id: "procurement", title: "Procurement and vendor onboarding", ownerSide: "buyer", durationDays: 4, isClose: false, dependsOn: ["legal"] },
  { id: "signature", title: "Contract signature", ownerSide: "joint", durationDays: 0, isClose: true, dependsOn: ["procurement"] },
  { id: "kickoff", title: "Implementation kickoff", ownerSide: "seller", durationDays: 1, isClose: false, dependsOn: ["signature"] },
  { id: "migration", title: "Data migration and SSO integration", ownerSide: "seller", durationDays: 9, isClose: false, dependsOn: ["kickoff"] },
  { id: "training", title: "Admin and end-user training", ownerSide: "joint", durationDays: 4, isClose: false, dependsOn: ["kickoff"] },
  { id: "readiness", title: "Go-live readiness review", ownerSide: "buyer", durationDays: 1, isClose: false, dependsOn: ["migration", "training"] },
];

const schedule = schedulePlan({
  goLive,
  today,
  milestones: drafts.map((d) => ({
    id: d.id,
    durationDays: d.durationDays,
    dependsOn: d.dependsOn,
    pinnedDate: d.pinnedDate,
    completedOn: d.completedOn,
    isClose: d.isClose,
  })),
});

const milestones: TimelineMilestone[] = drafts.map((d, i) => {
  const s = schedule.milestones[i];
  return {
    ...d,
    start: s.start,
    due: s.due,
    projectedStart: s.projectedStart,
    projectedFinish: s.projectedFinish,
    completedOn: d.completedOn ?? null,
    pinnedDate: d.pinnedDate ?? null,
    status: s.status,
  };
});

const svg = renderToStaticMarkup(createElement(Timeline, { milestones, today, goLive, projectedGoLive: schedule.projectedGoLive }));

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plan timeline preview</title>
<style>
  body { margin: 0; background: #f8fafc; color: #0f172a; font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 1104px; margin: 0 auto; padding: 24px 16px; }
  .card { background: #fff; border-radius: 8px; box-shadow: 0 1px 2px rgb(0 0 0 / 0.05); outline: 1px solid #e2e8f0; padding: 16px; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  p { margin: 0 0 16px; font-size: 14px; color: #475569; }
</style>
</head>
<body>
<main>
  <div class="card">
    <h1>Acme Corp — Plan timeline</h1>
    <p>Go-live ${formatDay(goLive, today)} · projected ${formatDay(schedule.projectedGoLive, today)} · slip ${schedule.slipDays} working days</p>
    ${svg}
  </div>
</main>
</body>
</html>
`;

writeFileSync(output, html);
const statuses = schedule.milestones.map((m) => `${m.id}: ${m.start}→${m.due} proj ${m.projectedStart ?? "-"}→${m.projectedFinish} ${m.status}`);
console.log(statuses.join("\n"));
console.log(`projected go-live ${schedule.projectedGoLive}; wrote ${output}`);
