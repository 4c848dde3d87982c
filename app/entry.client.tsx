import { RemixBrowser } from "@remix-run/react";
import { StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

/*
 * Remix's default client entry hydrates inside startTransition: time-sliced, so the browser runs
 * events between slices. A tap on a form that is half hydrated (a fast sign-in, a slow phone) made
 * React hydrate that part synchronously in the middle of the transition's render, and it sometimes
 * ended with "Root did not complete" (error #345, issue 16 item 7). Hydrated at the default
 * priority, the page is hydrated in one task, not in slices: a tap lands before it (a native post,
 * which every form supports) or after it (the app's own submit). Remix's first render waits for
 * the page data to be decoded (microtasks) and React renders again in the next task: a tap in that
 * gap makes React hydrate at once, in the tap's own task, with the data already there.
 */
hydrateRoot(
  document,
  <StrictMode>
    <RemixBrowser />
  </StrictMode>,
);
