import { describe, expect, it } from "vitest";
import { acceptedEncodings, negotiateLocale } from "~/infra/negotiate.server";

describe("negotiateLocale", () => {
  it.each([
    ["de", "de"],
    ["de-AT", "de"],
    ["de-CH,de;q=0.9,en;q=0.8", "de"],
    ["fr-CA,fr;q=0.9", "fr"],
    ["es-MX", "es"],
    ["en-GB,en;q=0.9", "en"],
    // q-values win over order; equal q keeps the header's order.
    ["en;q=0.5,de;q=0.8", "de"],
    ["it,fr;q=0.7,de;q=0.7", "fr"],
    // Unknown languages are skipped; q=0 refuses one.
    ["it-IT,it;q=0.9,es;q=0.4", "es"],
    ["de;q=0,fr;q=0.1", "fr"],
    ["*", "en"],
    ["  DE-de ; q=1 ", "de"],
  ])("%s → %s", (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });

  it.each([[null], [""], ["it,pt;q=0.8"], ["de;q=0"], ["garbage;;;"]])("%s → none of ours", (header) => {
    expect(negotiateLocale(header)).toBeNull();
  });
});

describe("acceptedEncodings", () => {
  const ours = ["br", "gzip"] as const;
  it("prefers brotli, then gzip, and honours q=0", () => {
    expect(acceptedEncodings("gzip, deflate, br, zstd", ours)).toEqual(["br", "gzip"]);
    expect(acceptedEncodings("gzip", ours)).toEqual(["gzip"]);
    expect(acceptedEncodings("br;q=0, gzip;q=0.5", ours)).toEqual(["gzip"]);
    expect(acceptedEncodings(undefined, ours)).toEqual([]);
    expect(acceptedEncodings("identity", ours)).toEqual([]);
  });
});
