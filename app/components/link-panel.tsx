import { Form } from "@remix-run/react";
import { DateText } from "~/components/date-text";
import { FlashStatus, type FlashMessage } from "~/components/flash-status";
import { Badge, Button } from "~/components/ui";
import { sameName } from "~/domain/buyer-devices";
import { formatDay, formatRelative } from "~/domain/dates";
import { expiresBeforeGoLive, LINK_DAY_CHOICES, linkDaysToOutlast } from "~/domain/share-links";
import { plural } from "~/domain/words";

type DeviceRow = { name: string; email: string; created_at: Date | string; expires_at: Date | string };
type LinkRow = {
  id: string;
  state: "active" | "expired" | "revoked";
  expires_at: Date | string;
  first_visit_at: Date | string | null;
  last_visit_at: Date | string | null;
  visit_count: number;
  edits: number | string | null;
  devices: DeviceRow[];
};

const TONE = { active: "green", expired: "amber", revoked: "slate" } as const;

const isoDay = (at: Date | string) => new Date(at).toISOString().slice(0, 10);

/**
 * Who opened the person's link, one line per device: a link opens for whoever holds it, so a name
 * other than the person's (a forwarded link) is marked for the rep to see.
 */
function LinkDevices({ owner, devices, now }: { owner: { name: string; email: string }; devices: DeviceRow[]; now: Date }) {
  if (!devices.length) return null;
  return (
    <div>
      <p>{`Opened on ${plural(devices.length, "device")}:`}</p>
      <ul className="mt-0.5 space-y-0.5 pl-3">
        {devices.map((d, i) => {
          const other = !sameName(d.name, owner.name);
          return (
            <li key={`${String(d.created_at)}-${i}`}>
              <span className={other ? "font-medium text-slate-900" : undefined}>{d.name}</span>
              {other || d.email !== owner.email ? ` (${d.email})` : ""}
              {other ? (
                <>
                  {" "}
                  <Badge tone="amber" title={`Typed on a device that opened ${owner.name}'s link`}>{`Not ${owner.name}`}</Badge>
                </>
              ) : null}
              {` · ${formatRelative(new Date(d.created_at), now)}`}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/**
 * One buyer's link on the rep's people card. A person has at most one live link: "Replace link"
 * replaces it (ADR 012). A live link that stops before go-live is flagged, with a renewal sized to
 * carry it past go-live; a new link's validity defaults to one that does.
 */
export function LinkPanel({
  stakeholderId,
  owner,
  links,
  flash,
  goLive,
  today,
  now,
  busy,
}: {
  stakeholderId: string;
  owner: { name: string; email: string };
  links: LinkRow[];
  flash: FlashMessage | null;
  goLive: string;
  today: string;
  now: string;
  busy: boolean;
}) {
  const active = links.find((l) => l.state === "active");
  const latest = active ?? links[0];
  const nowDate = new Date(now);
  const lapses = active ? expiresBeforeGoLive(active.expires_at, goLive) : false;
  const outlast = linkDaysToOutlast(goLive, nowDate, 90);
  const renewDays = linkDaysToOutlast(goLive, nowDate);
  const renewUntil = isoDay(new Date(nowDate.getTime() + renewDays * 86_400_000));
  const renewReaches = !expiresBeforeGoLive(renewUntil, goLive);
  return (
    <div className="mt-1.5 space-y-1.5 text-xs text-slate-600">
      <FlashStatus flash={flash} target={`link:${stakeholderId}`} className="p-2 text-xs font-medium">
        {flash?.url ? (
          <input
            readOnly
            value={flash.url}
            aria-label="New buyer link"
            className="mt-1 block w-full rounded border-0 bg-white px-2 py-1 font-mono text-[11px] font-normal ring-1 ring-emerald-200"
          />
        ) : null}
      </FlashStatus>
      {latest ? (
        <p>
          <Badge tone={TONE[latest.state]}>Link {latest.state}</Badge>{" "}
          {latest.state === "active" ? (
            <>
              until <DateText iso={isoDay(latest.expires_at)} today={today} /> ·{" "}
            </>
          ) : null}
          {latest.visit_count
            ? `${plural(latest.visit_count, "visit")} · first ${formatRelative(new Date(latest.first_visit_at!), nowDate)}, last ${formatRelative(new Date(latest.last_visit_at!), nowDate)}`
            : "not opened yet"}
          {Number(latest.edits) ? ` · ${plural(Number(latest.edits), "edit")}` : ""}
        </p>
      ) : (
        <p>No link yet.</p>
      )}
      {latest ? <LinkDevices owner={owner} devices={latest.devices} now={nowDate} /> : null}
      {active && lapses ? (
        <div className="rounded-md bg-amber-50 p-2 text-amber-900 ring-1 ring-amber-200">
          <p>
            This link stops working on <DateText iso={isoDay(active.expires_at)} today={today} className="font-medium" />, before go-live on{" "}
            <DateText iso={goLive} today={today} className="font-medium" />.
          </p>
          <Form method="post" preventScrollReset className="mt-1.5">
            <input type="hidden" name="linkId" value={active.id} />
            <input type="hidden" name="days" value={renewDays} />
            <Button type="submit" name="intent" value="renew-link" kind="secondary" className="px-2 py-0.5 text-xs" disabled={busy}>
              {`Renew until ${formatDay(renewUntil, today)}`}
            </Button>
            {renewReaches ? null : <span className="ml-2">Go-live is more than a year away: renew again nearer the time.</span>}
          </Form>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-1">
        {active ? (
          <>
            {lapses ? null : (
              <Form method="post" preventScrollReset className="flex items-center gap-1">
                <input type="hidden" name="linkId" value={active.id} />
                <input type="hidden" name="days" value="90" />
                <Button type="submit" name="intent" value="renew-link" kind="ghost" className="px-2 py-0.5 text-xs" disabled={busy}>
                  Renew 90 days
                </Button>
              </Form>
            )}
            <Form method="post" preventScrollReset>
              <input type="hidden" name="linkId" value={active.id} />
              <Button type="submit" name="intent" value="revoke-link" kind="ghost" className="px-2 py-0.5 text-xs text-red-700" disabled={busy}>
                Revoke
              </Button>
            </Form>
          </>
        ) : null}
        <Form method="post" preventScrollReset className="flex items-center gap-1">
          <input type="hidden" name="stakeholderId" value={stakeholderId} />
          <label className="sr-only" htmlFor={`days-${stakeholderId}`}>
            Link valid for
          </label>
          <select
            id={`days-${stakeholderId}`}
            name="days"
            defaultValue={String(outlast)}
            className="rounded border-0 py-0.5 pl-1.5 pr-6 text-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
          >
            {LINK_DAY_CHOICES.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
          <Button
            type="submit"
            name="intent"
            value="create-link"
            kind="secondary"
            className="px-2 py-0.5 text-xs"
            disabled={busy}
            title={active ? "Sends a new link and turns the current one off" : undefined}
          >
            {active ? "Replace link" : "Create link"}
          </Button>
        </Form>
      </div>
    </div>
  );
}
