/* The bytes of an uploaded CSV file, as text. */

/**
 * Decodes an uploaded file: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode
 * text"), else Windows-1252 (Excel's classic "CSV (Comma delimited)" on Windows). Refuses a
 * spreadsheet workbook or other binary file with a message that says what to do instead.
 */
export function decodeCsvBytes(bytes: Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return {
      ok: false,
      message: "This is a spreadsheet workbook (.xlsx or .ods), not a CSV file. Save or export it as “CSV UTF-8 (comma delimited)” and upload that.",
    };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: new TextDecoder("utf-16le").decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: new TextDecoder("utf-16be").decode(bytes.subarray(2)) };
  if (bytes.includes(0)) {
    return { ok: false, message: "This file isn't text. Upload a CSV file (in a spreadsheet: File › Save as › CSV)." };
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: true, text: new TextDecoder("windows-1252").decode(bytes) };
  }
}
