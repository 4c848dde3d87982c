import type { Request, Response } from "express";

/*
 * Answers the HTTP layer gives before Remix runs (a refused cross-site form, an address past a
 * token, an unreadable address, a crash): a person in a browser gets a small readable page, a
 * script or a CRM gets the one line of text it always got.
 */

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The page, styled inline: it must stand on its own, without the app's fingerprinted stylesheet. */
export function plainPage(title: string, message: string, next?: { href: string; label: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Plan Together</title>
<style>
body{margin:0;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;background:#f8fafc}
main{max-width:28rem;margin:0 auto;padding:4rem 1.5rem;text-align:center}
h1{font-size:1.25rem;font-weight:600;margin:0}
p{margin:.75rem 0 0;font-size:.875rem;line-height:1.5;color:#475569}
a{display:inline-block;margin-top:1.5rem;border-radius:.375rem;background:#2459b8;color:#fff;padding:.5rem 1rem;font-size:.875rem;font-weight:500;text-decoration:none}
a:hover{background:#1d4791}a:focus-visible{outline:2px solid #2f6fdb;outline-offset:2px}
</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${next ? `<a href="${escapeHtml(next.href)}">${escapeHtml(next.label)}</a>` : ""}</main></body></html>`;
}

export interface PlainAnswer {
  status: number;
  /** The one line scripts and API clients get (and always got). */
  text: string;
  /** What a person in a browser reads instead. */
  title: string;
  message: string;
  next?: { href: string; label: string };
}

/** Sends `answer` as a page when the client prefers HTML (a browser's navigation), else as text. */
export function sendPlainAnswer(req: Request, res: Response, answer: PlainAnswer) {
  res.status(answer.status);
  res.vary("Accept");
  if (req.accepts(["text/plain", "text/html"]) === "text/html") {
    res.type("html").send(plainPage(answer.title, answer.message, answer.next));
  } else {
    res.type("text/plain").send(answer.text);
  }
}
