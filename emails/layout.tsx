import { createContext, useContext, type CSSProperties, type ReactNode } from "react";

/*
 * The frame every email shares: calm, readable without images, table-based so old mail clients
 * lay it out too, inline styles only (mail clients drop <style> blocks and classes). Each email
 * ends with why the person got it and a link to their preferences (no login needed).
 */

const font = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
export const colors = { text: "#0f172a", muted: "#475569", faint: "#64748b", line: "#e2e8f0", brand: "#2459b8", page: "#f8fafc" };

const styles = {
  body: { margin: 0, padding: 0, backgroundColor: colors.page, fontFamily: font, color: colors.text } satisfies CSSProperties,
  container: { width: "100%", maxWidth: 560, margin: "0 auto", padding: "24px 16px" } satisfies CSSProperties,
  card: { backgroundColor: "#ffffff", border: `1px solid ${colors.line}`, borderRadius: 8, padding: "24px" } satisfies CSSProperties,
  brand: { fontSize: 13, fontWeight: 600, color: colors.faint, margin: "0 0 12px" } satisfies CSSProperties,
  heading: { fontSize: 20, lineHeight: "28px", fontWeight: 600, margin: "0 0 12px", color: colors.text } satisfies CSSProperties,
  p: { fontSize: 15, lineHeight: "22px", margin: "0 0 14px", color: colors.text } satisfies CSSProperties,
  button: {
    display: "inline-block",
    backgroundColor: colors.brand,
    color: "#ffffff",
    fontSize: 15,
    fontWeight: 600,
    textDecoration: "none",
    borderRadius: 6,
    padding: "10px 18px",
  } satisfies CSSProperties,
  footer: { fontSize: 12, lineHeight: "18px", color: colors.faint, margin: "16px 4px 0" } satisfies CSSProperties,
  link: { color: colors.brand } satisfies CSSProperties,
  cellLabel: { fontSize: 13, color: colors.muted, padding: "4px 12px 4px 0", verticalAlign: "top", whiteSpace: "nowrap" } satisfies CSSProperties,
  cell: { fontSize: 14, color: colors.text, padding: "4px 0", verticalAlign: "top" } satisfies CSSProperties,
  h2: { fontSize: 15, fontWeight: 600, margin: "20px 0 8px", color: colors.text } satisfies CSSProperties,
};

/** The selling organisation's logo and accent (ADR 039) on the emails of its plans; either may be unset. */
export interface EmailBrand {
  name: string;
  /** A hex colour that passed the contrast check on white, so white button text on it stays readable. */
  accent: string | null;
  /** Absolute: a mail client fetches it from us. */
  logoUrl: string | null;
}

// The accent reaches the buttons and links without every template passing it down.
const AccentContext = createContext<string | null>(null);

export interface EmailFooter {
  /** Why this person gets this email, in a sentence ("You own this milestone on …"). */
  reason: string;
  /** Absent for account emails (an invitation, a reset link): they cannot be turned off. */
  preferencesUrl?: string;
  /** The preferences link's words in the reader's language (ADR 046); English when absent. */
  preferencesLabel?: string;
}

export function EmailLayout({
  preview,
  heading,
  footer,
  brand,
  lang = "en",
  children,
}: {
  preview: string;
  heading: string;
  footer: EmailFooter;
  brand?: EmailBrand;
  /** The language the email is written in. */
  lang?: string;
  children: ReactNode;
}) {
  return (
    <html lang={lang}>
      <head>
        <meta httpEquiv="Content-Type" content="text/html; charset=UTF-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{heading}</title>
      </head>
      <body style={styles.body}>
        {/* The inbox preview line; hidden in the message itself. */}
        <div style={{ display: "none", overflow: "hidden", lineHeight: "1px", opacity: 0, maxHeight: 0, maxWidth: 0 }}>{preview}</div>
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ backgroundColor: colors.page }}>
          <tbody>
            <tr>
              <td>
                <div style={styles.container}>
                  {brand?.logoUrl ? (
                    <p style={styles.brand}>
                      <img src={brand.logoUrl} alt={brand.name} height={32} style={{ display: "block", height: 32, width: "auto", maxWidth: 200, border: 0 }} />
                    </p>
                  ) : (
                    <p style={styles.brand}>Plan Together</p>
                  )}
                  <div style={brand?.accent ? { ...styles.card, borderTop: `3px solid ${brand.accent}` } : styles.card}>
                    <h1 style={styles.heading}>{heading}</h1>
                    <AccentContext.Provider value={brand?.accent ?? null}>{children}</AccentContext.Provider>
                  </div>
                  <p style={styles.footer}>{footer.reason}</p>
                  {footer.preferencesUrl ? (
                    <p style={styles.footer}>
                      <a href={footer.preferencesUrl} style={{ color: colors.faint }}>
                        {footer.preferencesLabel ?? "Email preferences or unsubscribe"}
                      </a>
                    </p>
                  ) : null}
                </div>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
}

export function P({ children, muted }: { children: ReactNode; muted?: boolean }) {
  return <p style={{ ...styles.p, ...(muted ? { color: colors.muted, fontSize: 14 } : {}) }}>{children}</p>;
}

export function ButtonLink({ href, children }: { href: string; children: ReactNode }) {
  const accent = useContext(AccentContext);
  return (
    <p style={{ margin: "20px 0" }}>
      <a href={href} style={accent ? { ...styles.button, backgroundColor: accent } : styles.button}>
        {children}
      </a>
    </p>
  );
}

export function A({ href, children }: { href: string; children: ReactNode }) {
  const accent = useContext(AccentContext);
  return (
    <a href={href} style={accent ? { color: accent } : styles.link}>
      {children}
    </a>
  );
}

export function SubHeading({ children }: { children: ReactNode }) {
  return <h2 style={styles.h2}>{children}</h2>;
}

/** Label / value rows: what changed, when, why. */
export function Details({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} style={{ margin: "4px 0 16px", borderCollapse: "collapse" }}>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <td style={styles.cellLabel}>{label}</td>
            <td style={styles.cell}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function List({ items }: { items: ReactNode[] }) {
  return (
    <ul style={{ margin: "0 0 14px", paddingLeft: 20 }}>
      {items.map((item, i) => (
        <li key={i} style={{ fontSize: 14, lineHeight: "21px", color: colors.text, margin: "0 0 4px" }}>
          {item}
        </li>
      ))}
    </ul>
  );
}
