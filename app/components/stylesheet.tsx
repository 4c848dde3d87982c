import { createContext, useContext } from "react";
import { useHydrates } from "~/components/page-scripts";
import stylesheet from "~/tailwind.css";

/*
 * The app's one stylesheet (Tailwind, purged: ~36 KB, ~7 KB compressed). A page served without
 * React's runtime (a buyer's, ADR 047) carries it inline: on a phone's first load the page then
 * paints from its own HTML, without a second round trip for a render-blocking file (ADR 041).
 * Pages that hydrate link it, cached across a rep's visits.
 */

/** The built stylesheet's text, set by entry.server (null in the browser and when it cannot be read). */
export const InlineStylesheetContext = createContext<string | null>(null);

export { stylesheet as stylesheetHref };

export function Stylesheet() {
  const text = useContext(InlineStylesheetContext);
  const hydrates = useHydrates();
  if (text !== null && !hydrates) return <style id="app-css" dangerouslySetInnerHTML={{ __html: text }} />;
  return <link rel="stylesheet" href={stylesheet} />;
}
