import { Form } from "@remix-run/react";
import { FlashStatus, useResetKey, type FlashMessage } from "~/components/flash-status";
import { Alert, Badge, Button, Card, EmptyState, SelectField, TextAreaField, type BadgeTone } from "~/components/ui";
import {
  CHART_BOX,
  DECISION_ROLE_LABELS,
  DECISION_ROLES,
  INFLUENCE_LABELS,
  INFLUENCES,
  layoutOrgChart,
  PRIVATE_NOTE_MAX,
  SENTIMENT_LABELS,
  SENTIMENTS,
  type DecisionRole,
  type Influence,
  type MapFormFailure,
  type Sentiment,
} from "~/domain/stakeholder-map";

/*
 * The rep's stakeholder map (ADR 036): the buying side's reports-to tree as an inline SVG drawn on
 * the server, the same people as a list (what a screen reader reads, and where each is edited),
 * and a form per person that works without JavaScript. Rendered on the rep's plan page only.
 */

export interface MapPerson {
  id: string;
  name: string;
  title: string;
  decision_role: DecisionRole | null;
  reports_to_id: string | null;
  influence: Influence | null;
  sentiment: Sentiment | null;
  private_note: string;
}

const SENTIMENT_FILL: Record<Sentiment | "none", { fill: string; stroke: string }> = {
  supporter: { fill: "#ecfdf5", stroke: "#059669" },
  neutral: { fill: "#f8fafc", stroke: "#64748b" },
  detractor: { fill: "#fef2f2", stroke: "#dc2626" },
  none: { fill: "#ffffff", stroke: "#cbd5e1" },
};
const SENTIMENT_TONE: Record<Sentiment, BadgeTone> = { supporter: "green", neutral: "slate", detractor: "red" };

/** SVG text does not wrap: long names are cut, the list below has them whole. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function OrgChart({ people }: { people: MapPerson[] }) {
  const layout = layoutOrgChart(people);
  const byId = new Map(people.map((p) => [p.id, p]));
  const { width: w, height: h } = CHART_BOX;
  return (
    <div className="overflow-x-auto" role="region" tabIndex={0} aria-label="Org chart, scrolls sideways">
      <svg
        role="img"
        aria-labelledby="org-chart-title org-chart-desc"
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="max-w-none"
      >
        <title id="org-chart-title">Org chart of the buyer&apos;s side</title>
        <desc id="org-chart-desc">Who reports to whom, with each person&apos;s role in the decision. The same people are listed below the chart.</desc>
        {layout.edges.map((e) => (
          <polyline key={`${e.from}-${e.to}`} points={e.points.map(([x, y]) => `${x},${y}`).join(" ")} fill="none" stroke="#94a3b8" strokeWidth={1.5} />
        ))}
        {layout.boxes.map((b) => {
          const p = byId.get(b.id)!;
          const colours = SENTIMENT_FILL[p.sentiment ?? "none"];
          return (
            <g key={b.id} transform={`translate(${b.x},${b.y})`} data-person={p.name}>
              <rect width={w} height={h} rx={8} fill={colours.fill} stroke={colours.stroke} strokeWidth={p.sentiment ? 2 : 1} />
              <text x={10} y={20} fontSize={13} fontWeight={600} fill="#0f172a">
                {clip(p.name, 22)}
              </text>
              <text x={10} y={38} fontSize={11} fill="#475569">
                {clip(p.title || "No title", 26)}
              </text>
              {p.decision_role ? (
                <text x={10} y={58} fontSize={11} fontWeight={600} fill="#1d4ed8">
                  {DECISION_ROLE_LABELS[p.decision_role]}
                </text>
              ) : (
                <text x={10} y={58} fontSize={11} fill="#94a3b8">
                  Role not set
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

export function StakeholderMap({
  people,
  failure,
  flash,
  busy,
}: {
  people: MapPerson[];
  failure: MapFormFailure | null;
  flash: FlashMessage | null | undefined;
  busy: boolean;
}) {
  const resetKey = useResetKey(flash, "map");
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  return (
    <section id="stakeholder-map" aria-labelledby="stakeholder-map-heading" className="mt-6">
      <h2 id="stakeholder-map-heading" className="mb-2 text-base font-semibold text-slate-900">
        Stakeholder map
      </h2>
      {people.length === 0 ? (
        <EmptyState title="Nobody from the buyer's side yet">
          Add the buyer&apos;s people under <a href="#people">People on this plan</a>, then give each a role in the decision and whom they report to. The chart
          and your notes stay on your side: buyers never see them.
        </EmptyState>
      ) : (
        <Card className="p-4">
          <p className="mb-3 text-xs text-slate-600">
            Only your organisation sees this map. Box colour is your read of each person: <span className="font-medium text-emerald-700">supporter</span>,{" "}
            <span className="font-medium text-slate-600">neutral</span> or <span className="font-medium text-red-700">detractor</span>.
          </p>
          {failure && !people.some((p) => p.id === failure.stakeholderId) ? (
            <div className="mb-3">
              <Alert>{failure.formError}</Alert>
            </div>
          ) : null}
          <OrgChart people={people} />
          <FlashStatus flash={flash} target="map" className="mt-3" />
          <ul className="mt-4 divide-y divide-slate-100" aria-label="The buyer's side, person by person">
            {people.map((p) => {
              const failed = failure?.stakeholderId === p.id ? failure : null;
              const values = failed?.values ?? {
                decisionRole: p.decision_role ?? "",
                reportsToId: p.reports_to_id ?? "",
                influence: p.influence ?? "",
                sentiment: p.sentiment ?? "",
                privateNote: p.private_note,
              };
              return (
                <li key={p.id} className="py-3 text-sm" data-testid="map-person" data-name={p.name}>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-slate-900">{p.name}</span>
                    {p.title ? <span className="text-xs text-slate-500">{p.title}</span> : null}
                    {p.decision_role ? <Badge tone="blue">{DECISION_ROLE_LABELS[p.decision_role]}</Badge> : <Badge>Role not set</Badge>}
                    {p.sentiment ? <Badge tone={SENTIMENT_TONE[p.sentiment]}>{SENTIMENT_LABELS[p.sentiment]}</Badge> : null}
                    {p.influence ? <span className="text-xs text-slate-600">{INFLUENCE_LABELS[p.influence]} influence</span> : null}
                  </div>
                  <p className="mt-0.5 text-xs text-slate-600">
                    {p.reports_to_id ? `Reports to ${nameOf.get(p.reports_to_id) ?? "someone no longer on the plan"}` : "Reports to nobody on the map"}
                  </p>
                  {p.private_note ? <p className="mt-1 whitespace-pre-line text-xs text-slate-700">{p.private_note}</p> : null}
                  <details className="mt-2" open={!!failed}>
                    <summary className="cursor-pointer text-xs font-medium text-brand-700">Edit {p.name}&apos;s place on the map</summary>
                    <Form key={`${p.id}:${resetKey}`} method="post" className="mt-2 grid gap-3 sm:grid-cols-2" preventScrollReset noValidate>
                      <input type="hidden" name="intent" value="map-stakeholder" />
                      <input type="hidden" name="stakeholderId" value={p.id} />
                      {failed ? (
                        <div className="sm:col-span-2">
                          <Alert>{failed.formError}</Alert>
                        </div>
                      ) : null}
                      {(
                        [
                          ["decisionRole", "role", "Role in the decision", "Not set", DECISION_ROLES.map((r) => [r, DECISION_ROLE_LABELS[r]])],
                          ["reportsToId", "reports", "Reports to", "Nobody on the map", people.filter((o) => o.id !== p.id).map((o) => [o.id, o.name])],
                          ["influence", "influence", "Influence (private)", "Not set", INFLUENCES.map((i) => [i, INFLUENCE_LABELS[i]])],
                          ["sentiment", "sentiment", "Sentiment (private)", "Not set", SENTIMENTS.map((v) => [v, SENTIMENT_LABELS[v]])],
                        ] as const
                      ).map(([name, idPrefix, label, none, options]) => (
                        <SelectField
                          key={name}
                          id={`${idPrefix}-${p.id}`}
                          label={label}
                          name={name}
                          defaultValue={values[name]}
                          error={failed?.fieldErrors[name]?.[0]}
                        >
                          <option value="">{none}</option>
                          {options.map(([value, text]) => (
                            <option key={value} value={value}>
                              {text}
                            </option>
                          ))}
                        </SelectField>
                      ))}
                      <TextAreaField
                        id={`note-${p.id}`}
                        label="Private note"
                        name="privateNote"
                        rows={3}
                        maxLength={PRIVATE_NOTE_MAX}
                        defaultValue={values.privateNote}
                        error={failed?.fieldErrors.privateNote?.[0]}
                        hint="Only your organisation sees this; it is never shown or sent to the buyer."
                        className="sm:col-span-2"
                      />
                      <div className="sm:col-span-2">
                        <Button type="submit" kind="secondary" disabled={busy}>
                          Save {p.name}
                        </Button>
                      </div>
                    </Form>
                  </details>
                </li>
              );
            })}
          </ul>
        </Card>
      )}
    </section>
  );
}
