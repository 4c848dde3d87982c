import { createRequire } from "node:module";
import path from "node:path";
import { PassThrough } from "node:stream";
import { text } from "node:stream/consumers";
import { createElement, Suspense } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

/*
 * React 18.3.1's streaming renderer wrote its whole 2 KB buffer when a text chunk's next character
 * did not fit in what was left of it, zero bytes and all (react/react#31134): a German, French or
 * Spanish buyer page could carry a NUL before an "ü" or a "’". patches/react-dom+18.3.1.patch now
 * gathers the chunks as text and encodes them whole (ADR 052), so no character is ever split;
 * these tests hold the bytes to renderToString's and the shell to arriving before what it waits on.
 * Both patched builds: the production one serves the pages, the development one runs under Vitest.
 */
const require = createRequire(import.meta.url);
// By file: the package's exports pick one build from NODE_ENV and name neither.
const reactDom = path.dirname(require.resolve("react-dom/package.json"));
type Renderer = typeof import("react-dom/server").renderToPipeableStream;
const BUILDS: [string, Renderer][] = ["production.min", "development"].map((build) => [
  build,
  (require(path.join(reactDom, `cjs/react-dom-server.node.${build}.js`)) as { renderToPipeableStream: Renderer }).renderToPipeableStream,
]);

function streamed(renderToPipeableStream: Renderer, element: ReturnType<typeof createElement>): Promise<string> {
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

describe.each(BUILDS)("the streamed page's bytes (%s build)", (_build, renderToPipeableStream) => {
  it("hold no NUL wherever a multi-byte character meets the end of React's write buffer", async () => {
    // Every alignment of a two- and a three-byte character against the buffer's end.
    for (let pad = 0; pad < 6; pad++) {
      const page = createElement(
        "main",
        null,
        createElement("p", null, "x".repeat(pad)),
        ...Array.from({ length: 40 }, (_, i) => createElement("p", { key: i }, "Bestätigen Sie l’échéance: fünf Schritte ")),
      );
      const html = await streamed(renderToPipeableStream, page);
      expect(html.includes("\0"), `padding ${pad}`).toBe(false);
      expect(html).toBe(renderToString(page));
    }
  });

  it("are the page's own bytes for text longer than the renderer gathers at once, four-byte characters included", async () => {
    const page = createElement(
      "main",
      { className: "späť" },
      ...Array.from({ length: 400 }, (_, i) => createElement("p", { key: i, title: `Étape ${i} ✅` }, `Plan 👩‍💼 Übergabe ${i} — échéance`)),
    );
    const html = await streamed(renderToPipeableStream, page);
    expect(html.length).toBeGreaterThan(20_000);
    expect(html).toBe(renderToString(page));
  });

  it("send the shell before what it waits on, then the rest, as React streamed it before", async () => {
    let release!: () => void;
    const ready = new Promise<void>((resolve) => (release = resolve));
    let loaded = false;
    function Later(): string {
      if (!loaded) throw ready.then(() => (loaded = true));
      return "später geladen";
    }
    const sink = new PassThrough();
    const received: string[] = [];
    sink.on("data", (chunk: Buffer) => received.push(chunk.toString("utf8")));
    const done = new Promise((resolve) => sink.on("end", resolve));
    const shellSent = new Promise<void>((resolve, reject) => {
      const { pipe } = renderToPipeableStream(
        createElement("main", null, createElement("h1", null, "Überblick"), createElement(Suspense, { fallback: "lädt…" }, createElement(Later))),
        { onShellReady: () => (pipe(sink), resolve()), onShellError: reject },
      );
    });
    await shellSent;
    await new Promise((resolve) => setImmediate(resolve));
    const shell = received.join("");
    expect(shell).toContain("<h1>Überblick</h1>");
    expect(shell).toContain("lädt…");
    expect(shell).not.toContain("später geladen");
    release();
    await done;
    expect(received.join("")).toContain("später geladen");
  });
});
