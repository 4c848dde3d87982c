import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, STATUS_CODES, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import {
  bareHost,
  checkWebhookUrl,
  isAllowedAddress,
  parseAddressPolicy,
  PRIVATE_ADDRESS_MESSAGE,
  type WebhookAddressPolicy,
} from "~/infra/webhook-address.server";
import { getEnv } from "~/infra/env.server";

/*
 * The one place the server opens a connection to a webhook receiver (issue 17, item 3). The name
 * is resolved by our own `lookup`, every address it resolves to is checked, and the socket
 * connects to the address that was checked: there is no second resolution an attacker's DNS could
 * answer differently (rebinding). Literal addresses are checked before connecting (Node skips
 * `lookup` for them). Redirects are never followed, the connection must be up within a few
 * seconds and the answer's status line within a few more, and the receiver's body is not read:
 * the delivery log keeps a status line of our own making, so nothing an internal service says
 * reaches a page.
 */

export type DeliveryOutcome = { status: number; error: string | null } | { status: null; error: string };

export interface TransportOptions {
  policy: WebhookAddressPolicy;
  /** Until the TCP (and TLS) connection is up. */
  connectTimeoutMs: number;
  /** Until the status line arrives, from the start. */
  timeoutMs: number;
  /** For tests of rebinding: a resolver that answers what the test says. */
  resolve?: (host: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;
}

let cachedPolicy: { raw: string | undefined; policy: WebhookAddressPolicy } | null = null;

/** The configured allow-list (WEBHOOK_ALLOW_PRIVATE), parsed once; the env check already refused a bad one. */
export function configuredAddressPolicy(): WebhookAddressPolicy {
  const raw = getEnv().WEBHOOK_ALLOW_PRIVATE;
  if (cachedPolicy && cachedPolicy.raw === raw) return cachedPolicy.policy;
  const parsed = parseAddressPolicy(raw);
  if (!parsed.ok) throw new Error(`WEBHOOK_ALLOW_PRIVATE: ${parsed.message}`);
  cachedPolicy = { raw, policy: parsed.policy };
  return parsed.policy;
}

class BlockedAddressError extends Error {
  code = "EWEBHOOKBLOCKED";
}

function defaultResolve(host: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) {
  dnsLookup(host, { all: true, verbatim: true }, callback);
}

/** A `lookup` for net.connect that refuses the whole name when any of its addresses is not allowed. */
function guardedLookup(host: string, options: TransportOptions): LookupFunction {
  const resolve = options.resolve ?? defaultResolve;
  return ((_hostname: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolve(host, (error, addresses) => {
      if (error) return callback(error);
      if (!addresses.length) return callback(Object.assign(new Error(`no address for ${host}`), { code: "ENOTFOUND" }));
      if (addresses.some((a) => !isAllowedAddress(a.address, host, options.policy))) return callback(new BlockedAddressError(PRIVATE_ADDRESS_MESSAGE));
      if (lookupOptions?.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  }) as LookupFunction;
}

/** Checks a URL as the settings page saves it: its shape, then every address its name resolves to now. */
export async function checkWebhookDestination(
  raw: string,
  options: Pick<TransportOptions, "policy" | "resolve">,
): Promise<{ ok: true; url: string } | { ok: false; message: string }> {
  const checked = checkWebhookUrl(raw, options.policy);
  if (!checked.ok || checked.literal) return checked;
  const resolve = options.resolve ?? defaultResolve;
  const addresses = await new Promise<LookupAddress[] | null>((done) => resolve(checked.host, (error, found) => done(error ? null : found)));
  if (!addresses?.length) return { ok: false, message: `We could not find ${checked.host}: check the address, or add it once its DNS name exists.` };
  if (addresses.some((a) => !isAllowedAddress(a.address, checked.host, options.policy))) return { ok: false, message: PRIVATE_ADDRESS_MESSAGE };
  return { ok: true, url: checked.url };
}

/** A short status line of our own: never the receiver's words. */
export function statusLine(status: number): string {
  const reason = STATUS_CODES[status] ?? "";
  const note = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
  return `HTTP ${status}${reason ? ` ${reason}` : ""}${note}`;
}

function describeError(error: unknown, options: TransportOptions, phase: "connect" | "answer"): string {
  const code = (error as { code?: string } | null)?.code ?? "";
  if (code === "EWEBHOOKBLOCKED") return "Refused: the address resolves to a private, loopback or reserved network.";
  if (code === "ETIMEDOUT_CONNECT") return `No connection within ${options.connectTimeoutMs / 1000} s.`;
  if (code === "ETIMEDOUT_ANSWER") return `No answer within ${options.timeoutMs / 1000} s.`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "The host name could not be resolved.";
  if (code === "ECONNREFUSED") return "Connection refused.";
  if (code === "ECONNRESET" || code === "EPIPE") return phase === "connect" ? "Connection reset." : "The connection closed before an answer.";
  if (code.startsWith("ERR_TLS") || code.includes("CERT") || code.startsWith("ERR_SSL")) return `TLS handshake failed (${code}).`;
  return code && /^[A-Z0-9_]{2,40}$/.test(code) ? `Connection failed (${code}).` : "Connection failed.";
}

/** POSTs `body` to `rawUrl`; resolves with the status (delivered or not) or a failure of our wording. */
export function postWebhook(rawUrl: string, headers: Record<string, string>, body: string, options: TransportOptions): Promise<DeliveryOutcome> {
  const checked = checkWebhookUrl(rawUrl, options.policy);
  if (!checked.ok)
    return Promise.resolve({
      status: null,
      error: checked.message.startsWith("That address") ? "Refused: the address is on a private, loopback or reserved network." : checked.message,
    });
  const url = new URL(checked.url);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let phase: "connect" | "answer" = "connect";
    let settled = false;
    const finish = (outcome: DeliveryOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      resolve(outcome);
    };
    const req = send({
      host: bareHost(url.hostname),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      // A fresh connection per delivery: a pooled socket would skip the lookup and its check.
      agent: false,
      lookup: checked.literal ? undefined : guardedLookup(checked.host, options),
      servername: checked.literal ? undefined : checked.host,
      headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)), Host: url.host },
    });
    const fail = (code: string) => req.destroy(Object.assign(new Error(code), { code }));
    const connectTimer = setTimeout(() => fail("ETIMEDOUT_CONNECT"), options.connectTimeoutMs);
    const answerTimer = setTimeout(() => fail("ETIMEDOUT_ANSWER"), options.timeoutMs);
    req.on("socket", (socket) => {
      socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () => {
        phase = "answer";
        clearTimeout(connectTimer);
      });
    });
    req.on("error", (error) => finish({ status: null, error: describeError(error, options, phase) }));
    req.on("response", (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      // The body is never read or shown; dropping the connection frees it at once.
      res.destroy();
      req.destroy();
      finish(status >= 200 && status < 300 ? { status, error: null } : { status, error: statusLine(status) });
    });
    req.end(body);
  });
}
