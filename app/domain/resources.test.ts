import { describe, expect, it } from "vitest";
import { describeActivity } from "~/domain/activity";
import {
  attachmentDisposition,
  downloadHeaders,
  MAX_FILE_NAME_LENGTH,
  MEGABYTE,
  OCTET_STREAM,
  parseLinkUrl,
  refusalMessage,
  sanitiseFileName,
  sniffContentType,
  uploadRefusal,
} from "~/domain/resources";

const bytes = (...values: Array<number | string>) => new Uint8Array(values.flatMap((v) => (typeof v === "string" ? [...Buffer.from(v, "latin1")] : [v])));
const text = (value: string) => new Uint8Array(Buffer.from(value, "utf8"));

describe("sniffing a file's type from its first bytes", () => {
  it("recognises the document and image formats by their magic numbers, whatever the name says", () => {
    expect(sniffContentType(bytes("%PDF-1.7\n"), "order form.docx")).toBe("application/pdf");
    expect(sniffContentType(bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0), "logo.pdf")).toBe("image/png");
    expect(sniffContentType(bytes(0xff, 0xd8, 0xff, 0xe0), "photo")).toBe("image/jpeg");
    expect(sniffContentType(bytes("GIF89a", 1, 0), "x.gif")).toBe("image/gif");
    expect(sniffContentType(bytes("RIFF", 0, 0, 0, 0, "WEBPVP8 "), "x.webp")).toBe("image/webp");
  });

  it("names an Office package by its extension only when the ZIP holds one", () => {
    const office = bytes("PK", 3, 4, 20, 0, 0, 0, "[Content_Types].xml");
    expect(sniffContentType(office, "SOW.docx")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(sniffContentType(office, "model.XLSX")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(sniffContentType(office, "deck.pptx")).toBe("application/vnd.openxmlformats-officedocument.presentationml.presentation");
    expect(sniffContentType(bytes("PK", 3, 4, 20, 0, "photos/1.jpg"), "SOW.docx")).toBe("application/zip");
  });

  it("serves text as text and CSV as CSV", () => {
    expect(sniffContentType(text("name,role\nDana,champion\n"), "people.csv")).toBe("text/csv");
    expect(sniffContentType(text("Notes from the call: café ☕\n"), "notes.txt")).toBe("text/plain");
  });

  it("never labels markup or unknown bytes with a type a browser would render", () => {
    expect(sniffContentType(text("<!doctype html><script>alert(1)</script>"), "contract.pdf")).toBe(OCTET_STREAM);
    expect(sniffContentType(text('\ufeff  <svg xmlns="http://www.w3.org/2000/svg"/>'), "logo.svg")).toBe(OCTET_STREAM);
    expect(sniffContentType(bytes(0x4d, 0x5a, 0x90, 0, 3, 0), "setup.pdf")).toBe(OCTET_STREAM);
    expect(sniffContentType(new Uint8Array(), "empty.txt")).toBe(OCTET_STREAM);
  });
});

describe("sanitising a file's name", () => {
  it("keeps the last path segment only, without control or direction characters", () => {
    expect(sanitiseFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitiseFileName("C:\\Users\\dana\\DPA signed.pdf")).toBe("DPA signed.pdf");
    expect(sanitiseFileName("invoice\u202efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitiseFileName("a\u0000b\r\nc.txt")).toBe("abc.txt");
  });

  it("drops leading dots and characters Windows refuses, and never returns nothing", () => {
    expect(sanitiseFileName(".htaccess")).toBe("htaccess");
    expect(sanitiseFileName("...")).toBe("file");
    expect(sanitiseFileName("")).toBe("file");
    expect(sanitiseFileName('what? "final" <v2>.docx')).toBe("what_ _final_ _v2_.docx");
  });

  it("shortens a long name and keeps its extension", () => {
    const name = sanitiseFileName(`${"é".repeat(300)}.pdf`);
    expect([...name]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith(".pdf")).toBe(true);
  });
});

describe("upload limits", () => {
  const limits = { fileBytes: 25 * MEGABYTE, orgQuotaBytes: 100 * MEGABYTE };

  it("refuses a file over the size limit and one that would pass the organisation's quota", () => {
    expect(uploadRefusal(25 * MEGABYTE, 0, limits)).toBeNull();
    expect(uploadRefusal(25 * MEGABYTE + 1, 0, limits)).toEqual({ kind: "too-large", limitBytes: 25 * MEGABYTE });
    expect(uploadRefusal(MEGABYTE, 99 * MEGABYTE, limits)).toBeNull();
    expect(uploadRefusal(MEGABYTE + 1, 99 * MEGABYTE, limits)).toMatchObject({ kind: "over-quota" });
  });

  it("says what to do in words", () => {
    expect(refusalMessage({ kind: "too-large", limitBytes: 25 * MEGABYTE })).toContain("larger than 25 MB");
    expect(refusalMessage({ kind: "over-quota", quotaBytes: 100 * MEGABYTE, usedBytes: 99 * MEGABYTE })).toContain("Remove files");
  });
});

describe("downloads", () => {
  it("are attachments with the name in UTF-8 and an ASCII fallback without quotes", () => {
    expect(attachmentDisposition('Angebot "Müller" (v2).pdf')).toBe(
      `attachment; filename="Angebot _M_ller_ (v2).pdf"; filename*=UTF-8''Angebot%20%22M%C3%BCller%22%20%28v2%29.pdf`,
    );
  });

  it("are never sniffed and are sandboxed", () => {
    const headers = downloadHeaders({ file_name: "a.pdf", content_type: "application/pdf", size_bytes: 10 });
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Content-Security-Policy"]).toBe("default-src 'none'; sandbox");
    expect(headers["Content-Disposition"].startsWith("attachment;")).toBe(true);
    expect(headers["Content-Length"]).toBe("10");
  });
});

describe("links", () => {
  it("take https addresses only", () => {
    expect(parseLinkUrl(" https://docs.example.com/sow ")).toEqual({ ok: true, url: "https://docs.example.com/sow" });
    expect(parseLinkUrl("http://docs.example.com").ok).toBe(false);
    expect(parseLinkUrl("javascript:alert(1)").ok).toBe(false);
    expect(parseLinkUrl("docs.example.com").ok).toBe(false);
    expect(parseLinkUrl("https://user:pw@docs.example.com").ok).toBe(false);
  });
});

describe("resource events in the activity", () => {
  it("read as sentences naming the file and the milestone", () => {
    const event = (action: string, changes: Record<string, { before: unknown; after: unknown }>, subject: string | null = "Security review") =>
      describeActivity({ action, actorName: "Dana Lee", actorSide: "buyer", subject, changes, reason: null });
    expect(event("resource.added", { title: { before: null, after: "DPA" }, file_name: { before: null, after: "dpa.pdf" } })).toBe(
      "Dana Lee (buyer) uploaded “DPA” on “Security review”",
    );
    expect(event("resource.version_added", { title: { before: null, after: "DPA" }, version: { before: 1, after: 2 } })).toBe(
      "Dana Lee (buyer) uploaded version 2 of “DPA” on “Security review”",
    );
    expect(event("resource.added", { title: { before: null, after: "SOW" }, url: { before: null, after: "https://x.example" } }, null)).toBe(
      "Dana Lee (buyer) shared the link “SOW”",
    );
    expect(event("resource.removed", { title: { before: "DPA", after: null } }, null)).toBe("Dana Lee (buyer) removed “DPA”");
    expect(event("resource.downloaded", { title: { before: null, after: "DPA" }, version: { before: null, after: 1 } })).toBe(
      "Dana Lee (buyer) downloaded “DPA” (version 1) on “Security review”",
    );
  });
});
