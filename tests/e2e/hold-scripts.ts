import type { BrowserContext, Page } from "@playwright/test";

/** A request for one of the app's scripts (the build's modules). */
export const APP_SCRIPT = /\/build\/.*\.js(\?.*)?$/;

/**
 * Holds back every script of the app (a slow phone network) until `release()`: pages and styles
 * arrive at once, so a test can tap a button before the page is interactive, for certain.
 * `delivered` counts the scripts let through so far.
 */
export async function holdScripts(target: Page | BrowserContext) {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const state = { delivered: 0 };
  await target.route(APP_SCRIPT, async (route) => {
    await gate;
    state.delivered++;
    await route.continue().catch(() => undefined); // the page may have moved on meanwhile
  });
  return {
    get delivered() {
      return state.delivered;
    },
    /** Lets the held scripts (and all later ones) through. */
    release: () => open(),
    /** Holds scripts again, from the next request on. */
    hold: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
  };
}
