import { PassThrough } from "node:stream";
import { text } from "node:stream/consumers";
import { createElement } from "react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

/*
 * React 18.3.1's streaming renderer wrote its whole 2 KB buffer when a text chunk's next character
 * did not fit in what was left of it, zero bytes and all (react/react#31134): a German, French or
 * Spanish buyer page could carry a NUL before an "ü" or a "’". patches/react-dom+18.3.1.patch
 * writes only the bytes filled. This fails without it.
 */
function streamed(element: ReturnType<typeof createElement>): Promise<string> {
  return new Promise((resolve, reject) => {
    const sink = new PassThrough();
    const { pipe } = renderToPipeableStream(element, {
      onAllReady: () => {
        pipe(sink);
        text(sink).then(resolve, reject);
      },
      onShellError: reject,
    });
  });
}

describe("the streamed page's bytes", () => {
  it("hold no NUL wherever a multi-byte character meets the end of React's write buffer", async () => {
    // Every alignment of a two- and a three-byte character against the buffer's end.
    for (let pad = 0; pad < 6; pad++) {
      const page = createElement(
        "main",
        null,
        createElement("p", null, "x".repeat(pad)),
        ...Array.from({ length: 40 }, (_, i) => createElement("p", { key: i }, "Bestätigen Sie l’échéance: fünf Schritte ")),
      );
      const html = await streamed(page);
      expect(html.includes("\0"), `padding ${pad}`).toBe(false);
      expect(html).toBe(renderToString(page));
    }
  });
});
