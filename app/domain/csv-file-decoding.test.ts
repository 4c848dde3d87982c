import { describe, expect, it } from "vitest";
import { decodeCsvBytes } from "~/domain/csv-file-decoding";

describe("decodeCsvBytes", () => {
  it("reads UTF-8, UTF-16 with a BOM and Windows-1252", () => {
    expect(decodeCsvBytes(new TextEncoder().encode("title\nRésumé"))).toEqual({ ok: true, text: "title\nRésumé" });
    const utf16 = new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0xe9, 0x00]);
    expect(decodeCsvBytes(utf16)).toEqual({ ok: true, text: "Aé" });
    expect(decodeCsvBytes(new Uint8Array([0x52, 0xe9, 0x73]))).toEqual({ ok: true, text: "Rés" });
  });

  it("refuses a spreadsheet workbook and binary files with advice", () => {
    const xlsx = decodeCsvBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    expect(xlsx.ok).toBe(false);
    expect(!xlsx.ok && xlsx.message).toMatch(/CSV UTF-8/);
    expect(decodeCsvBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])).ok).toBe(false);
  });
});
