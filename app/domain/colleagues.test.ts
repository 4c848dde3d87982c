import { describe, expect, it } from "vitest";
import { COLLEAGUE_LIMITS, colleagueLimitMessage, mayEmailColleague } from "~/domain/colleagues";

describe("buyers adding colleagues", () => {
  it("emails an invitation only within the inviting buyer's own domain, whatever the case", () => {
    expect(mayEmailColleague("dana@acme.example", "lee@ACME.example")).toBe(true);
    expect(mayEmailColleague("dana@acme.example", "victim@elsewhere.example")).toBe(false);
    // A look-alike sub-domain or a domain hidden before the last @ is another domain.
    expect(mayEmailColleague("dana@acme.example", "x@mail.acme.example")).toBe(false);
    expect(mayEmailColleague("dana@acme.example", '"acme.example"@evil.example')).toBe(false);
    expect(mayEmailColleague(null, "lee@acme.example")).toBe(false);
  });

  it("refuses the next colleague once a buyer or the whole plan reached its hourly limit", () => {
    const { perBuyerPerHour, perPlanPerHour } = COLLEAGUE_LIMITS;
    expect(colleagueLimitMessage({ plan: perPlanPerHour - 1, buyer: perBuyerPerHour - 1 })).toBeNull();
    expect(colleagueLimitMessage({ plan: 0, buyer: perBuyerPerHour })).toMatch(/You have added \d+ colleagues in the last hour/);
    expect(colleagueLimitMessage({ plan: perPlanPerHour, buyer: 0 })).toMatch(/Your team has added \d+ colleagues to this plan/);
  });
});
