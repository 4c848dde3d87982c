import { Form } from "@remix-run/react";
import { FlashStatus, useResetKey, type FlashMessage } from "~/components/flash-status";
import { useT } from "~/components/i18n-context";
import { Button, cx } from "~/components/ui";

export interface CommentRow {
  id: string;
  author_name: string;
  author_side: string;
  body: string;
  created_at: Date | string;
}

/** A milestone's comments and the box to add one; the same on the rep's and the buyer's pages. `readOnly`: the comments alone (a closed plan's buyer page). */
export function CommentThread({
  milestoneId,
  title,
  comments,
  now,
  busy = false,
  typed,
  flash,
  readOnly = false,
}: {
  milestoneId: string;
  title: string;
  comments: CommentRow[];
  now: string;
  /** A post is on its way (a hydrated page; a page without React's runtime marks its own buttons, ADR 047). */
  busy?: boolean;
  typed?: string;
  flash?: FlashMessage | null;
  readOnly?: boolean;
}) {
  const { t, relative } = useT();
  const target = `comment:${milestoneId}`;
  const resetKey = useResetKey(flash, target);
  if (readOnly && !comments.length) return null;
  return (
    <details className="mt-2 text-sm" open={(comments.length > 0 && comments.length <= 3) || typed !== undefined || flash?.target === target}>
      <summary className="cursor-pointer text-xs font-medium text-brand-700">
        {comments.length ? t("comments.count", { count: comments.length }) : t("comments.none")}
      </summary>
      <ul className="mt-2 space-y-2">
        {comments.map((c) => (
          <li key={c.id} className={cx("rounded-md px-3 py-2", c.author_side === "buyer" ? "bg-brand-50" : "bg-slate-50")}>
            {/* slate-600: slate-500 on the buyer's tinted bubble reads at 4.3:1, under WCAG AA's 4.5:1. */}
            <p className="text-xs text-slate-600">
              {t(c.author_side === "buyer" ? "comments.byBuyer" : "comments.bySeller", {
                name: c.author_name,
                when: relative(new Date(c.created_at), new Date(now)),
              })}
            </p>
            <p className="whitespace-pre-line text-slate-800">{c.body}</p>
          </li>
        ))}
      </ul>
      <FlashStatus flash={flash} target={target} className="mt-2 py-1.5 text-xs" />
      {readOnly ? null : (
        <Form key={resetKey} method="post" preventScrollReset className="mt-2 flex gap-2">
          <input type="hidden" name="milestoneId" value={milestoneId} />
          <label className="sr-only" htmlFor={`c-${milestoneId}`}>
            {t("comments.label", { title })}
          </label>
          <input
            id={`c-${milestoneId}`}
            name="body"
            maxLength={5000}
            placeholder={t("comments.placeholder")}
            defaultValue={typed ?? ""}
            className="min-w-0 flex-1 rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
          />
          <Button type="submit" name="intent" value="comment" kind="secondary" className="py-1.5 text-xs" disabled={busy}>
            {t("comments.post")}
          </Button>
        </Form>
      )}
    </details>
  );
}
