import { describe, expect, it } from "vitest";
import { chooseForecastRep, chooseForecastScope } from "~/domain/forecast-scope";

describe("the rep a manager picks", () => {
  it("narrows a manager's forecast to one rep of the team, and refuses anyone else", () => {
    const team = { kind: "team" as const, managerId: "m1", title: "Maya Chen's team" };
    const reps = [{ id: "r1", name: "Sam Okafor" }];
    expect(chooseForecastRep({ role: "manager" }, team, null, reps)).toEqual({ ok: true, scope: team, rep: null, notice: null });
    expect(chooseForecastRep({ role: "manager" }, team, "r1", reps)).toEqual({
      ok: true,
      scope: { kind: "owner", ownerId: "r1", title: "Sam Okafor's plans" },
      rep: "r1",
      notice: null,
    });
    expect(chooseForecastRep({ role: "admin" }, team, "r9", reps)).toEqual({
      ok: true,
      scope: team,
      rep: null,
      notice: "That rep isn't on this team; this is Maya Chen's team.",
    });
    expect(chooseForecastRep({ role: "rep" }, { kind: "owner", ownerId: "r1", title: "x" }, "r2", [])).toMatchObject({
      ok: true,
      rep: null,
      notice: expect.stringContaining("own plans"),
    });
  });
});

describe("scope", () => {
  const managers = [
    { id: "m1", name: "Maya Chen" },
    { id: "m2", name: "Omar Haddad" },
  ];

  it("gives reps their own plans and managers their team", () => {
    expect(chooseForecastScope({ id: "r1", name: "Sam Okafor", role: "rep" }, null, [])).toEqual({
      ok: true,
      scope: { kind: "owner", ownerId: "r1", title: "Sam Okafor's plans" },
      team: null,
      notice: null,
    });
    expect(chooseForecastScope({ id: "m1", name: "Maya Chen", role: "manager" }, "", [])).toEqual({
      ok: true,
      scope: { kind: "team", managerId: "m1", title: "Maya Chen's team" },
      team: null,
      notice: null,
    });
  });

  it("ignores a team picked by someone who is not an admin, and says so", () => {
    const r = chooseForecastScope({ id: "m1", name: "Maya Chen", role: "manager" }, "m2", managers);
    expect(r).toMatchObject({ ok: true, scope: { kind: "team", managerId: "m1" }, team: null });
    expect(r.ok && r.notice).toMatch(/Only an administrator/);
    expect(chooseForecastScope({ id: "r1", name: "Sam", role: "rep" }, "m1", managers)).toMatchObject({ ok: true, scope: { kind: "owner", ownerId: "r1" } });
  });

  it("lets an admin see the organisation or pick a known team, and 404s an unknown one", () => {
    const admin = { id: "a1", name: "Alex Morgan", role: "admin" as const };
    expect(chooseForecastScope(admin, null, managers)).toMatchObject({ ok: true, scope: { kind: "org", title: "Whole organisation" }, team: null });
    expect(chooseForecastScope(admin, "m2", managers)).toMatchObject({
      ok: true,
      scope: { kind: "team", managerId: "m2", title: "Omar Haddad's team" },
      team: "m2",
    });
    expect(chooseForecastScope(admin, "someone-else", managers)).toMatchObject({ ok: false, status: 404 });
  });
});
