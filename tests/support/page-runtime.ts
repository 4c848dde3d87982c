import { expect } from "vitest";

/**
 * A page sent as HTML alone (ADR 047, ADR 050): no React runtime, no page data, the stylesheet
 * inline once, and one script, the page's own small enhancement script under its CSP nonce.
 */
export async function expectHtmlAlone(response: Response, label = response.url) {
  expect(response.status, label).toBe(200);
  const html = await response.text();
  const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
  expect(html, label).not.toMatch(/<script[^>]+src=|modulepreload|__remixContext|\/build\/[^"]+\.js/);
  expect(html, label).not.toContain('<link rel="stylesheet"');
  expect(html.match(/<style id="app-css">/g), label).toHaveLength(1);
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts, label).toHaveLength(1);
  expect(scripts[0][1], label).toContain(`nonce="${nonce}"`);
  expect(scripts[0][2], label).toContain("[data-flash]");
  return html;
}

/** A page that runs the app: Remix's entry module preloaded and the stylesheet linked, not inlined. */
export async function expectAppRuntime(response: Response) {
  const html = await response.text();
  expect(html).toMatch(/<link rel="modulepreload" href="\/build\/entry\.client-/);
  expect(html).toContain('<link rel="stylesheet"');
}
