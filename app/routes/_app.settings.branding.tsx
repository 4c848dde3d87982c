import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { CSSProperties } from "react";
import { FlashStatus, useResetKey } from "~/components/flash-status";
import { Alert, Button, Card, PageHeader, TextField } from "~/components/ui";
import { AA_NORMAL_TEXT, accentCssVariables, checkLogo, LOGO_MAX_BYTES, LOGO_MAX_SIDE, parseAccentColour } from "~/domain/branding";
import { getBranding, saveBranding, type BrandingChange } from "~/models/branding.server";
import { redirectWithFlash, takeFlash } from "~/route-helpers/flash.server";
import { requireAdmin } from "~/route-helpers/guards.server";

export const meta: MetaFunction = () => [{ title: "Branding · Plan Together" }];

const PAGE = "/settings/branding";
const FLASH_TARGET = "branding";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  const branding = await getBranding(context.db, admin.orgId);
  const { flash, headers } = takeFlash(context, request, PAGE);
  return data(
    {
      organisation: admin.organisation.name,
      accent: branding.accent,
      logo: branding.logo,
      flash,
    },
    { headers },
  );
}

type Errors = Partial<Record<"accent" | "logo" | "form", string>>;

const refuse = (accent: string, errors: Errors) => data({ values: { accent }, errors }, { status: 400 });

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const typedAccent = typeof form.get("accent") === "string" ? String(form.get("accent")).slice(0, 100) : "";
  let change: BrandingChange;
  let message: string;
  if (intent === "save") {
    const errors: Errors = {};
    change = {};
    if (typedAccent.trim()) {
      const accent = parseAccentColour(typedAccent);
      if (accent.ok) change.accent = accent.value;
      else errors.accent = accent.error;
    } else {
      change.accent = null;
    }
    // A form posted without a file keeps the logo there is; a browser sends an empty part for it.
    const file = form.get("logo");
    if (file && typeof file !== "string" && file.size > 0) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const logo = checkLogo(bytes);
      if (logo.ok) change.logo = { bytes, image: logo.value };
      else errors.logo = `${logo.error} Choose the file again.`;
    }
    if (errors.accent || errors.logo) return refuse(typedAccent, errors);
    message = "Branding saved: your buyers see it on their next visit and in their next email.";
  } else if (intent === "remove-logo") {
    change = { logo: null };
    message = "Logo removed: buyers see the Plan Together name again.";
  } else if (intent === "reset-colour") {
    change = { accent: null };
    message = "Colour reset to the Plan Together blue.";
  } else {
    return refuse(typedAccent, { form: "Unknown action; reload the page and try again." });
  }
  await saveBranding(context.db, admin.orgId, change, context.now);
  return redirectWithFlash(context, PAGE, { target: FLASH_TARGET, message });
}

export default function BrandingSettings() {
  const { organisation, accent, logo, flash } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const formKey = useResetKey(flash, FLASH_TARGET);
  const errors: Errors = result?.errors ?? {};
  const preview = accent ? (accentCssVariables(accent) as CSSProperties) : undefined;

  return (
    <>
      <PageHeader title="Branding" subtitle={`Your logo and colour on the pages and emails ${organisation}'s buyers see.`} />
      <FlashStatus flash={flash} target={FLASH_TARGET} className="mb-4" />
      {errors.form ? (
        <div className="mb-4">
          <Alert>{errors.form}</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="p-4 lg:col-span-2">
          <Form key={formKey} method="post" encType="multipart/form-data" className="space-y-5" noValidate>
            <input type="hidden" name="intent" value="save" />
            <TextField
              label="Accent colour"
              name="accent"
              maxLength={20}
              placeholder="#1d4791"
              autoComplete="off"
              spellCheck={false}
              defaultValue={result ? result.values.accent : (accent ?? "")}
              error={errors.accent}
              autoFocus={Boolean(errors.accent)}
              hint={`A hex code for buttons, links and the header rule. It must reach ${AA_NORMAL_TEXT}:1 contrast on white, so text stays readable. Leave empty for the Plan Together blue.`}
            />
            <TextField
              label={logo ? "Replace the logo" : "Logo"}
              name="logo"
              type="file"
              accept="image/png,image/jpeg,image/webp"
              error={errors.logo}
              autoFocus={Boolean(errors.logo) && !errors.accent}
              hint={`PNG, JPEG or WebP, at most ${LOGO_MAX_BYTES / 1024} KB and ${LOGO_MAX_SIDE} pixels on each side; a wide logo about 64 pixels high looks best. SVG is not accepted.`}
            />
            <Button type="submit" disabled={busy}>
              Save branding
            </Button>
          </Form>
        </Card>

        <div className="space-y-6">
          <Card className="p-4">
            <h2 className="text-base font-semibold text-slate-900">What buyers see</h2>
            <div className="mt-3 overflow-hidden rounded-md ring-1 ring-slate-200" style={preview}>
              <div
                className={
                  preview
                    ? "flex items-center gap-2 border-b-2 border-brand-600 bg-white px-3 py-2"
                    : "flex items-center gap-2 border-b border-slate-200 bg-white px-3 py-2"
                }
              >
                {logo ? (
                  <img src={logo.path} alt={organisation} width={logo.width} height={logo.height} className="h-8 w-auto max-w-40 object-contain" />
                ) : (
                  <span className="text-sm font-semibold text-slate-900">Plan Together</span>
                )}
              </div>
              <div className="flex flex-wrap items-center gap-3 bg-slate-50 px-3 py-3">
                <span className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white">Mark done</span>
                <span className="text-sm font-medium text-brand-700 underline">Add a colleague</span>
              </div>
            </div>
            <p className="mt-2 text-xs text-slate-500">
              {accent ? `Accent ${accent}.` : "The Plan Together blue."} {logo ? `Logo ${logo.width}×${logo.height} pixels.` : "No logo yet."}
            </p>
          </Card>
          {logo || accent ? (
            <Card className="p-4">
              <h2 className="text-base font-semibold text-slate-900">Back to the defaults</h2>
              {/* The pressed button's name and value say which: no script needed. */}
              <Form method="post" className="mt-3 flex flex-wrap gap-3">
                {logo ? (
                  <Button type="submit" name="intent" value="remove-logo" kind="danger" disabled={busy}>
                    Remove logo
                  </Button>
                ) : null}
                {accent ? (
                  <Button type="submit" name="intent" value="reset-colour" kind="secondary" disabled={busy}>
                    Reset colour
                  </Button>
                ) : null}
              </Form>
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
