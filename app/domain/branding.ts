/**
 * An organisation's branding on its buyers' pages and emails (ADR 039): an accent colour that
 * stays readable, and a raster logo whose type and size are read from its own bytes. Pure: the
 * caller hands in the colour as typed and the file's bytes.
 */

import type { Parsed } from "~/domain/holiday-calendar";

/** Body text and white text on a button both need this against white (WCAG 2.x AA, normal text). */
export const AA_NORMAL_TEXT = 4.5;
export const LOGO_MAX_BYTES = 512 * 1024;
/** Per side: a header logo never needs more, and a small file can still declare a huge canvas. */
export const LOGO_MAX_SIDE = 2048;
export const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

/** "#1D4791", "1d4791" or "#14a" → "#1d4791"; null when it is not a hex colour. */
export function normaliseHexColour(input: string): string | null {
  const hex = input.trim().replace(/^#/, "").toLowerCase();
  if (/^[0-9a-f]{6}$/.test(hex)) return `#${hex}`;
  if (/^[0-9a-f]{3}$/.test(hex)) return `#${[...hex].map((c) => c + c).join("")}`;
  return null;
}

/** WCAG 2.x relative luminance of a normalised "#rrggbb". */
export function relativeLuminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Rounded down, so a colour just short of the threshold never reads as "4.50:1" and refused. */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}

/** The accent as typed, checked: a hex colour readable on white (and white readable on it). */
export function parseAccentColour(input: string): Parsed<string> {
  if (!input.trim()) return { ok: false, error: "Enter a colour as a hex code, e.g. #1d4791." };
  const hex = normaliseHexColour(input);
  if (!hex) return { ok: false, error: `"${input.trim().slice(0, 20)}" is not a hex colour: use six digits 0–9 and a–f, e.g. #1d4791.` };
  const ratio = contrastRatio(hex, "#ffffff");
  if (ratio < AA_NORMAL_TEXT) {
    return {
      ok: false,
      error: `${hex} has a contrast of ${formatRatio(ratio)} against white; text needs at least ${AA_NORMAL_TEXT}:1 (WCAG AA). Pick a darker colour.`,
    };
  }
  return { ok: true, value: hex };
}

/**
 * CSS custom properties that recolour the app's brand scale (Tailwind's `--color-brand-*`) from one
 * accent: buttons and links take the accent itself, hover a shade darker, tints a wash of it.
 */
export function accentCssVariables(accent: string): Record<string, string> {
  return {
    "--color-brand-50": `color-mix(in srgb, ${accent} 8%, white)`,
    "--color-brand-100": `color-mix(in srgb, ${accent} 18%, white)`,
    "--color-brand-500": accent,
    "--color-brand-600": accent,
    "--color-brand-700": `color-mix(in srgb, ${accent} 80%, black)`,
  };
}

/** Where a logo is served: its organisation and content hash, so the address changes with the file. */
export function logoPath(orgId: string, sha256: string): string {
  return `/logo/${orgId}/${sha256}`;
}

export interface LogoImage {
  type: LogoType;
  width: number;
  height: number;
}

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/** PNG: the signature, then the IHDR chunk always first. */
function pngSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 24 || ascii(b, 12, 4) !== "IHDR") return null;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** JPEG: walk the marker segments to the first start-of-frame. */
function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let at = 2;
  while (at + 3 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    // The image data (or its end) came before any frame header.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = u16be(b, at + 2);
    if (length < 2) return null;
    if (JPEG_SOF.has(marker)) {
      if (at + 9 > b.length) return null;
      return { width: u16be(b, at + 7), height: u16be(b, at + 5) };
    }
    at += 2 + length;
  }
  return null;
}

/** WebP: a RIFF container whose first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended). */
function webpSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 30) return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8X") return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (chunk === "VP8 ") {
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === "VP8L") {
    if (b[20] !== 0x2f) return null;
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return null;
}

/** The image type from the file's first bytes (never from its name or the browser's word), and its size from the header. */
export function sniffImage(bytes: Uint8Array): LogoImage | null {
  let type: LogoType | null = null;
  let size: { width: number; height: number } | null = null;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    type = "image/png";
    size = pngSize(bytes);
  } else if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    type = "image/jpeg";
    size = jpegSize(bytes);
  } else if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") {
    type = "image/webp";
    size = webpSize(bytes);
  }
  if (!type || !size || size.width === 0 || size.height === 0) return null;
  return { type, ...size };
}

/** A logo upload, checked: size in bytes, type from its bytes, pixel dimensions from its header. */
export function checkLogo(bytes: Uint8Array): Parsed<LogoImage> {
  if (bytes.length === 0) return { ok: false, error: "Choose an image file to upload." };
  if (bytes.length > LOGO_MAX_BYTES) {
    return { ok: false, error: `That file is ${kilobytes(bytes.length)}; a logo may be at most ${kilobytes(LOGO_MAX_BYTES)}. Export it smaller.` };
  }
  const image = sniffImage(bytes);
  if (!image) {
    const looksLikeSvg = /^\s*(<\?xml|<svg|<!--)/i.test(ascii(bytes, 0, Math.min(bytes.length, 64)));
    return {
      ok: false,
      error: looksLikeSvg
        ? "SVG logos are not accepted (an SVG can carry scripts): export it as a PNG, JPEG or WebP."
        : "That file is not a PNG, JPEG or WebP image: export the logo in one of those.",
    };
  }
  if (image.width > LOGO_MAX_SIDE || image.height > LOGO_MAX_SIDE) {
    return {
      ok: false,
      error: `That image is ${image.width}×${image.height} pixels; a logo may be at most ${LOGO_MAX_SIDE} pixels on each side. Scale it down.`,
    };
  }
  return { ok: true, value: image };
}

function kilobytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString("en-US")} KB`;
}
