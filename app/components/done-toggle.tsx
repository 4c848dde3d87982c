import { Form } from "@remix-run/react";
import { useT } from "~/components/i18n-context";
import { Button } from "~/components/ui";

/** "Mark done" or, once done, "Reopen": one milestone's form, on the rep's and the buyer's page. */
export function DoneToggle({
  milestone,
  doneIntent,
  doneKind,
  className,
  busy = false,
}: {
  milestone: { id: string; version: number; completed_on: string | null };
  /** The action's intent for marking done (each page names its own). */
  doneIntent: string;
  doneKind: "primary" | "secondary";
  className: string;
  /** A post is on its way (a hydrated page; a page without React's runtime marks its own buttons, ADR 047). */
  busy?: boolean;
}) {
  const done = Boolean(milestone.completed_on);
  const { t } = useT();
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="milestoneId" value={milestone.id} />
      <input type="hidden" name="version" value={milestone.version} />
      <Button type="submit" name="intent" value={done ? "reopen" : doneIntent} kind={done ? "ghost" : doneKind} className={className} disabled={busy}>
        {t(done ? "milestone.reopen" : "milestone.markDone")}
      </Button>
    </Form>
  );
}
