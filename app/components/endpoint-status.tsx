import { Form } from "@remix-run/react";
import { Badge, Button } from "~/components/ui";
import { endpointIntents, type EndpointIntent } from "~/domain/webhooks";
import { plural } from "~/domain/words";

const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

/**
 * How a webhook endpoint or a chat channel is failing (ADR 017's breaker): paused until a next
 * single try, or a run of failed attempts so far; nothing while it delivers or is turned off.
 */
export function EndpointFailures({
  active,
  consecutiveFailures,
  lastFailure,
  openedAt,
  openUntil,
  waiting,
}: {
  active: boolean;
  consecutiveFailures: number;
  lastFailure: string | null;
  openedAt: string | null;
  openUntil: string | null;
  /** What waits while it is paused, and who was told: "Deliveries wait; …". */
  waiting: string;
}) {
  const last = lastFailure ? ` (last: ${lastFailure})` : "";
  if (!active) return null;
  if (openedAt) {
    return (
      <p className="mt-2 text-sm text-amber-800">
        Paused after {consecutiveFailures} failed attempts in a row{last}. {waiting}; the next single try is at{" "}
        <time dateTime={openUntil ?? openedAt}>{when(openUntil ?? openedAt)}</time>.
      </p>
    );
  }
  if (consecutiveFailures > 0) {
    return (
      <p className="mt-2 text-sm text-amber-800">
        {plural(consecutiveFailures, "failed attempt")} in a row{last}.
      </p>
    );
  }
  return null;
}

/** Off, paused by the breaker, or on: in the page's words for off and on. */
export function EndpointStateBadge({ active, paused, words }: { active: boolean; paused: boolean; words: { off: string; on: string } }) {
  if (!active) return <Badge tone="slate">{words.off}</Badge>;
  return paused ? <Badge tone="amber">Paused</Badge> : <Badge tone="green">{words.on}</Badge>;
}

/** One plain form per thing to do with an endpoint (works without JavaScript), each button naming the endpoint for screen readers. */
export function EndpointActions({
  id,
  idField,
  name,
  active,
  paused,
  busy,
  labels,
}: {
  id: string;
  idField: "endpointId" | "channelId";
  name: string;
  active: boolean;
  paused: boolean;
  busy: boolean;
  labels: Record<EndpointIntent, string>;
}) {
  return (
    <div className="flex flex-wrap gap-2">
      {endpointIntents({ active, paused }).map((intent) => (
        <Form method="post" key={intent}>
          <input type="hidden" name="intent" value={intent} />
          <input type="hidden" name={idField} value={id} />
          <Button kind="secondary" type="submit" disabled={busy} aria-label={`${labels[intent]}: ${name}`}>
            {labels[intent]}
          </Button>
        </Form>
      ))}
    </div>
  );
}
