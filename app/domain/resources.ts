/*
 * Files and links on a plan (issue 22, ADR 035): what a stored file is called, what its bytes say
 * it is, and how big it may be. Pure: the upload and download code in the models and routes calls
 * these with the bytes it has in hand.
 */
import { ENGLISH } from "~/domain/i18n/english";
import type { Translator } from "~/domain/i18n/translate";

export const MEGABYTE = 1024 * 1024;

export interface UploadLimits {
  /** The largest file one upload may carry. */
  fileBytes: number;
  /** All the versions of all the files of one organisation, together. */
  orgQuotaBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { fileBytes: 25 * MEGABYTE, orgQuotaBytes: 2048 * MEGABYTE };

/** Bytes in one stored chunk: a download reads, and an upload holds, one of these at a time. */
export const CHUNK_BYTES = 256 * 1024;

/** How many first bytes the type is sniffed from. */
export const SNIFF_BYTES = 4096;

export const MAX_FILE_NAME_LENGTH = 120;

/** "25 MB", "300 kB": limits as a person reads them. */
/** A size in the unit it reads best in (the value rounded as shown), for a page to word in its reader's language. */
export function byteSize(bytes: number): { unit: "MB" | "kB" | "bytes"; value: number } {
  if (bytes >= MEGABYTE) return { unit: "MB", value: Number((bytes / MEGABYTE).toFixed(1)) };
  if (bytes >= 1024) return { unit: "kB", value: Math.round(bytes / 1024) };
  return { unit: "bytes", value: bytes };
}

export function describeBytes(bytes: number): string {
  if (bytes >= MEGABYTE) return `${Number((bytes / MEGABYTE).toFixed(1)).toString()} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

export type UploadRefusal = { kind: "too-large"; limitBytes: number } | { kind: "over-quota"; quotaBytes: number; usedBytes: number } | { kind: "empty" };

/** Why an upload of `bytes` so far must stop, or null while it may go on. */
export function uploadRefusal(bytes: number, usedByOrg: number, limits: UploadLimits): UploadRefusal | null {
  if (bytes > limits.fileBytes) return { kind: "too-large", limitBytes: limits.fileBytes };
  if (usedByOrg + bytes > limits.orgQuotaBytes) return { kind: "over-quota", quotaBytes: limits.orgQuotaBytes, usedBytes: usedByOrg };
  return null;
}

export function refusalMessage(refusal: UploadRefusal): string {
  switch (refusal.kind) {
    case "too-large":
      return `That file is larger than ${describeBytes(refusal.limitBytes)}. Upload a smaller file, or share a link to it instead.`;
    case "over-quota":
      return `Your organisation's files would take more than its ${describeBytes(refusal.quotaBytes)} of storage (${describeBytes(refusal.usedBytes)} used). Remove files you no longer need, or share a link instead.`;
    case "empty":
      return "That file is empty. Choose the file again and upload it.";
  }
}

/** Control characters, and the direction marks that make "invoice\u202efdp.exe" read as "invoiceexe.pdf". */
function unsafeCharacter(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f) || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/** A control character other than tab and line breaks: a text file has none. */
function binaryCharacter(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || cp === 0x7f;
}

const RESERVED_CHARACTERS = /[<>:"|?*]/g;

/**
 * A file name safe to store, show and send back in Content-Disposition: the last path segment
 * only, no control or direction characters, no characters Windows refuses, no leading dots (a
 * hidden file), and at most MAX_FILE_NAME_LENGTH characters with the extension kept.
 */
export function sanitiseFileName(raw: string): string {
  const lastSegment = raw.split(/[/\\]/).pop() ?? "";
  let name = [...lastSegment]
    .filter((c) => !unsafeCharacter(c))
    .join("")
    .normalize("NFC")
    .replace(RESERVED_CHARACTERS, "_")
    .replace(/\s+/g, " ")
    .trim();
  name = name.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (!name) return "file";
  const chars = [...name];
  if (chars.length <= MAX_FILE_NAME_LENGTH) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : "";
  const stem = [...name.slice(0, name.length - extension.length)]
    .slice(0, MAX_FILE_NAME_LENGTH - [...extension].length)
    .join("")
    .trimEnd();
  return `${stem}${extension}`;
}

export function fileExtension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

export const OCTET_STREAM = "application/octet-stream";

const OFFICE_TYPES: Record<string, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
};

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((b, i) => head[offset + i] === b);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

function containsAscii(head: Uint8Array, text: string): boolean {
  const needle = ascii(text);
  outer: for (let i = 0; i + needle.length <= head.length; i++) {
    for (let j = 0; j < needle.length; j++) if (head[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Text we serve as text: valid UTF-8 with no control characters but tab and line breaks, and not
 * markup (anything opening with `<` is HTML, SVG or XML to some browser, and is refused the label).
 */
function plainText(head: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  if ([...text].some(binaryCharacter)) return false;
  return !/^\ufeff?\s*</.test(text);
}

/**
 * The content type a file's first bytes prove (the name only picks between types the bytes
 * allow: a ZIP's Office flavour, CSV or plain text). What the bytes do not prove is
 * application/octet-stream: stored and downloadable, never given a type a browser would render.
 */
export function sniffContentType(head: Uint8Array, fileName: string): string {
  const extension = fileExtension(fileName);
  if (startsWith(head, ascii("%PDF-"))) return "application/pdf";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"))) return "image/gif";
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    // An Office Open XML package names its parts in the first entries.
    const office = OFFICE_TYPES[extension];
    if (office && containsAscii(head, "[Content_Types].xml")) return office;
    return "application/zip";
  }
  if (head.length > 0 && plainText(head)) return extension === "csv" ? "text/csv" : "text/plain";
  return OCTET_STREAM;
}

/** Content-Disposition for a download: always an attachment, the name in UTF-8 and an ASCII fallback. */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The headers every download carries: never rendered, never sniffed, sandboxed if opened anyway. */
export function downloadHeaders(version: { file_name: string; content_type: string; size_bytes: number }): Record<string, string> {
  return {
    "Content-Type": version.content_type,
    "Content-Length": String(version.size_bytes),
    "Content-Disposition": attachmentDisposition(version.file_name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
  };
}

/** A link's address: https only (no javascript:, data: or plain http), with a host. */
export function parseLinkUrl(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  const trimmed = raw.trim();
  if (!trimmed) return { ok: false, message: "Paste the link's address, starting with https://." };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: "That is not a web address. Paste the whole link, starting with https://." };
  }
  if (url.protocol !== "https:") return { ok: false, message: "Only https:// links can be shared here." };
  if (!url.hostname) return { ok: false, message: "That link has no site name. Paste the whole link." };
  if (url.username || url.password) return { ok: false, message: "Remove the user name and password from the link." };
  if (url.href.length > 2000) return { ok: false, message: "That link is too long (2,000 characters at most)." };
  return { ok: true, url: url.href };
}

export const RESOURCE_ACTIONS = {
  added: "resource.added",
  versionAdded: "resource.version_added",
  removed: "resource.removed",
  downloaded: "resource.downloaded",
  required: "resource.required",
} as const;

/** Activity sentences for resource events (app/domain/activity.ts calls this), in the reader's language. */
export function describeResourceEvent(
  who: string,
  action: string,
  changes: Record<string, { before: unknown; after: unknown }>,
  subject: string | null,
  words: Pick<Translator, "t"> = ENGLISH,
) {
  const { t } = words;
  const quote = (text: string) => t("activity.quoted", { text });
  const named = changes.title?.after ?? changes.title?.before;
  const title = quote(named === null || named === undefined ? t("activity.resource.aFile") : String(named));
  // Each sentence has a form naming the milestone the resource is on ("…On"): no pieces glued.
  const say = (key: string, values: Record<string, string> = {}) =>
    t(`activity.resource.${key}${subject ? "On" : ""}`, { who, title, ...values, ...(subject ? { subject: quote(subject) } : {}) });
  switch (action) {
    case RESOURCE_ACTIONS.added:
      return say(changes.url ? "link" : "uploaded");
    case RESOURCE_ACTIONS.versionAdded:
      return say("version", { version: String(changes.version?.after ?? "") });
    case RESOURCE_ACTIONS.removed:
      return say("removed");
    case RESOURCE_ACTIONS.downloaded:
      return changes.version?.after ? say("downloadedVersion", { version: String(changes.version.after) }) : say("downloaded");
    case RESOURCE_ACTIONS.required:
      return changes.label?.after ? say("asked", { label: quote(String(changes.label.after)) }) : say("notAsked");
    default:
      return null;
  }
}
