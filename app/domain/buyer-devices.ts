/*
 * A buyer link opens for whoever holds it: the invitee on a second device, or a colleague it was
 * forwarded to. Each new device is logged, with the name and email typed and the link's owner, so
 * the rep can see who is really reading. Pure: the log entry and its wording.
 */

export const NEW_DEVICE_ACTION = "share_link.new_device";

/** Names as people type them: "dana  lee" and "Dana Lee" are the same person. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize("NFKC").trim().replace(/\s+/g, " ").toLocaleLowerCase("en");
  return norm(a) === norm(b);
}

export function newDeviceEvent(opened: { link: { id: string }; stakeholder: { name: string; email: string } }, typed: { name: string; email: string }) {
  return {
    action: NEW_DEVICE_ACTION,
    entityType: "share_link" as const,
    entityId: opened.link.id,
    changes: {
      name: { before: null, after: typed.name },
      email: { before: null, after: typed.email },
      link_owner: { before: null, after: opened.stakeholder.name },
      link_owner_email: { before: null, after: opened.stakeholder.email },
    },
  };
}

/**
 * "Dana Lee (buyer) opened the plan on a new device", or, when the name typed is not the link's
 * owner: "Dana Lee's link was opened on a new device as Sam Ng (sam@acme.example)".
 */
export function describeNewDevice(actorLabel: string, changes: Record<string, { before: unknown; after: unknown }>): string {
  const typed = String(changes.name?.after ?? "");
  const email = String(changes.email?.after ?? "");
  const owner = String(changes.link_owner?.after ?? "");
  if (!owner || sameName(typed, owner)) return `${actorLabel} opened the plan on a new device`;
  return `${owner}'s link was opened on a new device as ${typed}${email ? ` (${email})` : ""}`;
}
