import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { createPlan } from "~/models/plan-create.server";
import { testDatabaseTargets } from "../support/databases";
import { startTestServer } from "../support/http";
import { encodeForm, type FormValues } from "../support/route-table";
import { buildWorld, clearLinkThrottle, type ActorName, type World } from "../support/safety-world";

/*
 * Item 8: property-based fuzzing of every form action and API endpoint with random and hostile
 * values (huge strings, control characters, HTML/script, SQL fragments, impossible dates, negative
 * and enormous numbers, unknown and foreign ids, dependency cycles). FUZZ_RUNS (default 10,000) are
 * shared out over the targets, per database. Every answer must be below 500, every 4xx must carry
 * a message a person can see, and stored payloads must come back escaped.
 */
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);
/** Each database's part of the runs when another runs too; PostgreSQL (or else PGlite) takes the rest. */
const SHARES: Record<string, number> = { pglite: 0.25, citus: 0.1 };

/** This database's part of TOTAL_RUNS. */
function runsFor(name: string, present: string[]): number {
  const fixed = (n: string) => Math.round(TOTAL_RUNS * (SHARES[n] ?? 0));
  const rest = present.includes("postgres") ? "postgres" : "pglite";
  return name === rest ? TOTAL_RUNS - present.filter((n) => n !== rest).reduce((sum, n) => sum + fixed(n), 0) : fixed(name);
}

const XSS_SCRIPT = "<script>window.__xss=1</script>";
const XSS_IMG = `<img src=x onerror="window.__xss=1">`;
const XSS_SVG = `"><svg onload=window.__xss=1>`;
/** Path segments sent as they are: broken percent-escapes, encoded NUL and slashes, dot segments. */
const RAW_SEGMENTS = ["%", "%zz", "%E0%A4%A", "%C0%AF", "%00", "%2e%2e", "..%2f..%2f", "%ED%A0%80", "a%2Fb", "%25", "%u0041", "~", ".", "%20"];
/** A hostile string as one path segment (a lone surrogate cannot be percent-encoded as it is). */
const segment = (h: string) => encodeURIComponent(h.slice(0, 300).replace(/[\uD800-\uDFFF]/g, "\uFFFD"));
const RAW_MARKERS = ["<script>window.__xss", "<img src=x onerror", "<svg onload=window.__xss"];

const HOSTILE_CONSTANTS = [
  "",
  " ",
  "\t",
  XSS_SCRIPT,
  XSS_IMG,
  XSS_SVG,
  "javascript:alert(1)",
  "'; drop table plans; --",
  "' or '1'='1",
  "1); select pg_sleep(10); --",
  "\u0000",
  "a\u0000b",
  "\u0007\u0008\u001b[31m",
  "\r\n\r\nSet-Cookie: x=1",
  "\uD800",
  "\uFFFE",
  "\u202Egnp.exe",
  "𝕳𝖊𝖑𝖑𝖔",
  "😀".repeat(300),
  "0000-00-00",
  "2026-02-30",
  "2026-13-01",
  "2027-02-29",
  "2028-02-29",
  "9999-12-31",
  "0001-01-01",
  "10000-01-01",
  "2026-1-1",
  "31/12/2026",
  "2026-12-31T00:00:00Z",
  "-1",
  "-0",
  "0",
  "1",
  "2",
  "3",
  "1.5",
  "1e309",
  "-1e309",
  "99999999999999999999999",
  "9007199254740993",
  "NaN",
  "Infinity",
  "0x1F",
  " 42 ",
  "1,000",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "not-a-uuid",
  "../../etc/passwd",
  "%2e%2e%2f",
  "{{7*7}}",
  "${7*7}",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "a".repeat(201),
  "a".repeat(1001),
  "a".repeat(5001),
  "x".repeat(300_000),
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_CONSTANTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.uuid() },
  {
    weight: 1,
    arbitrary: fc
      .date({ min: new Date(-62_000_000_000_000), max: new Date(250_000_000_000_000), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
);

/** Mostly plausible, sometimes hostile: plausible values get the request past the first check. */
const field = (...plausible: string[]) =>
  plausible.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...plausible) }, { weight: 2, arbitrary: hostile }) : hostile;
const optional = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: undefined, freq: 6 });

/** Placeholders resolved just before sending, to whatever exists at that moment. */
type Placeholder = "@version" | "@milestone" | "@milestoneVersion" | "@buyerMilestone" | "@stakeholder" | "@link" | "@template" | "@templateVersion";

interface Target {
  name: string;
  route: string;
  actor: ActorName;
  method: "GET" | "POST" | "PATCH";
  weight: number;
  /** Sent as a JSON body with these headers (the API), instead of a form. */
  api?: { token: (w: World) => string };
  /** Milestone-creating targets work on a plan of their own, kept small (its size drives the cost of every save). */
  onPlanM?: boolean;
  /** Path and form (or query) for one run. */
  input: (w: World) => fc.Arbitrary<{ path: string; form: Record<string, string | string[] | undefined> }>;
}

const dateish = (w: World) => field(w.today, "2027-03-01", "2027-06-15", "2030-01-07");
const ids = (w: World, ...more: string[]) => field("@milestone", w.milestoneQ, w.stakeholderQ, w.planQ, "", ...more);
const versionField = field("@version", "1");
const milestoneFields = (w: World) => ({
  title: field("Fuzzed step", XSS_SCRIPT, XSS_IMG),
  description: optional(field("", XSS_IMG)),
  ownerSide: field("buyer", "seller", "joint"),
  ownerStakeholderId: optional(field("", "@stakeholder", w.stakeholderQ)),
  durationDays: field("0", "1", "5", "1000", "1001"),
  lagDays: optional(field("0", "2")),
  dependsOn: fc.option(fc.array(field("@milestone", w.milestoneQ), { maxLength: 4 }), { nil: undefined, freq: 6 }),
  pinnedDate: optional(field("", w.today)),
  isClose: optional(field("on", "off")),
  completedOn: optional(field("", w.today, "2099-01-01")),
});

function targets(w: World, planM: string): Target[] {
  const P = `/plans/${w.planP}`;
  const M = `/plans/${planM}`;
  const post = (
    name: string,
    route: string,
    actor: ActorName,
    weight: number,
    pathArb: fc.Arbitrary<string>,
    form: Record<string, fc.Arbitrary<string | string[] | undefined>>,
  ): Target => ({
    name,
    route,
    actor,
    method: "POST",
    weight,
    input: () => fc.record({ path: pathArb, form: fc.record(form) }),
  });
  const get = (
    name: string,
    route: string,
    actor: ActorName,
    weight: number,
    pathArb: fc.Arbitrary<string>,
    query: Record<string, fc.Arbitrary<string | undefined>> = {},
  ): Target => ({
    name,
    route,
    actor,
    method: "GET",
    weight,
    input: () => fc.record({ path: pathArb, form: fc.record(query) }),
  });
  /** A real address most of the time; otherwise `pattern` with a hostile segment (encoded, or raw broken escapes) in place of {}. */
  const pathId = (pattern: string, ...real: string[]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...real) },
      { weight: 1, arbitrary: hostile.map((h) => pattern.replace("{}", segment(h))) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((raw) => pattern.replace("{}", raw)) },
    );
  const templateRows = {
    // A forged index far past the form's rows (they are capped).
    "rows[100000].title": optional(field("", "Far")),
    "rows[0].title": optional(field("Kickoff", XSS_SCRIPT)),
    "rows[0].ownerSide": optional(field("buyer", "seller", "joint")),
    "rows[0].duration": optional(field("1", "0")),
    "rows[0].dependsOn": optional(field("", "2", "1", "3")),
    "rows[0].lag": optional(field("", "1")),
    "rows[1].title": optional(field("Signature", XSS_IMG)),
    "rows[1].ownerSide": optional(field("buyer", "joint")),
    "rows[1].duration": optional(field("0", "2")),
    "rows[1].dependsOn": optional(field("1", "2", "Kickoff")),
    "rows[2].title": optional(field("Go live")),
    "rows[2].duration": optional(field("1")),
    "rows[2].dependsOn": optional(field("2", "3", "1;2")),
    close: optional(field("", "1", "2", "9")),
  };
  const csvCell = fc.oneof(field("Kickoff", "joint", "buyer", "seller", "1", "0", "yes", "Security review", "1;2"), fc.constant(""));
  const csv = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .array(
          fc.array(csvCell, { minLength: 1, maxLength: 7 }).map((cells) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")),
          { maxLength: 8 },
        )
        .map((rows) => ["title,owner side,duration,depends on,lag,close", ...rows].join("\n")),
    },
    { weight: 1, arbitrary: hostile },
  );

  return [
    post("plan workspace", "routes/_app.plans.$planId._index", "owner", 10, fc.constant(P), {
      intent: field(
        "complete",
        "reopen",
        "move-up",
        "move-down",
        "add-stakeholder",
        "remove-stakeholder",
        "comment",
        "save-template",
        "create-link",
        "revoke-link",
        "renew-link",
        "reopen-plan",
      ),
      milestoneId: optional(ids(w)),
      version: optional(field("@milestoneVersion", "1")),
      side: optional(field("buyer", "seller")),
      name: optional(field("Fuzz Person", XSS_IMG)),
      email: optional(field("fuzz@example.com", "FUZZ@Example.COM")),
      title: optional(field("CTO", XSS_SCRIPT)),
      stakeholderId: optional(field("@stakeholder", w.stakeholderQ)),
      body: optional(field("A comment", XSS_SCRIPT, XSS_IMG)),
      templateName: optional(field("Fuzz template", XSS_SCRIPT)),
      days: optional(field("7", "30", "365", "31")),
      linkId: optional(field("@link", w.linkQ)),
    }),
    post("plan details", "routes/_app.plans.$planId.edit", "owner", 6, pathId("/plans/{}/edit", `${P}/edit`), {
      buyerCompany: field("Quillfeather Matrix Holdings", XSS_SCRIPT),
      title: field("Plan", XSS_IMG),
      value: field("0", "120000", "1,000", "9999999999999", "99999999999999"),
      currency: field("USD", "EUR", "XXX"),
      crmCloseDate: optional(dateish(w)),
      status: field("active", "won", "lost", "paused", ""),
      version: versionField,
    }),
    // Sometimes closes P (the workspace's reopen-plan opens it again): every other target meets a closed plan too.
    post("close plan", "routes/_app.plans.$planId.close", "owner", 4, pathId("/plans/{}/close", `${P}/close`), {
      outcome: field("won", "lost", "no_decision", "paused", ""),
      closedOn: optional(field(w.today, "2020-02-29", "2099-01-01", "2027-02-30", "")),
      lossReason: optional(field("competitor", "budget", "", "bogus")),
      closeNote: optional(field("Chose the incumbent", XSS_SCRIPT, "a".repeat(2001))),
      version: versionField,
    }),
    // Sometimes makes a copy of P for the owner (a valid go-live), else is refused with the values kept.
    post("clone plan", "routes/_app.plans.$planId.clone", "owner", 2, pathId("/plans/{}/clone", `${P}/clone`), {
      title: field("Fuzzed copy", XSS_SCRIPT),
      buyerCompany: field("Quillfeather Matrix Holdings", XSS_IMG),
      value: field("0", "1,000", "99999999999999"),
      currency: field("USD", "XXX"),
      goLive: dateish(w),
      copyPeople: optional(field("on", "")),
    }),
    // Links, removals and requirements (no file: the form is not multipart, which is refused with a message).
    post("plan resources", "routes/_app.plans.$planId.resources", "owner", 2, pathId("/plans/{}/resources", `${P}/resources`), {
      intent: field("add-link", "remove", "require", ""),
      url: optional(field("https://docs.example.com/sow", "javascript:alert(1)", "http://insecure.example", XSS_IMG)),
      title: optional(field("Statement of work", XSS_SCRIPT)),
      milestoneId: optional(field("", "@milestone", w.milestoneQ)),
      resourceId: optional(field("", w.milestoneQ)),
      label: optional(field("the signed DPA", "", "a".repeat(201))),
      from: optional(field("plan", "resources", "")),
    }),
    get("plan file", "routes/_app.plans.$planId.files.$versionId", "owner", 1, pathId(`${P}/files/{}`, `${P}/files/${w.fileVersionP}`)),
    post("go-live", "routes/_app.plans.$planId.go-live", "owner", 6, pathId("/plans/{}/go-live", `${P}/go-live`), {
      intent: field("preview", "save"),
      goLive: dateish(w),
      reason: field("Board moved", XSS_SCRIPT),
      version: versionField,
    }),
    {
      ...post(
        "new milestone",
        "routes/_app.plans.$planId.milestones.new",
        "owner",
        6,
        pathId("/plans/{}/milestones/new", `${M}/milestones/new`),
        milestoneFields(w),
      ),
      onPlanM: true,
    },
    {
      ...post(
        "edit milestone",
        "routes/_app.plans.$planId.milestones.$milestoneId",
        "owner",
        7,
        pathId(`${M}/milestones/{}`, `${M}/milestones/@milestone`, `${M}/milestones/${w.milestoneQ}`),
        {
          ...milestoneFields(w),
          intent: optional(field("save", "remove")),
          version: field("@milestoneVersion", "1"),
        },
      ),
      onPlanM: true,
    },
    post("new plan", "routes/_app.plans.new", "owner", 5, fc.constant("/plans/new"), {
      buyerCompany: field("Fuzz Co", XSS_IMG),
      title: field("Fuzz plan"),
      value: field("1000", "0"),
      currency: field("USD", "GBP"),
      goLive: dateish(w),
      crmCloseDate: optional(dateish(w)),
      templateId: optional(field("", w.templateByAdmin, w.foreignTemplate)),
    }),
    post("new template", "routes/_app.templates.new", "owner", 5, fc.constant("/templates/new"), {
      intent: optional(field("save", "add-rows", "remove-1", "remove-99")),
      name: field("Fuzz template", XSS_SCRIPT),
      description: optional(field("", XSS_IMG)),
      ...templateRows,
    }),
    post("edit template", "routes/_app.templates.$templateId", "admin", 5, pathId("/templates/{}", "/templates/@template"), {
      intent: optional(field("save", "add-rows", "remove-1", "remove-2")),
      name: field("Fuzz template edited", XSS_SCRIPT),
      description: optional(field("", XSS_IMG)),
      version: optional(field("@templateVersion", "1", "")),
      ...templateRows,
    }),
    post("import template", "routes/_app.templates.import", "owner", 5, fc.constant("/templates/import"), {
      name: field("", "Imported", XSS_SCRIPT),
      description: optional(field("", XSS_IMG)),
      csv,
    }),
    post("team", "routes/_app.team", "admin", 4, fc.constant("/team"), {
      intent: field("add", "update", "resend"),
      name: optional(field("New Person", XSS_IMG)),
      email: optional(field("person@demo.example", "rep1@demo.example")),
      role: optional(field("rep", "manager", "admin", "owner")),
      managerId: optional(field("", w.users.manager, w.users.foreignAdmin)),
      userId: optional(field(w.users.otherTeamRep, w.users.admin, w.users.foreignAdmin)),
    }),
    post("account", "routes/_app.account", "owner", 2, fc.constant("/account"), {
      currentPassword: field("wrong-password", ""),
      password: field("long-enough-password", "short"),
      confirm: optional(field("long-enough-password", "other")),
    }),
    post("forgot password", "routes/password.forgot", "anon", 2, fc.constant("/password/forgot"), {
      email: field("nobody@example.com", "rep2@demo.example", "not-an-email"),
    }),
    post(
      "set password",
      "routes/password.set.$token",
      "anon",
      2,
      fc.oneof(
        fc.constant(`/password/set/${"Z".repeat(43)}`),
        hostile.map((h) => `/password/set/${segment(h)}`),
        fc.constantFrom(...RAW_SEGMENTS).map((raw) => `/password/set/${raw}`),
      ),
      {
        password: field("long-enough-password", "short"),
        confirm: optional(field("long-enough-password", "other")),
      },
    ),
    post("login", "routes/login", "anon", 2, fc.constant("/login"), {
      email: field("rep2@demo.example", "nobody@example.com"),
      password: field("wrong-password", ""),
      redirectTo: optional(field("/plans", "//evil.example", "https://evil.example", "/\\evil")),
      intent: optional(field("sso", "")),
    }),
    post("signup", "routes/signup", "anon", 2, fc.constant("/signup"), {
      organisation: field("Fuzz Org", XSS_SCRIPT),
      name: field("Fuzz Admin", XSS_IMG),
      email: field("fuzz-admin@example.com"),
      password: field("long-enough-password", "short"),
    }),
    post("logout", "routes/logout", "anon", 1, fc.constant("/logout"), { anything: optional(hostile) }),
    post("buyer page", "routes/p.$planId", "buyer", 10, pathId("/p/{}", `/p/${w.planP}`, `/p/${w.planQ}`), {
      intent: field("done", "reopen", "owner", "pin", "comment", "confirm-go-live", "propose-go-live", "add-colleague"),
      milestoneId: optional(field("@buyerMilestone", "@milestone", w.milestoneQ, "")),
      version: optional(field("@milestoneVersion", "@version", "1")),
      ownerStakeholderId: optional(field("", "@stakeholder", w.stakeholderQ)),
      pinnedDate: optional(dateish(w)),
      body: optional(field("Buyer comment", XSS_SCRIPT, XSS_IMG)),
      goLive: optional(dateish(w)),
      reason: optional(field("Our board moved", XSS_IMG)),
      name: optional(field("Colleague", XSS_SCRIPT)),
      email: optional(field("colleague@quillfeather.example")),
      title: optional(field("CFO", XSS_IMG)),
    }),
    post(
      "buyer link",
      "routes/s.$token",
      "anon",
      4,
      fc.oneof(
        fc.constant(`/s/${w.tokens.live}`),
        fc.constant(`/s/${w.tokens.revoked}`),
        hostile.map((h) => `/s/${segment(h)}`),
        fc.constantFrom(...RAW_SEGMENTS).map((raw) => `/s/${raw}`),
      ),
      {
        name: field("Petra Quill", XSS_SCRIPT),
        email: field("petra@quillfeather.example", "not-an-email"),
      },
    ),
    post(
      "email preferences",
      "routes/email-preferences.$token",
      "anon",
      3,
      fc.oneof(
        fc.constant(`/email-preferences/${w.preferenceToken}`),
        hostile.map((h) => `/email-preferences/${segment(h)}`),
        fc.constantFrom(...RAW_SEGMENTS).map((raw) => `/email-preferences/${raw}`),
      ),
      {
        intent: optional(field("save", "unsubscribe-all")),
        kind: fc.option(fc.array(field("due_soon", "overdue", "invite", "weekly_digest"), { maxLength: 5 }), { nil: undefined, freq: 6 }),
        "List-Unsubscribe": optional(field("One-Click")),
      },
    ),
    post("buyer resources", "routes/p.$planId_.resources", "buyer", 2, pathId("/p/{}/resources", `/p/${w.planP}/resources`), {
      intent: field("add-link", "remove", "require", ""),
      url: optional(field("https://docs.example.com/dpa", "ftp://files.example", XSS_IMG)),
      title: optional(field("Signed DPA", XSS_SCRIPT)),
      milestoneId: optional(field("", "@buyerMilestone", w.milestoneQ)),
      resourceId: optional(field("", w.milestoneQ)),
    }),
    get("buyer file", "routes/p.$planId_.files.$versionId", "buyer", 1, pathId(`/p/${w.planP}/files/{}`, `/p/${w.planP}/files/${w.fileVersionP}`)),
    post("buyer calendar", "routes/p.$planId_.calendar", "buyer", 2, pathId("/p/{}/calendar", `/p/${w.planP}/calendar`), {
      intent: optional(field("rotate")),
      scope: optional(field("mine", "plan")),
    }),
    post("rep calendar", "routes/_app.calendar-feed", "owner", 2, fc.constant("/calendar-feed"), { intent: optional(field("rotate")) }),
    get(
      "calendar feed",
      "routes/calendar.$feed",
      "anon",
      2,
      fc.oneof(
        fc.constant(`/calendar/${w.feedToken}.ics`),
        hostile.map((h) => `/calendar/${segment(h)}`),
        hostile.map((h) => `/calendar/${segment(h)}.ics`),
        fc.constantFrom(...RAW_SEGMENTS).map((raw) => `/calendar/${raw}.ics`),
      ),
    ),
    get("dev mailbox email", "routes/_app.dev.mailbox_.$emailId", "admin", 1, pathId("/dev/mailbox/{}", `/dev/mailbox/${w.mailboxEmailId}`)),
    post(
      "buyer email link",
      "routes/o.$signed",
      "anon",
      2,
      fc.oneof(
        fc.constant(`/o/${w.openLinkToken}`),
        hostile.map((h) => `/o/${segment(h)}`),
        fc.constantFrom(...RAW_SEGMENTS).map((raw) => `/o/${raw}`),
      ),
      {
        name: field("Petra Quill", XSS_SCRIPT),
        email: field("petra@quillfeather.example", "not-an-email"),
      },
    ),
    {
      ...post("api create plan", "routes/api.v1.plans", "anon", 3, fc.constant("/api/v1/plans"), {
        title: field("API plan", XSS_SCRIPT),
        buyerCompany: field("API Co", XSS_IMG),
        value: field("1000", "-1"),
        currency: field("USD", "ZZZ"),
        goLive: dateish(w),
        templateId: field(w.foreignTemplate, w.templateByAdmin),
        ownerId: optional(field(w.users.foreignAdmin, w.users.owner)),
        crmCloseDate: optional(dateish(w)),
        externalCrmId: optional(field("CRM-1", XSS_SCRIPT)),
      }),
      api: { token: (x) => x.apiTokens.foreign },
    },
    {
      ...post(
        "api update plan",
        "routes/api.v1.plans_.$planId",
        "anon",
        3,
        pathId("/api/v1/plans/{}", `/api/v1/plans/${w.planF}`, `/api/v1/plans/${w.planP}`),
        {
          externalCrmId: optional(field("CRM-9", XSS_IMG)),
          crmCloseDate: optional(dateish(w)),
          version: optional(field("1", "2")),
        },
      ),
      method: "PATCH",
      api: { token: (x) => x.apiTokens.foreign },
    },
    {
      ...post(
        "api close plan",
        "routes/api.v1.plans_.$planId_.close",
        "anon",
        2,
        pathId("/api/v1/plans/{}/close", `/api/v1/plans/${w.planF}/close`, `/api/v1/plans/${w.planP}/close`),
        {
          outcome: field("won", "lost", "no_decision", "open"),
          closedOn: optional(dateish(w)),
          lossReason: optional(field("timing", "nope")),
          closeNote: optional(field("Note", XSS_IMG)),
          version: optional(field("1", "2")),
        },
      ),
      api: { token: (x) => x.apiTokens.foreign },
    },
    {
      ...post(
        "api clone plan",
        "routes/api.v1.plans_.$planId_.clone",
        "anon",
        1,
        pathId("/api/v1/plans/{}/clone", `/api/v1/plans/${w.planF}/clone`, `/api/v1/plans/${w.planP}/clone`),
        { title: field("Fuzzed copy", XSS_IMG), goLive: dateish(w), buyerCompany: optional(field("Elsewhere", XSS_SCRIPT)) },
      ),
      api: { token: (x) => x.apiTokens.foreign },
    },
    {
      ...post(
        "api reopen plan",
        "routes/api.v1.plans_.$planId_.reopen",
        "anon",
        1,
        pathId("/api/v1/plans/{}/reopen", `/api/v1/plans/${w.planF}/reopen`, `/api/v1/plans/${w.planP}/reopen`),
        { version: optional(field("1", "2")) },
      ),
      api: { token: (x) => x.apiTokens.foreign },
    },
    {
      ...get("api plans", "routes/api.v1.plans", "anon", 2, fc.constant("/api/v1/plans"), {
        limit: optional(field("1", "100", "0", "101")),
        cursor: optional(field("abc", "")),
        status: optional(field("active", "won")),
      }),
      api: { token: (x) => x.apiTokens.read },
    },
    {
      ...get("api plan", "routes/api.v1.plans_.$planId", "anon", 1, pathId("/api/v1/plans/{}", `/api/v1/plans/${w.planP}`, `/api/v1/plans/${w.planF}`)),
      api: { token: (x) => x.apiTokens.read },
    },
    {
      ...get("api forecast", "routes/api.v1.forecast", "anon", 1, fc.constant("/api/v1/forecast"), { x: optional(hostile) }),
      api: { token: (x) => x.apiTokens.read },
    },
    {
      ...get("api forecast accuracy", "routes/api.v1.forecast_.accuracy", "anon", 2, fc.constant("/api/v1/forecast/accuracy"), {
        from: optional(field("FY2027-Q1", "FY0-Q9", "FY2099-Q1", "")),
        to: optional(hostile),
      }),
      api: { token: (x) => x.apiTokens.read },
    },
    {
      ...get(
        "api engagement",
        "routes/api.v1.plans_.$planId_.engagement",
        "anon",
        1,
        pathId("/api/v1/plans/{}/engagement", `/api/v1/plans/${w.planP}/engagement`, `/api/v1/plans/${w.planF}/engagement`),
      ),
      api: { token: (x) => x.apiTokens.read },
    },
    get("api description", "routes/api.v1.openapi[.json]", "anon", 1, fc.constant("/api/v1/openapi.json")),
    post("api tokens", "routes/_app.settings.api", "admin", 2, fc.constant("/settings/api"), {
      intent: field("create", "revoke"),
      name: optional(field("CRM sync", XSS_SCRIPT)),
      scope: optional(field("read", "read_write", "admin")),
      tokenId: optional(field("00000000-0000-0000-0000-000000000000")),
    }),
    // Without a file (a form, not multipart): colours checked and refused with their ratio, or reset.
    post("branding", "routes/_app.settings.branding", "admin", 1, fc.constant("/settings/branding"), {
      intent: field("save", "remove-logo", "reset-colour", ""),
      accent: optional(field("#1d4ed8", "#777777", "#fff", "blue", XSS_IMG, "")),
    }),
    // No network: a saved issuer is never fetched here (only at a sign-in), so any address may be stored.
    post("sso settings", "routes/_app.settings.sso", "admin", 1, fc.constant("/settings/sso"), {
      intent: field("save", "remove", ""),
      issuer: optional(field("https://idp.example.com/realms/x", "http://idp.example.com", "not a url", XSS_SCRIPT, "")),
      clientId: optional(field("plan-together", XSS_IMG, "")),
      clientSecret: optional(field("s3cret", "")),
      domains: optional(field("acme.test", "acme.test, fuzz.test", "not a domain", XSS_IMG, "")),
      defaultRole: optional(field("rep", "manager", "admin", "")),
      // Never "on": mandatory SSO would turn passwords off for the shared world's organisation.
      required: optional(field("off", "")),
    }),
    get("sso callback", "routes/sso.callback", "anon", 1, fc.constant("/sso/callback"), {
      code: optional(hostile),
      state: optional(hostile),
      iss: optional(field("https://evil.example", "")),
      error: optional(field("access_denied", "")),
    }),
    get("logo", "routes/logo.$orgId.$hash", "anon", 1, pathId(`/logo/${w.orgId}/{}`, `/logo/${w.orgId}/${"0".repeat(64)}`)),
    post("holidays", "routes/_app.settings.holidays", "admin", 1, fc.constant("/settings/holidays"), {
      intent: field("add", "remove", "import", "week"),
      date: optional(dateish(w)),
      name: optional(field("Company offsite", XSS_SCRIPT)),
      region: optional(field("US", "GB-ENG", "DE-BY", "XX")),
      weekday: fc.option(fc.array(field("1", "2", "3", "4", "5", "6", "7", "0", "8"), { maxLength: 8 }), { nil: undefined, freq: 4 }),
    }),
    post("webhooks", "routes/_app.settings.webhooks", "admin", 2, fc.constant("/settings/webhooks"), {
      intent: field("create", "test", "disable", "enable", "delete"),
      url: optional(
        field(
          "https://hooks.example.invalid/x",
          "http://127.0.0.1:22/",
          "http://169.254.169.254/latest/meta-data",
          "file:///etc/passwd",
          "https://user:pass@hooks.example.invalid/",
          "javascript:alert(1)",
        ),
      ),
      events: fc.option(fc.array(field("plan.go_live_changed", "milestone.completed", "webhook.test"), { maxLength: 3 }), { nil: undefined, freq: 6 }),
      endpointId: optional(field(w.webhookEndpointId, "00000000-0000-0000-0000-000000000000")),
    }),
    post("chat alerts", "routes/_app.settings.chat", "owner", 2, fc.constant("/settings/chat"), {
      intent: field("create", "test", "disable", "enable", "delete", ""),
      kind: optional(field("slack", "teams", "webhook", XSS_SCRIPT)),
      label: optional(field("#deals", XSS_SCRIPT, "<!channel>", "")),
      url: optional(
        field(
          "https://hooks.slack.com/services/T0/B0/x",
          "https://prod-01.westeurope.logic.azure.com/workflows/x",
          "https://hooks.slack.com.evil.example/services/x",
          "http://127.0.0.1:22/",
          "http://169.254.169.254/latest/meta-data",
          "javascript:alert(1)",
        ),
      ),
      scope: optional(field("mine", "organisation", "everyone")),
      events: fc.option(fc.array(field("plan.closed", "buyer.first_open", "plan.go_live_changed"), { maxLength: 3 }), { nil: undefined, freq: 6 }),
      channelId: optional(field(w.chatChannelId, w.webhookEndpointId, "00000000-0000-0000-0000-000000000000")),
    }),
    get(
      "webhook deliveries",
      "routes/_app.settings.webhooks_.$endpointId",
      "admin",
      1,
      pathId("/settings/webhooks/{}", `/settings/webhooks/${w.webhookEndpointId}`),
    ),
    get("plans list", "routes/_app.plans._index", "manager", 3, fc.constant("/plans"), {
      status: optional(field("all", "won", "active")),
      sort: optional(field("value", "golive", "company", "activity")),
      q: optional(field("Acme", "%", "_", "\\")),
    }),
    get("plan page", "routes/_app.plans.$planId._index", "owner", 2, pathId("/plans/{}", P, `/plans/${w.planQ}`), { side: optional(field("buyer", "seller")) }),
    get("forecast", "routes/_app.forecast", "admin", 2, fc.constant("/forecast"), { team: optional(field(w.users.manager, w.users.foreignAdmin, "")) }),
    get("forecast csv", "routes/_app.forecast[.csv]", "admin", 2, fc.constant("/forecast.csv"), { team: optional(field(w.users.manager, "")) }),
    get("forecast plans", "routes/_app.forecast_.plans", "admin", 3, fc.constant("/forecast/plans"), {
      period: optional(field("all", "earlier", "later", "none", "FY2027-Q1", "2026-12", "FY0-Q9", "2026-00")),
      confirmed: optional(field("yes", "no")),
      slipping: optional(field("yes", "no")),
      currency: optional(field("USD", "usd", "US")),
      flag: optional(field("pushed", "at-risk", "quiet", "constructor")),
      team: optional(field(w.users.manager, "")),
    }),
    get("forecast accuracy", "routes/_app.forecast_.accuracy", "admin", 2, fc.constant("/forecast/accuracy"), {
      team: optional(field(w.users.manager, w.users.foreignAdmin, "")),
      from: optional(field("FY2026-Q4", "FY2027-Q1", "FY0-Q9", "FY2099-Q1", "next", "")),
      to: optional(field("FY2027-Q3", "FY2020-Q1", "FY2027-Q5", "")),
    }),
    get("forecast accuracy csv", "routes/_app.forecast_.accuracy[.csv]", "admin", 2, fc.constant("/forecast/accuracy.csv"), {
      from: optional(field("FY2027-Q1", "FY0-Q9", "")),
    }),
    get("forecast accuracy plans", "routes/_app.forecast_.accuracy_.plans", "admin", 3, fc.constant("/forecast/accuracy/plans"), {
      h: optional(field("30", "60", "90", "45", "constructor", "")),
      source: optional(field("confirmed", "proposed", "projected", "crm", "__proto__")),
      only: optional(field("on_time", "in_quarter", "late")),
      young: optional(field("90", "7", "")),
      from: optional(field("FY2027-Q1", "nope")),
    }),
    get("template page", "routes/_app.templates.$templateId", "owner", 2, pathId("/templates/{}", "/templates/@template", `/templates/${w.foreignTemplate}`), {
      edit: optional(field("")),
      confirm: optional(field("delete")),
      saved: optional(field("1")),
    }),
    get("new template from", "routes/_app.templates.new", "owner", 1, fc.constant("/templates/new"), {
      from: optional(field(w.templateByAdmin, w.foreignTemplate)),
    }),
    get("login redirect", "routes/login", "owner", 1, fc.constant("/login"), {
      redirectTo: optional(field("/plans", "//evil.example", "https://evil.example", "/\\evil", "javascript:alert(1)")),
    }),
    get("start page", "routes/_index", "owner", 1, fc.constant("/"), { x: optional(hostile) }),
    get("health", "routes/healthz", "anon", 1, fc.constant("/healthz"), { x: optional(hostile) }),
  ];
}

/** What a person sees on an error answer: an alert, a marked field, an error in red, or an error page's heading. */
function hasVisibleMessage(contentType: string, body: string) {
  if (!contentType.includes("html")) return body.trim().length > 0;
  return /role="alert"|role="status"|aria-invalid="true"|class="[^"]*\btext-red-[6-9]00\b[^"]*">[^<]+<|<h[1-3][^>]*>[^<]*(not found|not allowed|slow down|not active|not valid|wait a moment|went wrong|couldn|can(?:'|&#x27;)t be shown)/i.test(
    body,
  );
}

describe.each(testDatabaseTargets())("fuzzing every action and endpoint on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let w: World;
  let planM: string;

  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database.db, database.kind);
    w = await buildWorld(database.db, server.origin);
    const p = await w.db.selectFrom("plans").select(["title", "go_live"]).where("id", "=", w.planP).executeTakeFirstOrThrow();
    planM = (
      await createPlan(
        w.db,
        {
          orgId: w.orgId,
          ownerId: w.users.owner,
          buyerCompany: "Milestone Fuzz Co",
          title: p.title,
          value: 1,
          currency: "USD",
          goLive: p.go_live,
          templateId: w.templateByAdmin,
        },
        w.seller("owner"),
        w.today,
      )
    ).plan.id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  /** Turns placeholders into ids and versions that exist right now (never the buyer's own person or link). */
  async function resolve(value: string, planId = w.planP): Promise<string> {
    const db = w.db;
    const milestone = () => db.selectFrom("milestones").select(["id", "version"]).where("plan_id", "=", planId).orderBy("position", "desc").executeTakeFirst();
    switch (value as Placeholder) {
      case "@version":
        return String((await db.selectFrom("plans").select("version").where("id", "=", planId).executeTakeFirstOrThrow()).version);
      case "@milestone":
        return (await milestone())?.id ?? w.milestoneQ;
      case "@milestoneVersion":
        return String((await milestone())?.version ?? 1);
      case "@buyerMilestone":
        return (
          (
            await db
              .selectFrom("milestones")
              .select("id")
              .where("plan_id", "=", w.planP)
              .where("owner_side", "<>", "seller")
              .orderBy("position")
              .executeTakeFirst()
          )?.id ?? w.milestoneQ
        );
      case "@stakeholder":
        return (
          (
            await db
              .selectFrom("stakeholders")
              .select("id")
              .where("plan_id", "=", w.planP)
              .where("id", "<>", w.stakeholderP)
              .orderBy("created_at", "desc")
              .executeTakeFirst()
          )?.id ?? w.stakeholderQ
        );
      case "@link":
        return (
          (
            await db
              .selectFrom("share_links")
              .select("id")
              .where("plan_id", "=", w.planP)
              .where("stakeholder_id", "<>", w.stakeholderP)
              .orderBy("created_at", "desc")
              .executeTakeFirst()
          )?.id ?? w.linkQ
        );
      case "@template":
        return (
          (await db.selectFrom("templates").select("id").where("org_id", "=", w.orgId).orderBy("updated_at", "desc").executeTakeFirst())?.id ??
          w.templateByAdmin
        );
      case "@templateVersion":
        return (
          (
            await db
              .selectFrom("templates")
              .select(sql<string>`to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`.as("v"))
              .where("org_id", "=", w.orgId)
              .orderBy("updated_at", "desc")
              .executeTakeFirst()
          )?.v ?? "1"
        );
      default:
        return value;
    }
  }
  async function resolvePath(p: string, planId: string) {
    let out = p;
    for (const placeholder of ["@milestone", "@template"] as const)
      if (out.includes(placeholder)) out = out.replace(placeholder, await resolve(placeholder, planId));
    return out;
  }

  /** Keeps plan P's page light: the newest 20 comments and 8 added people stay (the buyer's own stays always). */
  async function trimPlanP() {
    const comments = await w.db.selectFrom("comments").select("id").where("plan_id", "=", w.planP).orderBy("created_at", "desc").execute();
    if (comments.length > 40)
      await w.db
        .deleteFrom("comments")
        .where(
          "id",
          "in",
          comments.slice(20).map((c) => c.id),
        )
        .execute();
    const people = await w.db
      .selectFrom("stakeholders")
      .select("id")
      .where("plan_id", "=", w.planP)
      .where("id", "<>", w.stakeholderP)
      .orderBy("created_at", "desc")
      .execute();
    if (people.length > 16) {
      const removed = people.slice(8).map((p) => p.id);
      await w.db.updateTable("milestones").set({ owner_stakeholder_id: null }).where("owner_stakeholder_id", "in", removed).execute();
      await w.db.deleteFrom("stakeholders").where("id", "in", removed).execute();
    }
  }

  /** Keeps plan M at a dozen-odd milestones: removes the newest beyond 20 (outside the write path; only its size matters here). */
  async function trimPlanM() {
    const rows = await w.db.selectFrom("milestones").select("id").where("plan_id", "=", planM).orderBy("position").orderBy("created_at").execute();
    if (rows.length > 20)
      await w.db
        .deleteFrom("milestones")
        .where("plan_id", "=", planM)
        .where(
          "id",
          "in",
          rows.slice(12).map((r) => r.id),
        )
        .execute();
  }

  it("has a target for every action and every API endpoint (resource route) of the server build", async () => {
    const all = targets(w, planM);
    const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
    const uncovered = Object.entries(build.routes)
      .filter(([, r]) => typeof r.module.action === "function" || (typeof r.module.loader === "function" && !r.module.default))
      .filter(([id, r]) => !all.some((t) => t.route === id && (t.method !== "GET" || typeof r.module.action !== "function")))
      .map(([id]) => id);
    expect(uncovered, "routes without a fuzz target").toEqual([]);
  });

  it(`answers ${TOTAL_RUNS} hostile requests without a 500, every refusal with a message`, { timeout: 900_000 }, async () => {
    const all = targets(w, planM);

    // The runs are shared between the databases: PostgreSQL, with connections to spare, takes the
    // larger part and runs it on several lanes at once; PGlite serialises everything; Citus, where
    // each request crosses to a worker, takes a tenth (it is there for what the engine refuses, and
    // the hostile inputs are the same everywhere).
    const runsHere = runsFor(
      target.name,
      testDatabaseTargets().map((t) => t.name),
    );
    const lanes = target.name === "pglite" ? 1 : 3;
    const totalWeight = all.reduce((s, t) => s + t.weight, 0);
    const plan = all.map((t) => ({ t, numRuns: Math.floor((runsHere * t.weight) / totalWeight) }));
    for (let i = 0, rest = runsHere - plan.reduce((s, p) => s + p.numRuns, 0); rest > 0; i = (i + 1) % plan.length, rest--) plan[i].numRuns++;
    const problems: string[] = [];
    const statuses: Record<string, number> = {};
    const perTarget: string[] = [];
    let runs = 0;
    let previous = "";
    let resets = 0;
    const started = performance.now();

    const runTarget = async (t: Target, numRuns: number, index: number) => {
      const targetStarted = performance.now();
      let targetRuns = 0;
      const planId = t.onPlanM ? planM : w.planP;
      await fc.assert(
        fc.asyncProperty(t.input(w), async ({ path: rawPath, form }) => {
          if (t.onPlanM) await trimPlanM();
          else if (targetRuns % 20 === 0) await trimPlanP();
          const values: FormValues = {};
          for (const [k, v] of Object.entries(form)) {
            if (v === undefined) continue;
            values[k] = Array.isArray(v) ? await Promise.all(v.map((x) => resolve(x, planId))) : await resolve(v, planId);
          }
          const p = await resolvePath(rawPath, planId);
          if (t.route === "routes/s.$token" || p.startsWith("/s/")) await clearLinkThrottle(w.db);
          const headers = new Headers();
          if (w.cookies[t.actor]) headers.set("Cookie", w.cookies[t.actor]);
          let url = `${w.origin}${p}`;
          let body: string | undefined;
          if (t.api) headers.set("Authorization", `Bearer ${t.api.token(w)}`);
          if (t.method !== "GET" && t.api) {
            headers.set("Content-Type", "application/json");
            body = JSON.stringify(values);
          } else if (t.method !== "GET") {
            headers.set("Origin", w.origin);
            headers.set("Content-Type", "application/x-www-form-urlencoded");
            body = encodeForm(values);
          } else if (Object.keys(values).length) {
            url += `?${encodeForm(values)}`;
          }
          const sample = JSON.stringify({
            path: p.slice(0, 200),
            values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v).slice(0, 120)])),
          });
          targetRuns++;
          let response: Response;
          let text: string;
          const send = async () => {
            const r = await fetch(url, { method: t.method, headers, body, redirect: "manual" });
            return { r, text: await r.text() };
          };
          try {
            ({ r: response, text } = await send());
          } catch {
            // A keep-alive connection the server closed after answering the previous request early
            // (without reading its large body) fails the next request sent on it, before the server
            // sees it; browsers retry on a new connection, and so do we, once. Twice is a failure.
            resets++;
            try {
              ({ r: response, text } = await send());
            } catch (error) {
              const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
              statuses.dropped = (statuses.dropped ?? 0) + 1;
              problems.push(`${t.name}: connection failed twice (${cause}) for ${sample} (previous request: ${previous})`);
              return true;
            }
          }
          previous = `${t.name} ${response.status} ${sample.slice(0, 300)}`;
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (response.status >= 500) problems.push(`${t.name}: ${response.status} for ${sample}: ${text.slice(0, 200)}`);
          // 431: Node itself refuses a request line or headers over 16 kB (a 300 kB query) before the app sees it.
          else if (response.status >= 400 && response.status !== 431 && !hasVisibleMessage(response.headers.get("content-type") ?? "", text))
            problems.push(`${t.name}: ${response.status} without a visible message for ${sample}`);
          return true;
        }),
        { numRuns, seed: SEED + index, endOnFailure: true },
      );
      runs += targetRuns;
      perTarget.push(`${t.name} ${targetRuns} (${((performance.now() - targetStarted) / 1000).toFixed(1)} s)`);
    };
    // Heaviest first, dealt round-robin to the lanes.
    const queue = plan
      .map((p, index) => ({ ...p, index }))
      .filter((p) => p.numRuns > 0)
      .sort((a, b) => b.numRuns - a.numRuns);
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (const item of queue.filter((_, i) => i % lanes === lane)) await runTarget(item.t, item.numRuns, item.index);
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    // Stored payloads come back escaped on every page that shows them.
    const pages: Array<[ActorName, string]> = [
      ["owner", `/plans/${w.planP}`],
      ["owner", "/plans?status=all"],
      ["owner", `/plans/${w.planP}/milestones/${await resolve("@milestone")}`],
      ["owner", `/plans/${w.planP}/edit`],
      ["owner", "/templates"],
      ["owner", `/templates/${await resolve("@template")}`],
      ["admin", "/team"],
      ["buyer", `/p/${w.planP}`],
      ["admin", "/forecast"],
      ["admin", "/forecast/plans?period=all"],
    ];
    const unescaped: string[] = [];
    for (const [actor, page] of pages) {
      const html = await (await fetch(`${w.origin}${page}`, { headers: { Cookie: w.cookies[actor] } })).text();
      for (const marker of RAW_MARKERS) if (html.includes(marker)) unescaped.push(`${page}: ${marker}`);
    }
    const stored = await w.db.selectFrom("milestones").select("id").where("title", "in", [XSS_SCRIPT, XSS_IMG]).execute();

    console.log(
      `[fuzz] ${target.name}: ${runs} runs (of ${TOTAL_RUNS} over the databases) over ${all.length} targets on ${lanes} lane(s) in ${seconds.toFixed(1)} s (seed ${SEED}); statuses ${JSON.stringify(statuses)}; ` +
        `5xx ${problems.filter((p) => / 5\d\d for /.test(p)).length}; connections reset then retried ${resets}, dropped twice ${statuses.dropped ?? 0}; 4xx without a message ${problems.filter((p) => p.includes("without a visible message")).length}; ` +
        `pages checked for raw payloads ${pages.length}, unescaped ${unescaped.length}; milestones stored with a payload title ${stored.length}`,
    );
    console.log(`[fuzz] ${target.name}: per target: ${perTarget.join("; ")}`);
    expect(runs).toBe(runsHere);
    // One line per kind of problem: how often, and the first input that showed it.
    const kinds = new Map<string, { count: number; first: string }>();
    for (const problem of problems) {
      const kind = problem.replace(/ for \{.*$/s, "");
      const seen = kinds.get(kind) ?? { count: 0, first: problem };
      seen.count++;
      kinds.set(kind, seen);
    }
    expect([...kinds].map(([kind, { count, first }]) => `${count}× ${kind} — first: ${first.slice(0, 600)}`)).toEqual([]);
    expect(unescaped).toEqual([]);
  });
});
