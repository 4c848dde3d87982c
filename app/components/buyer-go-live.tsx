import { Form, Link } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { FlashStatus, type FlashMessage } from "~/components/flash-status";
import { GoLivePreviewPanel } from "~/components/go-live-preview";
import { T, useT } from "~/components/i18n-context";
import { Alert, Button, Card, TextField } from "~/components/ui";
import type { GoLivePreview } from "~/domain/go-live";

/** The buyer page's answer to a go-live post, as far as this card cares. */
export interface BuyerGoLiveResult {
  intent?: string;
  ok: boolean;
  formError?: string;
  fieldErrors?: Partial<Record<string, string[]>>;
  conflict?: { what: string } | null;
  values?: Record<string, string>;
  preview?: GoLivePreview;
}

export const BUYER_GO_LIVE_INTENTS = ["confirm-go-live", "preview-go-live", "propose-go-live"];

/**
 * The buyer's go-live card. A new date is two plain posts, so it works without JavaScript: "Preview
 * the change" shows what moves (and refuses a past or non-working date), then a button named for
 * the date applies it. Confirming the current date is one post, offered only while it is ahead.
 */
export function BuyerGoLive({
  plan,
  today,
  result,
  flash,
}: {
  plan: { id: string; go_live: string; go_live_confirmed_at: string | Date | null; version: number };
  today: string;
  result: BuyerGoLiveResult | undefined;
  /** The status after a confirmed or moved go-live (post/redirect/get, ADR 011). */
  flash: FlashMessage | null;
}) {
  const { t, day } = useT();
  const mine = result && result.intent && BUYER_GO_LIVE_INTENTS.includes(result.intent) ? result : null;
  const failed = mine && !mine.ok ? mine : null;
  const preview = mine?.ok && mine.preview ? { preview: mine.preview, goLive: mine.values?.goLive ?? "", reason: mine.values?.reason ?? "" } : null;
  const values = failed?.intent === "confirm-go-live" ? {} : (mine?.values ?? {});
  const passed = plan.go_live < today;
  // A moved or confirmed go-live comes back through a redirect: the date form starts empty again.
  return (
    <section id="go-live" aria-labelledby="go-live-heading" className="mt-4 space-y-4">
      <Card className="p-4">
        <h2 id="go-live-heading" className="text-base font-semibold text-slate-900">
          {t("goLive.heading")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          <T k="goLive.now" slots={{ date: <DateText iso={plan.go_live} today={today} className="font-medium text-slate-900" /> }} />
        </p>
        {failed ? (
          <div className="mt-3">
            <Alert>
              {failed.formError}
              {failed.conflict ? ` ${t("milestone.theirChange", { what: failed.conflict.what })}` : ""}
            </Alert>
          </div>
        ) : null}
        <FlashStatus flash={flash} target="go-live" className="mt-3" />
        {passed ? <p className="mt-2 text-sm text-amber-800">{t("goLive.passed")}</p> : null}
        <div className="mt-3 flex flex-col gap-4 md:flex-row md:items-end">
          {!plan.go_live_confirmed_at && !passed ? (
            <Form method="post">
              <input type="hidden" name="version" value={plan.version} />
              <Button type="submit" name="intent" value="confirm-go-live">
                {t("goLive.confirm", { date: day(plan.go_live, today) })}
              </Button>
            </Form>
          ) : null}
          <Form method="post" className="flex flex-1 flex-col gap-2 sm:flex-row sm:items-end" noValidate>
            <input type="hidden" name="version" value={plan.version} />
            <TextField
              label={t("goLive.newDate")}
              name="goLive"
              type="date"
              min={today}
              defaultValue={values.goLive ?? ""}
              error={failed?.fieldErrors?.goLive?.[0]}
            />
            <TextField
              label={t("goLive.reason")}
              name="reason"
              className="flex-1"
              placeholder={t("goLive.reasonPlaceholder")}
              defaultValue={values.reason ?? ""}
              error={failed?.fieldErrors?.reason?.[0]}
            />
            <Button type="submit" name="intent" value="preview-go-live" kind="secondary">
              {t("goLive.preview")}
            </Button>
          </Form>
        </div>
      </Card>
      {preview ? (
        <div className="space-y-3">
          <GoLivePreviewPanel preview={preview.preview} today={today} goLive={preview.goLive} audience="buyer" />
          <Form method="post" className="flex flex-wrap items-center gap-3">
            <input type="hidden" name="version" value={plan.version} />
            <input type="hidden" name="goLive" value={preview.goLive} />
            <input type="hidden" name="reason" value={preview.reason} />
            <Button type="submit" name="intent" value="propose-go-live">
              {t("goLive.move", { date: day(preview.goLive, today) })}
            </Button>
            <Link to={`/p/${plan.id}`} className="px-2 py-2 text-sm text-slate-600 hover:underline">
              <T k="goLive.keep" slots={{ date: <DateText iso={plan.go_live} today={today} /> }} />
            </Link>
          </Form>
        </div>
      ) : null}
    </section>
  );
}
