import { useNavigate } from "@remix-run/react";
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from "react";

/*
 * Pages dense with links (the forecast's tables, the plans lists) render one Remix <Link> per
 * number or row. Each one resolves its path against the route tree with several hooks while the
 * server renders, a measurable share of the forecast page's render (docs/benchmarks.md, fix 12). Inside
 * <ClientLinks>, <PlainLink> is a bare anchor, and one click handler on the container navigates
 * in the app: a plain left click on it becomes Remix's navigate, so the page does not reload.
 * New-tab and download clicks stay the browser's. (Unlike <Link>, a click on a link to the page
 * already shown adds a history entry; none of these pages links to itself.)
 */

/** Whether a click is a plain left click that a link should handle in the page. */
export function isPlainClick(event: Pick<MouseEvent, "button" | "metaKey" | "ctrlKey" | "shiftKey" | "altKey" | "defaultPrevented">): boolean {
  return !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export function ClientLinks({ children, className }: { children: ReactNode; className?: string }) {
  const navigate = useNavigate();
  function onClick(event: MouseEvent<HTMLDivElement>) {
    if (!isPlainClick(event) || !(event.target instanceof Element)) return;
    const anchor = event.target.closest("a[data-client-link]");
    if (!(anchor instanceof HTMLAnchorElement) || !event.currentTarget.contains(anchor)) return;
    if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return;
    event.preventDefault();
    navigate(anchor.getAttribute("href") ?? "/");
  }
  // Keyboard users activate the anchors themselves (Enter fires a click on a focused link), so
  // the container needs no key handler or role of its own.
  return (
    <div className={className} onClick={onClick}>
      {children}
    </div>
  );
}

/**
 * An in-app link for inside <ClientLinks>: `to` is an absolute path ("/plans/…"), never relative.
 * `data-discover` lets Remix fetch the target route's manifest ahead of the click, as for <Link>.
 */
export function PlainLink({ to, ...props }: Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string }) {
  return <a href={to} data-discover="true" data-client-link="" {...props} />;
}
