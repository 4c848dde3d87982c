import { describe, expect, it } from "vitest";
import {
  accentCssVariables,
  checkLogo,
  contrastRatio,
  formatRatio,
  LOGO_MAX_BYTES,
  LOGO_MAX_SIDE,
  normaliseHexColour,
  parseAccentColour,
  relativeLuminance,
  sniffImage,
} from "~/domain/branding";

const bytes = (...parts: Array<number[] | string>) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const be16 = (n: number) => [(n >>> 8) & 255, n & 255];
const le16 = (n: number) => [n & 255, (n >>> 8) & 255];
const le24 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255];
const le32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const padded = (b: Uint8Array, length = 64) => {
  const out = new Uint8Array(Math.max(length, b.length));
  out.set(b);
  return out;
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const png = (w: number, h: number) => padded(bytes(PNG_SIGNATURE, be32(13), "IHDR", be32(w), be32(h), [8, 6, 0, 0, 0]));
/** SOI, an APP0 (JFIF) segment to walk past, then a baseline or progressive frame header. */
const jpeg = (w: number, h: number, sof = 0xc0) =>
  padded(bytes([0xff, 0xd8], [0xff, 0xe0], be16(16), "JFIF", [0, 1, 1, 0, 0, 1, 0, 1, 0, 0], [0xff, sof], be16(17), [8], be16(h), be16(w), [3]));
const riff = (chunk: string, payload: number[]) => padded(bytes("RIFF", le32(4 + 8 + payload.length), "WEBP", chunk, le32(payload.length), payload));
const webpLossy = (w: number, h: number) => riff("VP8 ", [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...le16(w), ...le16(h)]);
const webpLossless = (w: number, h: number) => {
  const bits = ((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14);
  return riff("VP8L", [0x2f, ...le32(bits)]);
};
const webpExtended = (w: number, h: number) => riff("VP8X", [0x10, 0, 0, 0, ...le24(w - 1), ...le24(h - 1)]);

describe("accent colour contrast (WCAG 2.x)", () => {
  it("computes luminance and ratios for known pairs", () => {
    expect(relativeLuminance("#ffffff")).toBeCloseTo(1, 6);
    expect(relativeLuminance("#000000")).toBe(0);
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 6);
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 6);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 6);
    // The usual threshold pair: #767676 is the lightest grey that passes AA on white, #777777 just fails.
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(contrastRatio("#ff0000", "#ffffff")).toBeCloseTo(4.0, 2);
    expect(contrastRatio("#0000ff", "#ffffff")).toBeCloseTo(8.59, 2);
  });

  it("rounds a ratio down when it shows it", () => {
    expect(formatRatio(4.4999)).toBe("4.49:1");
    expect(formatRatio(21)).toBe("21.00:1");
  });

  it("reads hex colours in their usual spellings", () => {
    expect(normaliseHexColour("#1D4791")).toBe("#1d4791");
    expect(normaliseHexColour(" 1d4791 ")).toBe("#1d4791");
    expect(normaliseHexColour("#14a")).toBe("#1144aa");
    expect(normaliseHexColour("#12345")).toBeNull();
    expect(normaliseHexColour("red")).toBeNull();
    expect(normaliseHexColour("#ggg")).toBeNull();
  });

  it("accepts a colour readable on white and refuses one that is not, with the ratio and what to do", () => {
    expect(parseAccentColour("#767676")).toEqual({ ok: true, value: "#767676" });
    expect(parseAccentColour("#1D4791")).toEqual({ ok: true, value: "#1d4791" });
    const light = parseAccentColour("#777777");
    expect(light.ok).toBe(false);
    if (!light.ok) {
      expect(light.error).toContain("4.47:1"); // 4.478, rounded down
      expect(light.error).toContain("4.5:1");
      expect(light.error).toContain("Pick a darker colour");
    }
    const yellow = parseAccentColour("#ffd500");
    expect(yellow.ok).toBe(false);
    expect(parseAccentColour("")).toEqual({ ok: false, error: expect.stringContaining("hex code") });
    expect(parseAccentColour("blue")).toEqual({ ok: false, error: expect.stringContaining("not a hex colour") });
  });

  it("recolours the brand scale from the accent", () => {
    const vars = accentCssVariables("#0b6e4f");
    expect(vars["--color-brand-600"]).toBe("#0b6e4f");
    expect(vars["--color-brand-50"]).toContain("#0b6e4f");
    expect(Object.keys(vars).every((k) => k.startsWith("--color-brand-"))).toBe(true);
  });
});

describe("logo sniffing and dimensions", () => {
  it("reads PNG, JPEG (baseline and progressive) and the three WebP kinds from their bytes", () => {
    expect(sniffImage(png(320, 80))).toEqual({ type: "image/png", width: 320, height: 80 });
    expect(sniffImage(jpeg(640, 200))).toEqual({ type: "image/jpeg", width: 640, height: 200 });
    expect(sniffImage(jpeg(300, 100, 0xc2))).toEqual({ type: "image/jpeg", width: 300, height: 100 });
    expect(sniffImage(webpLossy(400, 120))).toEqual({ type: "image/webp", width: 400, height: 120 });
    expect(sniffImage(webpLossless(401, 121))).toEqual({ type: "image/webp", width: 401, height: 121 });
    expect(sniffImage(webpExtended(5000, 3000))).toEqual({ type: "image/webp", width: 5000, height: 3000 });
  });

  it("reads nothing from other files, truncated headers or a JPEG without a frame header", () => {
    expect(sniffImage(bytes("GIF89a", [1, 0, 1, 0]))).toBeNull();
    expect(sniffImage(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffImage(bytes(PNG_SIGNATURE, be32(13), "IHDR"))).toBeNull();
    expect(sniffImage(padded(bytes([0xff, 0xd8, 0xff, 0xda], be16(8))))).toBeNull();
    expect(sniffImage(png(0, 10))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
  });

  it("checks a logo's bytes, type and pixel size, saying what to do", () => {
    expect(checkLogo(png(512, 128))).toEqual({ ok: true, value: { type: "image/png", width: 512, height: 128 } });
    const big = new Uint8Array(LOGO_MAX_BYTES + 1);
    big.set(png(100, 100));
    expect(checkLogo(big)).toEqual({ ok: false, error: expect.stringContaining("at most 512 KB") });
    expect(checkLogo(png(LOGO_MAX_SIDE + 1, 10))).toEqual({ ok: false, error: expect.stringContaining(`${LOGO_MAX_SIDE + 1}×10 pixels`) });
    expect(checkLogo(webpExtended(5000, 3000)).ok).toBe(false);
    expect(checkLogo(bytes('<?xml version="1.0"?><svg/>'))).toEqual({ ok: false, error: expect.stringContaining("SVG logos are not accepted") });
    expect(checkLogo(bytes("%PDF-1.7"))).toEqual({ ok: false, error: expect.stringContaining("not a PNG, JPEG or WebP") });
    expect(checkLogo(new Uint8Array(0))).toEqual({ ok: false, error: "Choose an image file to upload." });
  });
});
