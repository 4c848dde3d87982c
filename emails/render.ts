import { render } from "@react-email/render";
import type { ReactElement } from "react";

export interface RenderedEmail {
  subject: string;
  html: string;
  /** Always sent alongside the HTML: some people read mail as text only. */
  text: string;
}

/** An email component to the HTML and the plain-text part the recipient's client chooses from. */
export async function renderEmail(subject: string, element: ReactElement): Promise<RenderedEmail> {
  const [html, text] = await Promise.all([
    render(element),
    render(element, {
      plainText: true,
      htmlToTextOptions: {
        // No hard wrapping: it could break a long link in two; mail clients wrap lines themselves.
        wordwrap: false,
        selectors: [
          { selector: "img", format: "skip" },
          // The hidden inbox preview line is not part of the message.
          { selector: "div[style*='display:none']", format: "skip" },
          { selector: "h1", options: { uppercase: false } },
          { selector: "h2", options: { uppercase: false } },
          { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
          { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
        ],
      },
    }),
  ]);
  return { subject, html, text: text.trim() + "\n" };
}
