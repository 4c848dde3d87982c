import { useEffect, useRef, type ReactNode } from "react";
import { cx } from "~/components/ui";

/** A message from the server's last redirect (app/route-helpers/flash.server.ts), as the page receives it. */
export interface FlashMessage {
  id: string;
  message: string;
  target?: string;
  url?: string;
  stakeholderId?: string;
}

/**
 * "Comment posted.", shown where the change happened. It takes focus when it appears, so a
 * keyboard or screen-reader user lands beside what changed instead of at the top of the page.
 * Renders only when the flash is for `target`.
 */
export function FlashStatus({
  flash,
  target,
  className,
  children,
}: {
  flash: FlashMessage | null | undefined;
  target: string;
  className?: string;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = flash && flash.target === target ? flash : null;
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!shown) return null;
  return (
    <div
      ref={ref}
      role="status"
      tabIndex={-1}
      data-flash={shown.id}
      className={cx(
        "rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-inset ring-emerald-200 focus:outline-2 focus:outline-offset-2 focus:outline-brand-500",
        className,
      )}
    >
      {shown.message}
      {children}
    </div>
  );
}

/**
 * A React key for a form that must come back empty after its own successful post: it changes
 * only when a flash for `target` arrives (another form's success leaves this one's typing alone).
 */
export function useResetKey(flash: FlashMessage | null | undefined, target: string): string {
  const last = useRef("initial");
  if (flash && flash.target === target) last.current = flash.id;
  return last.current;
}
