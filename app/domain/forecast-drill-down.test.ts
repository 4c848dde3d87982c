import { describe, expect, it } from "vitest";
import { describeDrillDown, drillDownHref, parseDrillDown } from "~/domain/forecast-drill-down";

describe("drill-down parameters", () => {
  const today = "2026-12-02";
  const parse = (query: string) => parseDrillDown(new URLSearchParams(query), today, 2);

  it("reads every filter", () => {
    const r = parse("period=FY2027-Q4&confirmed=yes&slipping=no&currency=eur&flag=at_risk");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ period: { key: "FY2027-Q4" }, confirmed: true, slipping: false, currency: "EUR", flag: "at_risk" });
    expect(describeDrillDown(r.value)).toBe("FY2027 Q4 · customer-confirmed · on track · in EUR · at risk");
  });

  it("knows each list behind the page's counts", () => {
    for (const flag of ["at_risk", "overdue_buyer", "buyer_quiet", "pushed", "rep_earlier"]) {
      expect(parse(`flag=${flag}`), flag).toMatchObject({ ok: true, value: { flag } });
    }
    const quiet = parse("flag=buyer_quiet");
    if (quiet.ok) expect(describeDrillDown(quiet.value)).toBe("All active plans · no buyer activity for 14+ days");
  });

  it("defaults to every active plan", () => {
    const r = parse("");
    expect(r).toMatchObject({ ok: true, value: { period: { kind: "all" }, confirmed: null, slipping: null, currency: null, flag: null } });
  });

  it("names what is wrong instead of failing", () => {
    for (const q of [
      "period=FY2027-Q9",
      "period=",
      "confirmed=maybe",
      "slipping=1",
      "currency=DOLLARS",
      "currency=U$D",
      "flag=__proto__",
      "flag=hasOwnProperty",
    ]) {
      const r = parse(q);
      expect(r.ok, q).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
    }
  });

  it("builds links that parse back to the same filter", () => {
    const href = drillDownHref(
      { period: "2027-01", confirmed: false, slipping: true, currency: "USD", flag: "pushed" },
      "00000000-0000-4000-8000-000000000001",
    );
    expect(href).toBe("/forecast/plans?period=2027-01&confirmed=no&slipping=yes&currency=USD&flag=pushed&team=00000000-0000-4000-8000-000000000001");
    const r = parseDrillDown(new URL(href, "http://x").searchParams, today, 2);
    expect(r).toMatchObject({ ok: true, value: { period: { key: "2027-01" }, confirmed: false, slipping: true, currency: "USD", flag: "pushed" } });
    expect(drillDownHref({})).toBe("/forecast/plans?period=all");
  });
});
