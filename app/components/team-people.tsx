import { Form, Link } from "@remix-run/react";
import { Button, ButtonLink, Card, cx } from "~/components/ui";

/*
 * The Team page's pieces for people who leave (ADR 021): the confirmation step before
 * deactivating someone, the hand-over of a person's active plans, and the list of deactivated
 * people. Plain forms and links: all of it works without JavaScript.
 */

export interface HandOverCandidate {
  id: string;
  name: string;
}

export interface HandOverError {
  fromUserId: string;
  toUserId: string;
  message: string;
}

const plansWord = (n: number) => (n === 1 ? "1 active plan" : `${n} active plans`);

/** "Hand over N plans to <rep>": offered wherever a person owns active plans. */
export function HandOverForm({
  fromUserId,
  fromName,
  count,
  candidates,
  error,
  busy,
}: {
  fromUserId: string;
  fromName: string;
  count: number;
  candidates: HandOverCandidate[];
  error: HandOverError | null;
  busy: boolean;
}) {
  const choices = candidates.filter((c) => c.id !== fromUserId);
  const mine = error && error.fromUserId === fromUserId ? error : null;
  const selectId = `handover-${fromUserId}`;
  if (count === 0) return <p className="text-xs text-slate-500">No active plans.</p>;
  if (choices.length === 0) return <p className="text-xs text-slate-600">{plansWord(count)}; add an active rep or manager to hand them over to.</p>;
  return (
    <Form method="post" className="flex flex-wrap items-end gap-2" aria-describedby={mine ? `${selectId}-error` : undefined}>
      <input type="hidden" name="intent" value="hand-over" />
      <input type="hidden" name="fromUserId" value={fromUserId} />
      <div>
        <label htmlFor={selectId} className="block text-xs font-medium text-slate-700">
          {plansWord(count)}: hand over to
        </label>
        <select
          id={selectId}
          name="toUserId"
          defaultValue={mine?.toUserId ?? ""}
          aria-invalid={mine ? true : undefined}
          className={cx(
            "mt-1 rounded-md border-0 py-1.5 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none",
            mine && "ring-red-400",
          )}
        >
          <option value="">Pick a rep or manager</option>
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" kind="secondary" className="py-1.5" disabled={busy}>
        Hand over {count === 1 ? "1 plan" : `${count} plans`}
        <span className="sr-only"> of {fromName}</span>
      </Button>
      {mine ? (
        <p id={`${selectId}-error`} className="w-full text-sm text-red-700">
          {mine.message}
        </p>
      ) : null}
    </Form>
  );
}

export interface DeactivationPreview {
  id: string;
  name: string;
  activePlans: number;
  reports: number;
  tokens: string[];
}

/** The confirmation step: what deactivating this person will do, before it is done. */
export function DeactivateConfirm({ person, busy }: { person: DeactivationPreview; busy: boolean }) {
  return (
    <Card className="mb-6 p-5 ring-red-200" role="region" aria-labelledby="deactivate-heading">
      <h2 id="deactivate-heading" className="text-base font-semibold text-slate-900">
        Deactivate {person.name}?
      </h2>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">
        <li>They are signed out everywhere at once and can no longer sign in.</li>
        {person.tokens.length ? (
          <li>
            {person.tokens.length === 1 ? "The API token" : `The ${person.tokens.length} API tokens`} they created ({person.tokens.join(", ")}) stop working for
            good. If an integration uses {person.tokens.length === 1 ? "it" : "them"}, create a replacement on the{" "}
            <Link to="/settings/api" className="font-medium text-brand-700 underline">
              API page
            </Link>{" "}
            first.
          </li>
        ) : null}
        <li>
          {person.activePlans
            ? `Their ${plansWord(person.activePlans)} stay${person.activePlans === 1 ? "s" : ""} as they are, in their name, until you hand ${person.activePlans === 1 ? "it" : "them"} over to someone on this page.`
            : "They own no active plans."}{" "}
          Their comments and history keep their name.
        </li>
        {person.reports ? (
          <li>
            {person.reports === 1 ? "1 person reports" : `${person.reports} people report`} to them and keep{person.reports === 1 ? "s" : ""} that link (so
            their plans stay in the same managers&apos; forecasts) until you pick another manager.
          </li>
        ) : null}
        <li>You can reactivate them later with the same password; revoked API tokens stay revoked.</li>
      </ul>
      <Form method="post" className="mt-4 flex flex-wrap gap-2">
        <input type="hidden" name="intent" value="deactivate" />
        <input type="hidden" name="userId" value={person.id} />
        <Button type="submit" kind="danger" disabled={busy}>
          Deactivate {person.name}
        </Button>
        <ButtonLink to="/team" kind="ghost">
          Cancel
        </ButtonLink>
      </Form>
    </Card>
  );
}

export interface DeactivatedPerson {
  id: string;
  name: string;
  email: string;
  roleLabel: string;
  deactivatedOn: string;
  activePlans: number;
}

export function DeactivatedPeople({
  people,
  candidates,
  handOverError,
  busy,
}: {
  people: DeactivatedPerson[];
  candidates: HandOverCandidate[];
  handOverError: HandOverError | null;
  busy: boolean;
}) {
  if (!people.length) return null;
  return (
    <Card className="mt-6 overflow-x-auto" aria-labelledby="deactivated-heading">
      <div className="border-b border-slate-200 px-4 py-3">
        <h2 id="deactivated-heading" className="text-base font-semibold text-slate-900">
          Deactivated
        </h2>
        <p className="mt-0.5 text-sm text-slate-600">They cannot sign in. Their plans stay until you hand them over.</p>
      </div>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-3">
              Person
            </th>
            <th scope="col" className="px-4 py-3">
              Plans
            </th>
            <th scope="col" className="px-4 py-3">
              <span className="sr-only">Reactivate</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {people.map((p) => (
            <tr key={p.id} data-person={p.email}>
              <td className="px-4 py-3 align-top">
                <div className="font-medium text-slate-700">{p.name}</div>
                <div className="text-xs text-slate-500">{p.email}</div>
                <div className="mt-1 text-xs text-slate-500">
                  {p.roleLabel} · deactivated on {p.deactivatedOn}
                </div>
              </td>
              <td className="px-4 py-3 align-top">
                <HandOverForm fromUserId={p.id} fromName={p.name} count={p.activePlans} candidates={candidates} error={handOverError} busy={busy} />
              </td>
              <td className="px-4 py-3 text-right align-top">
                <Form method="post">
                  <input type="hidden" name="intent" value="reactivate" />
                  <input type="hidden" name="userId" value={p.id} />
                  <Button type="submit" kind="secondary" className="py-1.5" disabled={busy}>
                    Reactivate<span className="sr-only"> {p.name}</span>
                  </Button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
