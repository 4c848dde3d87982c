import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_PRIVATE_DESTINATIONS, parseAddressPolicy } from "~/infra/webhook-address.server";
import { checkWebhookDestination, postWebhook, type TransportOptions } from "~/infra/webhook-transport.server";

/*
 * Issue 17, item 3 at connect time: a name that resolves to an internal address (now, or only at
 * the moment of sending: DNS rebinding) is refused before any connection, redirects are not
 * followed, and nothing the receiver says comes back. Loopback only; the resolver is injected so
 * a "public" name can answer 127.0.0.1 like an attacker's DNS would.
 */

describe("the webhook transport", () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  const answers: Array<"hang" | number> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const answer = answers.shift() ?? 204;
      if (answer === "hang") return;
      res.statusCode = answer;
      if (answer >= 300 && answer < 400) res.setHeader("Location", "http://169.254.169.254/latest/meta-data/");
      res.end("secret internal data");
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const resolvingTo =
    (...addresses: string[]): TransportOptions["resolve"] =>
    (_host, callback) =>
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
      );
  const options = (extra: Partial<TransportOptions> = {}): TransportOptions => ({
    policy: NO_PRIVATE_DESTINATIONS,
    connectTimeoutMs: 1_000,
    timeoutMs: 1_000,
    ...extra,
  });
  const allowLoopback = () => {
    const parsed = parseAddressPolicy("127.0.0.1");
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.policy;
  };

  it("refuses a public-looking name that resolves to loopback, before connecting (rebinding)", async () => {
    const before = connections;
    const outcome = await postWebhook(`https://hooks.example.com:${port}/h`, {}, "{}", options({ resolve: resolvingTo("127.0.0.1") }));
    expect(outcome).toEqual({ status: null, error: "Refused: the address resolves to a private, loopback or reserved network." });
    // One bad address among good ones is enough to refuse the name.
    const mixed = await postWebhook(
      `https://hooks.example.com:${port}/h`,
      {},
      "{}",
      options({ resolve: resolvingTo("93.184.216.34", "::ffff:169.254.169.254") }),
    );
    expect(mixed.error).toMatch(/^Refused/);
    expect(connections).toBe(before);
  });

  it("checks at save time what the name resolves to now", async () => {
    expect(await checkWebhookDestination("https://hooks.example.com/h", { policy: NO_PRIVATE_DESTINATIONS, resolve: resolvingTo("10.0.0.7") })).toMatchObject({
      ok: false,
    });
    expect(await checkWebhookDestination("https://hooks.example.com/h", { policy: NO_PRIVATE_DESTINATIONS, resolve: resolvingTo("93.184.216.34") })).toEqual({
      ok: true,
      url: "https://hooks.example.com/h",
    });
    expect(
      await checkWebhookDestination("https://nowhere.example/h", {
        policy: NO_PRIVATE_DESTINATIONS,
        resolve: (_h, cb) => cb(Object.assign(new Error("nope"), { code: "ENOTFOUND" }), []),
      }),
    ).toMatchObject({ ok: false });
  });

  it("refuses a literal internal address without connecting, unless it is allowed", async () => {
    const before = connections;
    expect((await postWebhook(`http://127.0.0.1:${port}/h`, {}, "{}", options())).error).toMatch(/^Refused/);
    expect(connections).toBe(before);
    answers.push(204);
    expect(await postWebhook(`http://127.0.0.1:${port}/h`, {}, "{}", options({ policy: allowLoopback() }))).toEqual({ status: 204, error: null });
    expect(connections).toBe(before + 1);
  });

  it("connects to the address it checked when an allowed name resolves", async () => {
    const parsed = parseAddressPolicy("crm.internal");
    if (!parsed.ok) throw new Error(parsed.message);
    answers.push(204);
    expect(await postWebhook(`http://crm.internal:${port}/h`, {}, "{}", options({ policy: parsed.policy, resolve: resolvingTo("127.0.0.1") }))).toEqual({
      status: 204,
      error: null,
    });
  });

  it("does not follow a redirect and never returns the receiver's words", async () => {
    answers.push(302);
    const redirected = await postWebhook(`http://127.0.0.1:${port}/h`, {}, "{}", options({ policy: allowLoopback() }));
    expect(redirected).toEqual({ status: 302, error: "HTTP 302 Found (redirects are not followed)" });
    answers.push(500);
    const failed = await postWebhook(`http://127.0.0.1:${port}/h`, {}, "{}", options({ policy: allowLoopback() }));
    expect(failed).toEqual({ status: 500, error: "HTTP 500 Internal Server Error" });
  });

  it("gives up on a receiver that does not answer in time", async () => {
    answers.push("hang");
    const started = Date.now();
    const outcome = await postWebhook(`http://127.0.0.1:${port}/h`, {}, "{}", options({ policy: allowLoopback(), timeoutMs: 300 }));
    expect(outcome).toEqual({ status: null, error: "No answer within 0.3 s." });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
