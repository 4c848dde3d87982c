import { createContext, useContext } from "react";
import stylesheet from "~/tailwind.css";

/*
 * The app's one stylesheet (Tailwind, purged: ~36 KB, ~7 KB compressed). A buyer's page carries
 * it inline: on a phone's first load the page then paints from its own HTML, without a second
 * round trip for a render-blocking file that competes with the scripts for the network (ADR 041).
 * Other pages link it, cached across a rep's visits. Once a document has it inline, the browser
 * keeps it inline for the rest of that visit (same text, no second download).
 */

/** The stylesheet's text when this document carries it inline (set by entry.server), else null. */
export const InlineStylesheetContext = createContext<string | null>(null);

/** In the browser: the text the server inlined into this document, read back for hydration. */
const inlinedInDocument = typeof document === "undefined" ? null : (document.getElementById("app-css")?.textContent ?? null);

export { stylesheet as stylesheetHref };

export function Stylesheet() {
  const inline = useContext(InlineStylesheetContext) ?? inlinedInDocument;
  if (inline !== null) return <style id="app-css" dangerouslySetInnerHTML={{ __html: inline }} />;
  return <link rel="stylesheet" href={stylesheet} />;
}
