import { sql, type RawBuilder } from "kysely";
import { logoPath, type LogoImage } from "~/domain/branding";
import { sha256Hex } from "~/infra/event-chain.server";
import type { Conn } from "~/models/conn";

/*
 * An organisation's accent colour and logo (ADR 039). The settings page and the logo route read
 * and write here; the buyer's page folds `brandingJson` into its one statement, and plan emails
 * read `emailBrandOf` where they are rendered.
 */

export interface StoredBranding {
  accent: string | null;
  /** `path` is where the logo is served (its content hash in the address). */
  logo: { sha256: string; path: string; type: string; width: number; height: number } | null;
}

export async function getBranding(db: Conn, orgId: string): Promise<StoredBranding> {
  const row = await db
    .selectFrom("organisation_branding")
    .select(["accent_colour", "logo_type", "logo_sha256", "logo_width", "logo_height"])
    .where("org_id", "=", orgId)
    .executeTakeFirst();
  return {
    accent: row?.accent_colour ?? null,
    logo:
      row?.logo_sha256 && row.logo_type && row.logo_width && row.logo_height
        ? { sha256: row.logo_sha256, path: logoPath(orgId, row.logo_sha256), type: row.logo_type, width: row.logo_width, height: row.logo_height }
        : null,
  };
}

/**
 * What a save changes; a key left out stays as it is. `accent: null` goes back to the app's own
 * colour, `logo: null` takes the logo away. Both arrive checked (app/domain/branding.ts).
 */
export interface BrandingChange {
  accent?: string | null;
  logo?: { bytes: Uint8Array; image: LogoImage } | null;
}

export async function saveBranding(db: Conn, orgId: string, change: BrandingChange, now: Date): Promise<void> {
  const values = {
    ...(change.accent !== undefined ? { accent_colour: change.accent } : {}),
    ...(change.logo !== undefined
      ? {
          logo: change.logo ? Buffer.from(change.logo.bytes) : null,
          logo_type: change.logo?.image.type ?? null,
          logo_sha256: change.logo ? sha256Hex(change.logo.bytes) : null,
          logo_width: change.logo?.image.width ?? null,
          logo_height: change.logo?.image.height ?? null,
        }
      : {}),
    updated_at: now,
  };
  await db
    .insertInto("organisation_branding")
    .values({ org_id: orgId, ...values })
    .onConflict((oc) => oc.column("org_id").doUpdateSet(values))
    .execute();
}

/** The organisation's current logo when `sha256` names it; an old or unknown address finds nothing. */
export async function getLogo(db: Conn, orgId: string, sha256: string): Promise<{ bytes: Uint8Array; type: string } | undefined> {
  const row = await db
    .selectFrom("organisation_branding")
    .select(["logo", "logo_type"])
    .where("org_id", "=", orgId)
    .where("logo_sha256", "=", sha256)
    .executeTakeFirst();
  return row?.logo && row.logo_type ? { bytes: row.logo, type: row.logo_type } : undefined;
}

/** For a page's single statement: the organisation's accent and logo hash as json, or null. */
export function brandingJson(org: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(select json_build_object('accent', br.accent_colour, 'logo_sha256', br.logo_sha256) from organisation_branding br where br.org_id = ${org})`;
}

export interface BrandingJson {
  accent: string | null;
  logo_sha256: string | null;
}

/** The accent and the logo's path from what `brandingJson` read. */
export function readBrandingJson(orgId: string, json: BrandingJson | null): { accent: string | null; logoPath: string | null } {
  return { accent: json?.accent ?? null, logoPath: json?.logo_sha256 ? logoPath(orgId, json.logo_sha256) : null };
}

/** An email's branding: the accent, and the logo as an absolute address (mail clients fetch it from us). */
export async function emailBrandOf(db: Conn, orgId: string, baseUrl: string): Promise<{ accent: string | null; logoUrl: string | null }> {
  const { accent, logo } = await getBranding(db, orgId);
  return { accent, logoUrl: logo ? `${baseUrl}${logo.path}` : null };
}
