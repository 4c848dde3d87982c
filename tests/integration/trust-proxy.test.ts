import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv, trustProxySetting } from "~/infra/env.server";
import type { Database } from "~/infra/db.server";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer } from "../support/http";

/*
 * Issue 17, item 11: X-Forwarded-For was believed from any private address, and from nothing else.
 * TRUST_PROXY names the proxies whose word counts. Observed through the link-guess throttle, which
 * counts per client address: two clients behind a trusted proxy are throttled apart; behind a
 * proxy that is not trusted they are one client.
 */
const guessUntilThrottled = async (origin: string, client: string) => {
  for (let i = 0; i < 40; i++) {
    const response = await fetch(`${origin}/s/${randomBytes(32).toString("base64url")}`, { headers: { "X-Forwarded-For": client } });
    await response.arrayBuffer();
    if (response.status === 429) return i + 1;
  }
  throw new Error("never throttled");
};
const statusFor = async (origin: string, client: string) => {
  const response = await fetch(`${origin}/s/${randomBytes(32).toString("base64url")}`, { headers: { "X-Forwarded-For": client } });
  await response.arrayBuffer();
  return response.status;
};

describe.each(testDatabaseTargets())("the trusted proxy on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("believes X-Forwarded-For from a trusted proxy (by default, one on this machine) only", async () => {
    const trusted = await startTestServer(database.db, database.kind);
    try {
      await guessUntilThrottled(trusted.origin, "198.51.100.1");
      expect(await statusFor(trusted.origin, "198.51.100.2")).toBe(404);
    } finally {
      await trusted.close();
    }
    await database.db.deleteFrom("auth_throttle").execute();
    const untrusted = await startTestServer(database.db, database.kind, [], { trustProxy: ["10.1.2.3"] });
    try {
      await guessUntilThrottled(untrusted.origin, "198.51.100.3");
      // The header now means nothing: every client behind this peer is the peer.
      expect(await statusFor(untrusted.origin, "198.51.100.4")).toBe(429);
    } finally {
      await untrusted.close();
    }
  });
});

describe("TRUST_PROXY", () => {
  it("takes off, hop counts, addresses, ranges and presets, and names what is wrong otherwise", () => {
    expect(trustProxySetting("off")).toBe(false);
    expect(trustProxySetting("2")).toBe(2);
    expect(trustProxySetting("10.0.0.5, 192.168.0.0/16, loopback, ::1, fd00::/8")).toEqual(["10.0.0.5", "192.168.0.0/16", "loopback", "::1", "fd00::/8"]);
    expect(parseEnv({}).TRUST_PROXY).toBe("loopback");
    for (const bad of ["10.0.0.0/33", "proxy.example", "10.0.0.1/8/2", ",", "uniquelocal; drop"]) {
      expect(trustProxySetting(bad), bad).toBeNull();
      expect(() => parseEnv({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY: must be off, a number of hops/);
    }
  });
});
