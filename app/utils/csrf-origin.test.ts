import { describe, expect, it } from "vitest";
import { csrfRejection } from "./http.server";

const post = (headers: Record<string, string>) => ({ method: "POST", path: "/p/x", protocol: "http", headers: { host: "127.0.0.1:3000", ...headers } });

describe("the cross-site check on form posts", () => {
  it("accepts a native form post from a no-referrer page: Origin null, but the browser says same-origin", () => {
    expect(csrfRejection(post({ origin: "null", "sec-fetch-site": "same-origin" }))).toBeNull();
  });

  it("still refuses Origin null without the browser's same-origin mark, and any cross-site post", () => {
    expect(csrfRejection(post({ origin: "null" }))).toBe("request from another origin refused");
    expect(csrfRejection(post({ origin: "null", "sec-fetch-site": "cross-site" }))).toMatch(/cross-site request refused/);
    expect(csrfRejection(post({ origin: "https://evil.example", "sec-fetch-site": "same-origin" }))).toBe("request from another origin refused");
  });
});
