import { BlockList, isIP } from "node:net";

/*
 * Where a webhook may be sent (issue 17, item 3: SSRF). A webhook URL is typed by an admin, and
 * the server connects to it: without a check, an admin (or whoever holds an admin session) could
 * make the server reach services that only it can reach — the cloud metadata endpoint, the
 * database, an internal admin page — and read their answers in the delivery log.
 *
 * Refused: every address that is not a public unicast one (loopback, private, carrier-grade NAT,
 * link-local, multicast, documentation, benchmarking, reserved, IPv4-mapped/6to4/NAT64 forms of
 * those). The check runs on the URL when it is saved and on every address a name resolves to when
 * the dispatcher connects (app/infra/webhook-transport.server.ts), so a name that later resolves
 * to 127.0.0.1 (DNS rebinding) is refused too. Node's BlockList does the address arithmetic (it
 * also checks IPv4-mapped IPv6 addresses against the IPv4 rules).
 *
 * Self-hosters whose CRM lives on a private network list it in WEBHOOK_ALLOW_PRIVATE: addresses,
 * CIDR ranges or host names, comma-separated.
 */

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 reaches the local host
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 96], // unspecified, loopback, IPv4-compatible
  ["64:ff9b::", 96], // NAT64: could wrap any IPv4 address
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo included)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: wraps an IPv4 address
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

function familyOf(address: string): "ipv4" | "ipv6" | null {
  const kind = isIP(address);
  return kind === 4 ? "ipv4" : kind === 6 ? "ipv6" : null;
}

/** Not a public unicast address (or not an address at all). */
export function isNonPublicAddress(address: string): boolean {
  const family = familyOf(address);
  return family === null || blocked.check(address, family);
}

/** What WEBHOOK_ALLOW_PRIVATE lets through. */
export interface WebhookAddressPolicy {
  /** Addresses and ranges that may be reached although they are not public. */
  networks: BlockList;
  /** Host names (lower case, no trailing dot) whose every address may be reached. */
  hosts: ReadonlySet<string>;
  /** The list as configured, for messages. */
  entries: readonly string[];
}

export const NO_PRIVATE_DESTINATIONS: WebhookAddressPolicy = { networks: new BlockList(), hosts: new Set(), entries: [] };

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Strips the brackets of an IPv6 URL host and a trailing dot, and lower-cases. */
export function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "")
    .toLowerCase();
}

/** Parses `10.0.0.0/8, 192.168.1.20, fd00::/8, crm.internal`; an error names the first bad entry. */
export function parseAddressPolicy(raw: string | undefined): { ok: true; policy: WebhookAddressPolicy } | { ok: false; message: string } {
  const entries = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const networks = new BlockList();
  const hosts = new Set<string>();
  for (const entry of entries) {
    const [address, prefixText, ...rest] = entry.split("/");
    const family = familyOf(bareHost(address));
    if (family && rest.length === 0) {
      const bare = bareHost(address);
      if (prefixText === undefined) {
        networks.addAddress(bare, family);
        continue;
      }
      const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
      if (prefix >= 0 && prefix <= (family === "ipv4" ? 32 : 128)) {
        networks.addSubnet(bare, prefix, family);
        continue;
      }
    } else if (prefixText === undefined && HOST_NAME.test(bareHost(entry))) {
      hosts.add(bareHost(entry));
      continue;
    }
    return { ok: false, message: `"${entry}" is neither an address, a CIDR range (10.0.0.0/8) nor a host name` };
  }
  return { ok: true, policy: { networks, hosts, entries } };
}

/** May the dispatcher connect to `address` (one resolved address of `host`)? */
export function isAllowedAddress(address: string, host: string, policy: WebhookAddressPolicy): boolean {
  if (policy.hosts.has(bareHost(host))) return true;
  const family = familyOf(address);
  if (family === null) return false;
  return !blocked.check(address, family) || policy.networks.check(address, family);
}

/** Is this URL host on the allow-list (by name, or as an address in a listed range)? */
export function isAllowListedHost(host: string, policy: WebhookAddressPolicy): boolean {
  const bare = bareHost(host);
  if (policy.hosts.has(bare)) return true;
  const family = familyOf(bare);
  return family !== null && policy.networks.check(bare, family);
}

/** Names that always mean this machine (RFC 6761), refused without asking DNS. */
export function isLocalName(host: string): boolean {
  const bare = bareHost(host);
  return bare === "localhost" || bare.endsWith(".localhost");
}

export type UrlCheck = { ok: true; url: string; host: string; literal: boolean } | { ok: false; message: string };

export const PRIVATE_ADDRESS_MESSAGE =
  "That address is on a private, loopback or reserved network, which webhooks may not reach. A self-hosted server can allow it with WEBHOOK_ALLOW_PRIVATE.";

/**
 * The checks that need no DNS: the shape of the URL, the scheme, and a host that is an address
 * or a local name. https everywhere; plain http only to an allow-listed private destination (a
 * CRM on the self-hoster's own network). The caller then resolves a name and checks its addresses.
 */
export function checkWebhookUrl(raw: string, policy: WebhookAddressPolicy): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "Enter a full address, like https://crm.example.com/hooks/plan-together." };
  }
  if (url.username || url.password) return { ok: false, message: "Leave credentials out of the address; verify the signature instead." };
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "Use an https:// address." };
  const host = bareHost(url.hostname);
  const allowListed = isAllowListedHost(host, policy);
  const literal = familyOf(host) !== null;
  if (!allowListed && (isLocalName(host) || (literal && isNonPublicAddress(host)))) return { ok: false, message: PRIVATE_ADDRESS_MESSAGE };
  if (url.protocol === "http:" && !allowListed)
    return { ok: false, message: "Use an https:// address (plain http only reaches a private network allowed by WEBHOOK_ALLOW_PRIVATE)." };
  return { ok: true, url: url.toString(), host, literal };
}
