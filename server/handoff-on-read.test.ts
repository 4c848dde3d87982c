import { describe, expect, it } from "vitest";
import { encodeViaTurboStream, encodeViaTurboStreamOnRead } from "@remix-run/server-runtime/dist/single-fetch.js";
import type { ServerMode } from "@remix-run/server-runtime/dist/mode.js";

/*
 * The patch to @remix-run/server-runtime (ADR 049): a document's data for the browser is encoded
 * only once the page reads it. A buyer's page, drawn without <Scripts>, never does; a hydrated page
 * must still receive exactly what Remix would have sent.
 */
async function text(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe("the page data handed to the browser", () => {
  it("is not encoded until read, then reads the same as Remix's own encoding", async () => {
    let reads = 0;
    const data = {
      loaderData: {
        get root() {
          reads++;
          return { plan: "Globex Health", milestones: [1, 2, 3] };
        },
      },
    };
    const signal = new AbortController().signal;
    const lazy = encodeViaTurboStreamOnRead(data, signal, 1000, "production" as ServerMode);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reads, "encoded before anything read it").toBe(0);
    const sent = await text(lazy);
    expect(reads).toBe(1);
    expect(sent).toBe(await text(encodeViaTurboStream(data, signal, 1000, "production" as ServerMode)));
    expect(sent).toContain("Globex Health");
  });
});
