import type { Kysely } from "kysely";
import type { DB } from "../../db/types";
import { isUuid } from "~/domain/ids";
import { ENDPOINT_INTENTS, TEST_EVENTS_PER_MINUTE, type EndpointIntent } from "~/domain/webhooks";
import { deleteWebhookEndpoint, queueTestEvent, setWebhookEndpointActive, type EndpointScope } from "~/models/webhooks.server";

/*
 * What the webhooks page and the chat alerts page (ADR 045) do to one of their endpoints: send a
 * test, turn it off, on or back on after a pause, remove it. One mechanism, in each page's words.
 */

export interface EndpointWords {
  /** "endpoint", "channel": in the refusals. */
  thing: string;
  /** What a test is called: "Test events", "Test messages". */
  tests: string;
  done: Record<EndpointIntent, string>;
}

export async function manageEndpoint(
  db: Kysely<DB>,
  input: { orgId: string; id: string; intent: string; by: string; now: Date; scope: EndpointScope },
  words: EndpointWords,
): Promise<{ status: 200 | 400 | 429; message: string }> {
  const unknown = { status: 400, message: `Unknown ${words.thing}.` } as const;
  if (!isUuid(input.id)) return unknown;
  const intent = ENDPOINT_INTENTS.find((i) => i === input.intent);
  if (!intent) return { status: 400, message: "Unknown action." };
  let done: boolean;
  if (intent === "test") {
    const queued = await queueTestEvent(db, input.orgId, input.id, input.by, input.now, input.scope);
    if (!queued.ok && queued.reason === "rate_limited") {
      return {
        status: 429,
        message: `${words.tests} are limited to ${TEST_EVENTS_PER_MINUTE} a minute for each ${words.thing}. Try again in ${queued.waitSeconds} seconds.`,
      };
    }
    done = queued.ok;
  } else if (intent === "delete") {
    done = await deleteWebhookEndpoint(db, input.orgId, input.id, input.scope);
  } else {
    done = await setWebhookEndpointActive(db, input.orgId, input.id, intent !== "disable", input.scope);
  }
  return done ? { status: 200, message: words.done[intent] } : unknown;
}
