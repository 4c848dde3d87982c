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
