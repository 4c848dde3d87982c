import { EXAMPLE_TEMPLATE_CSV } from "~/domain/template-csv";
import { ACTORS, CHAT_CHANNEL_LABEL, F_COMPANY, P_COMPANY, type ActorName, type World } from "./safety-world";
import { workingDayOnOrAfter } from "./working-day";

/*
 * Item 1 of the safety suite: who may do what, declared ONCE. Every route of the server build with
 * a loader or an action has a row here (tests/integration/authz-matrix.test.ts fails on a route
 * without one, and on a row for a route that no longer exists). Each row lists probes: a request
 * (GET for the loader, POST with a harmless but VALID form for the action, so a missing check
 * would show as a success) and the outcome expected for every actor.
 *
 * Outcomes: "ok" (2xx, or a redirect anywhere but the login page), "invalid" (400/409/413: the
 * handler ran and refused the input), "login" (redirect to /login), "401" (the JSON API without a
 * bearer token: cookies never authenticate it), "403", "404".
 */
export type Outcome = "ok" | "invalid" | "login" | "401" | "403" | "404";
export type Expectations = Record<ActorName, Outcome>;
export type FormValues = Record<string, string | string[]>;

export interface Probe {
  label: string;
  method: "GET" | "POST";
  path: (w: World) => string;
  /** The form a POST sends (built fresh for each request: versions move as allowed actors save). */
  form?: (w: World, actor: ActorName) => FormValues | Promise<FormValues>;
  expect: Expectations;
  /** Extra request headers (an API bearer token): the same for every actor. */
  headers?: (w: World) => Record<string, string>;
  /** Ends the session it is sent with: each seller actor sends it with a session of its own. */
  freshSession?: boolean;
  /** Unknown tokens count as guesses: reset the guess throttle before each request. */
  resetLinkThrottle?: boolean;
  /** Text that must not appear in the answer to these actors (another team's or organisation's data). */
  mustNotShow?: Array<{ text: (w: World) => string; actors: ActorName[] }>;
  /** Text that must appear for these actors (proves the page would have shown it). */
  mustShow?: Array<{ text: (w: World) => string; actors: ActorName[] }>;
}

export interface RouteRow {
  /** The route id in the server build (`build/index.js` → routes). */
  id: string;
  /** A pathless layout: its loader runs under every child route's probes. */
  layoutOf?: string;
  probes: Probe[];
}

function outcomes(base: Outcome, overrides: Partial<Record<ActorName, Outcome>> = {}): Expectations {
  return Object.fromEntries(ACTORS.map((a) => [a, overrides[a] ?? base])) as Expectations;
}
const BUYERS_TO_LOGIN = { anon: "login", buyer: "login", otherBuyer: "login", revokedBuyer: "login" } as const;
/** Everyone, signed in or not, gets the same answer. */
const everyone = (o: Outcome) => outcomes(o);
/** Any signed-in seller; anonymous visitors and buyers (who have no seller session) go to the login page. */
const anySeller = (o: Outcome) => outcomes(o, BUYERS_TO_LOGIN);
/** Plan P (rep1's): its owner, rep1's manager and the admin. Others: 404, never 403 (ADR 003). */
const planP = (o: Outcome) => outcomes("404", { ...BUYERS_TO_LOGIN, owner: o, manager: o, admin: o });
/** Only the buyer whose live link opens plan P. */
const buyerOfP = (o: Outcome) => outcomes("404", { buyer: o });
/** Administrators, each of their own organisation. */
const adminOnly = (o: Outcome, foreign: Outcome) => outcomes("403", { ...BUYERS_TO_LOGIN, admin: o, foreignAdmin: foreign });

const signedInToPlans = { owner: "ok", otherRep: "ok", manager: "ok", otherManager: "ok", admin: "ok", foreignAdmin: "ok" } as const;
const outsidersOfP: ActorName[] = ["otherRep", "otherManager", "foreignAdmin"];
const insidersOfP: ActorName[] = ["owner", "manager", "admin"];
const thisOrgSellers: ActorName[] = ["owner", "otherRep", "manager", "otherManager", "admin"];
const hidesP = { text: () => P_COMPANY, actors: outsidersOfP };
const hidesForeign = { text: () => F_COMPANY, actors: thisOrgSellers };
const showsP = { text: () => P_COMPANY, actors: insidersOfP };

const plan = (w: World) => w.db.selectFrom("plans").selectAll().where("id", "=", w.planP).executeTakeFirstOrThrow();
const shiftDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const workingDayFrom = (w: World, iso: string) => workingDayOnOrAfter(w.db, w.orgId, iso);

export const ROUTE_TABLE: RouteRow[] = [
  { id: "routes/_app", layoutOf: "every signed-in page (routes/_app.*)", probes: [] },
  {
    id: "routes/_index",
    probes: [{ label: "GET /", method: "GET", path: () => "/", expect: outcomes("ok", BUYERS_TO_LOGIN) }],
  },
  {
    id: "routes/healthz",
    probes: [{ label: "GET /healthz", method: "GET", path: () => "/healthz", expect: everyone("ok") }],
  },
  {
    id: "routes/login",
    probes: [
      { label: "GET /login", method: "GET", path: () => "/login", expect: everyone("ok") },
      // A signed-in seller's page reload after the refused post lands on their plans (the loader redirects).
      {
        label: "POST /login (empty)",
        method: "POST",
        path: () => "/login",
        form: () => ({ email: "", password: "" }),
        expect: outcomes("invalid", signedInToPlans),
      },
    ],
  },
  {
    id: "routes/signup",
    probes: [
      { label: "GET /signup", method: "GET", path: () => "/signup", expect: everyone("ok") },
      {
        label: "POST /signup (empty)",
        method: "POST",
        path: () => "/signup",
        form: () => ({ organisation: "", name: "", email: "", password: "" }),
        expect: outcomes("invalid", signedInToPlans),
      },
    ],
  },
  {
    id: "routes/password.forgot",
    probes: [
      { label: "GET /password/forgot", method: "GET", path: () => "/password/forgot", expect: everyone("ok") },
      { label: "POST /password/forgot (empty)", method: "POST", path: () => "/password/forgot", form: () => ({ email: "" }), expect: everyone("invalid") },
    ],
  },
  {
    id: "routes/password.set.$token",
    probes: [
      // The token is the credential: signed in or not, an unknown one opens nothing.
      { label: "GET /password/set/<unknown>", method: "GET", path: () => `/password/set/${"Z".repeat(43)}`, expect: everyone("404") },
      {
        label: "POST /password/set/<unknown>",
        method: "POST",
        path: () => `/password/set/${"Z".repeat(43)}`,
        form: () => ({ password: "long-enough-password", confirm: "long-enough-password" }),
        expect: everyone("404"),
      },
    ],
  },
  {
    id: "routes/_app.account",
    probes: [
      { label: "GET /account", method: "GET", path: () => "/account", expect: anySeller("ok") },
      {
        label: "POST /account (empty)",
        method: "POST",
        path: () => "/account",
        form: () => ({ currentPassword: "", password: "", confirm: "" }),
        expect: anySeller("invalid"),
      },
    ],
  },
  {
    id: "routes/logout",
    probes: [
      { label: "GET /logout", method: "GET", path: () => "/logout", expect: everyone("ok") },
      { label: "POST /logout", method: "POST", path: () => "/logout", form: () => ({}), expect: everyone("login"), freshSession: true },
    ],
  },
  {
    id: "routes/_app.plans._index",
    probes: [
      { label: "GET /plans", method: "GET", path: () => "/plans", expect: anySeller("ok"), mustNotShow: [hidesP, hidesForeign], mustShow: [showsP] },
      {
        label: "GET /plans?status=all&q=Quill",
        method: "GET",
        path: () => "/plans?status=all&q=Quill",
        expect: anySeller("ok"),
        mustNotShow: [hidesP],
        mustShow: [showsP],
      },
    ],
  },
  {
    id: "routes/_app.plans.new",
    probes: [
      { label: "GET /plans/new", method: "GET", path: () => "/plans/new", expect: anySeller("ok") },
      {
        label: "POST /plans/new",
        method: "POST",
        path: () => "/plans/new",
        form: async (w, actor) => ({
          buyerCompany: `Matrix new plan by ${actor}`,
          title: "Created by the matrix",
          value: "1000",
          currency: "USD",
          goLive: await workingDayFrom(w, shiftDays(w.today, 90)),
          crmCloseDate: "",
          templateId: "",
        }),
        expect: anySeller("ok"),
      },
    ],
  },
  {
    id: "routes/_app.plans.$planId._index",
    probes: [
      { label: "GET /plans/P", method: "GET", path: (w) => `/plans/${w.planP}`, expect: planP("ok") },
      {
        label: "POST /plans/P comment",
        method: "POST",
        path: (w) => `/plans/${w.planP}`,
        form: () => ({ intent: "comment", milestoneId: "", body: "Checked by the authorization matrix." }),
        expect: planP("ok"),
      },
      {
        label: "POST /plans/P complete",
        method: "POST",
        path: (w) => `/plans/${w.planP}`,
        form: async (w) => {
          const m = await w.db.selectFrom("milestones").select(["id", "version", "completed_on"]).where("id", "=", w.milestoneP).executeTakeFirstOrThrow();
          return { intent: m.completed_on ? "reopen" : "complete", milestoneId: m.id, version: String(m.version) };
        },
        expect: planP("ok"),
      },
      {
        label: "GET /plans/F (other organisation's plan)",
        method: "GET",
        path: (w) => `/plans/${w.planF}`,
        expect: outcomes("404", { ...BUYERS_TO_LOGIN, foreignAdmin: "ok" }),
      },
      // P is open: reopening it is refused (400) once the actor is allowed to try, so nothing changes for anyone.
      {
        label: "POST /plans/P reopen-plan (an open plan)",
        method: "POST",
        path: (w) => `/plans/${w.planP}`,
        form: async (w) => ({ intent: "reopen-plan", version: String((await plan(w)).version) }),
        expect: planP("invalid"),
      },
    ],
  },
  {
    id: "routes/_app.plans.$planId.close",
    probes: [
      { label: "GET /plans/P/close", method: "GET", path: (w) => `/plans/${w.planP}/close`, expect: planP("ok") },
      {
        // A valid close with a stale version: refused with 409 after the scope check, so P stays open for every other probe.
        label: "POST /plans/P/close (valid, stale version)",
        method: "POST",
        path: (w) => `/plans/${w.planP}/close`,
        form: async (w) => ({
          outcome: "lost",
          closedOn: "2020-01-02",
          lossReason: "budget",
          closeNote: "Matrix",
          version: String((await plan(w)).version + 100),
        }),
        expect: planP("invalid"),
      },
    ],
  },
  {
    id: "routes/_app.plans.$planId.clone",
    probes: [
      { label: "GET /plans/P/clone", method: "GET", path: (w) => `/plans/${w.planP}/clone`, expect: planP("ok") },
      {
        // A whole form with a go-live in the past: refused with 400 after the scope check, so no copy is made.
        label: "POST /plans/P/clone (go-live in the past)",
        method: "POST",
        path: (w) => `/plans/${w.planP}/clone`,
        form: () => ({ title: "Matrix copy", buyerCompany: "Matrix Co", value: "1000", currency: "USD", goLive: "2020-01-02", copyPeople: "on" }),
        expect: planP("invalid"),
      },
    ],
  },
  {
    id: "routes/_app.plans.$planId.resources",
    probes: [
      { label: "GET /plans/P/resources", method: "GET", path: (w) => `/plans/${w.planP}/resources`, expect: planP("ok") },
      {
        label: "POST /plans/P/resources add a link",
        method: "POST",
        path: (w) => `/plans/${w.planP}/resources`,
        form: () => ({ intent: "add-link", url: "https://docs.example.com/matrix", title: "Matrix link", milestoneId: "" }),
        expect: planP("ok"),
      },
    ],
  },
  {
    id: "routes/_app.plans.$planId.files.$versionId",
    probes: [{ label: "GET /plans/P/files/V", method: "GET", path: (w) => `/plans/${w.planP}/files/${w.fileVersionP}`, expect: planP("ok") }],
  },
  {
    id: "routes/p.$planId_.resources",
    probes: [
      { label: "GET /p/P/resources", method: "GET", path: (w) => `/p/${w.planP}/resources`, expect: buyerOfP("ok") },
      {
        label: "POST /p/P/resources add a link",
        method: "POST",
        path: (w) => `/p/${w.planP}/resources`,
        form: () => ({ intent: "add-link", url: "https://docs.example.com/buyer", title: "Buyer link", milestoneId: "" }),
        expect: buyerOfP("ok"),
      },
    ],
  },
  {
    id: "routes/p.$planId_.files.$versionId",
    probes: [{ label: "GET /p/P/files/V", method: "GET", path: (w) => `/p/${w.planP}/files/${w.fileVersionP}`, expect: buyerOfP("ok") }],
  },
  {
    id: "routes/_app.plans.$planId.edit",
    probes: [
      { label: "GET /plans/P/edit", method: "GET", path: (w) => `/plans/${w.planP}/edit`, expect: planP("ok") },
      {
        label: "POST /plans/P/edit (same values)",
        method: "POST",
        path: (w) => `/plans/${w.planP}/edit`,
        form: async (w) => {
          const p = await plan(w);
          return {
            buyerCompany: p.buyer_company,
            title: p.title,
            value: String(p.value),
            currency: p.currency,
            crmCloseDate: p.crm_close_date ?? "",
            status: p.status,
            version: String(p.version),
          };
        },
        expect: planP("ok"),
      },
    ],
  },
  {
    id: "routes/_app.plans.$planId.go-live",
    probes: [
      { label: "GET /plans/P/go-live", method: "GET", path: (w) => `/plans/${w.planP}/go-live`, expect: planP("ok") },
      {
        label: "POST /plans/P/go-live preview",
        method: "POST",
        path: (w) => `/plans/${w.planP}/go-live`,
        form: async (w) => ({
          intent: "preview",
          goLive: await workingDayFrom(w, shiftDays((await plan(w)).go_live, 7)),
          reason: "Matrix preview",
          version: String((await plan(w)).version),
        }),
        expect: planP("ok"),
      },
    ],
  },
  {
    id: "routes/_app.plans.$planId.milestones.new",
    probes: [
      { label: "GET /plans/P/milestones/new", method: "GET", path: (w) => `/plans/${w.planP}/milestones/new`, expect: planP("ok") },
      {
        label: "POST /plans/P/milestones/new",
        method: "POST",
        path: (w) => `/plans/${w.planP}/milestones/new`,
        form: (_w, actor) => ({
          title: `Matrix step by ${actor}`,
          description: "",
          ownerSide: "seller",
          ownerStakeholderId: "",
          durationDays: "1",
          lagDays: "0",
          pinnedDate: "",
          completedOn: "",
        }),
        expect: planP("ok"),
      },
    ],
  },
  {
    id: "routes/_app.plans.$planId.milestones.$milestoneId",
    probes: [
      { label: "GET /plans/P/milestones/M", method: "GET", path: (w) => `/plans/${w.planP}/milestones/${w.milestoneP}`, expect: planP("ok") },
      {
        label: "POST /plans/P/milestones/M (same values)",
        method: "POST",
        path: (w) => `/plans/${w.planP}/milestones/${w.milestoneP}`,
        form: async (w) => {
          const m = await w.db.selectFrom("milestones").selectAll().where("id", "=", w.milestoneP).executeTakeFirstOrThrow();
          const deps = await w.db.selectFrom("milestone_dependencies").select("depends_on_id").where("milestone_id", "=", m.id).execute();
          return {
            title: m.title,
            description: m.description,
            ownerSide: m.owner_side,
            ownerStakeholderId: m.owner_stakeholder_id ?? "",
            durationDays: String(m.duration_days),
            lagDays: String(m.lag_days),
            pinnedDate: m.pinned_date ?? "",
            completedOn: m.completed_on ?? "",
            ...(m.is_close ? { isClose: "on" } : {}),
            dependsOn: deps.map((d) => d.depends_on_id),
            version: String(m.version),
          };
        },
        expect: planP("ok"),
      },
    ],
  },
  {
    id: "routes/_app.team",
    probes: [
      {
        label: "GET /team",
        method: "GET",
        path: () => "/team",
        expect: adminOnly("ok", "ok"),
        mustNotShow: [{ text: () => "rep1@demo.example", actors: ["foreignAdmin"] }],
      },
      {
        label: "POST /team update (a rep of this organisation)",
        method: "POST",
        path: () => "/team",
        form: (w) => ({ intent: "update", userId: w.users.otherTeamRep, role: "rep", managerId: w.users.otherManager }),
        // The other organisation's admin names a user who is not theirs: refused as unknown.
        expect: adminOnly("ok", "invalid"),
      },
      {
        label: "POST /team resend (a teammate who has a password)",
        method: "POST",
        path: () => "/team",
        form: (w) => ({ intent: "resend", userId: w.users.otherTeamRep }),
        // Nothing to resend in this organisation; not a teammate at all in the other.
        expect: adminOnly("invalid", "invalid"),
      },
    ],
  },
  {
    id: "routes/_app.templates._index",
    probes: [
      {
        label: "GET /templates",
        method: "GET",
        path: () => "/templates",
        expect: anySeller("ok"),
        mustNotShow: [{ text: () => "Foreignia template", actors: thisOrgSellers }],
      },
    ],
  },
  {
    id: "routes/_app.templates.new",
    probes: [
      { label: "GET /templates/new", method: "GET", path: () => "/templates/new", expect: anySeller("ok") },
      {
        label: "GET /templates/new?from=foreign",
        method: "GET",
        path: (w) => `/templates/new?from=${w.foreignTemplate}`,
        expect: anySeller("ok"),
        mustNotShow: [{ text: () => "Foreign step", actors: thisOrgSellers }],
      },
      {
        label: "POST /templates/new add-rows",
        method: "POST",
        path: () => "/templates/new",
        form: () => ({ intent: "add-rows", name: "Matrix", description: "", "rows[0].title": "" }),
        expect: anySeller("ok"),
      },
    ],
  },
  {
    id: "routes/_app.templates.import",
    probes: [
      { label: "GET /templates/import", method: "GET", path: () => "/templates/import", expect: anySeller("ok") },
      {
        label: "POST /templates/import",
        method: "POST",
        path: () => "/templates/import",
        form: (_w, actor) => ({ name: `Matrix import by ${actor}`, description: "", csv: EXAMPLE_TEMPLATE_CSV }),
        expect: anySeller("ok"),
      },
    ],
  },
  {
    id: "routes/_app.templates.$templateId",
    probes: [
      {
        label: "GET /templates/T (admin's)",
        method: "GET",
        path: (w) => `/templates/${w.templateByAdmin}`,
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, foreignAdmin: "404" }),
      },
      {
        label: "GET /templates/T?edit (admin's)",
        method: "GET",
        path: (w) => `/templates/${w.templateByAdmin}?edit`,
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, foreignAdmin: "404" }),
      },
      {
        label: "POST /templates/T add-rows (admin's)",
        method: "POST",
        path: (w) => `/templates/${w.templateByAdmin}`,
        form: () => ({ intent: "add-rows", name: "Enterprise purchase", description: "" }),
        // Author, managers and admins edit; other reps may only use it.
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, owner: "403", otherRep: "403", foreignAdmin: "404" }),
      },
      {
        label: "POST /templates/T add-rows (rep1's own)",
        method: "POST",
        path: (w) => `/templates/${w.templateByOwner}`,
        form: () => ({ intent: "add-rows", name: "Owner's own template", description: "" }),
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, otherRep: "403", foreignAdmin: "404" }),
      },
      {
        label: "GET /templates/F (other organisation's)",
        method: "GET",
        path: (w) => `/templates/${w.foreignTemplate}`,
        expect: outcomes("404", { ...BUYERS_TO_LOGIN, foreignAdmin: "ok" }),
      },
    ],
  },
  {
    id: "routes/_app.forecast",
    probes: [
      { label: "GET /forecast", method: "GET", path: () => "/forecast", expect: anySeller("ok"), mustNotShow: [hidesP, hidesForeign] },
      // Only an admin picks a team; another organisation's manager is not a team there.
      {
        label: "GET /forecast?team=rep1's manager",
        method: "GET",
        path: (w) => `/forecast?team=${w.users.manager}`,
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, foreignAdmin: "404" }),
        mustNotShow: [hidesP, hidesForeign],
      },
    ],
  },
  {
    id: "routes/_app.forecast[.csv]",
    probes: [
      {
        label: "GET /forecast.csv",
        method: "GET",
        path: () => "/forecast.csv",
        expect: anySeller("ok"),
        mustNotShow: [hidesP, hidesForeign],
        mustShow: [showsP],
      },
      {
        label: "GET /forecast.csv?team=rep1's manager",
        method: "GET",
        path: (w) => `/forecast.csv?team=${w.users.manager}`,
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, foreignAdmin: "404" }),
        mustNotShow: [hidesP, hidesForeign],
      },
    ],
  },
  {
    id: "routes/_app.forecast_.plans",
    probes: [
      {
        label: "GET /forecast/plans?period=all",
        method: "GET",
        path: () => "/forecast/plans?period=all",
        expect: anySeller("ok"),
        mustNotShow: [hidesP, hidesForeign],
        mustShow: [showsP],
      },
      {
        label: "GET /forecast/plans?team=rep1's manager",
        method: "GET",
        path: (w) => `/forecast/plans?period=all&team=${w.users.manager}`,
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, foreignAdmin: "404" }),
        mustNotShow: [hidesP, hidesForeign],
      },
    ],
  },
  {
    id: "routes/_app.forecast_.accuracy",
    probes: [
      { label: "GET /forecast/accuracy", method: "GET", path: () => "/forecast/accuracy", expect: anySeller("ok"), mustNotShow: [hidesP, hidesForeign] },
      {
        label: "GET /forecast/accuracy?team=rep1's manager",
        method: "GET",
        path: (w) => `/forecast/accuracy?team=${w.users.manager}`,
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, foreignAdmin: "404" }),
        mustNotShow: [hidesP, hidesForeign],
      },
    ],
  },
  {
    id: "routes/_app.forecast_.accuracy[.csv]",
    probes: [
      {
        label: "GET /forecast/accuracy.csv",
        method: "GET",
        path: () => "/forecast/accuracy.csv",
        expect: anySeller("ok"),
        mustNotShow: [hidesP, hidesForeign],
      },
      {
        label: "GET /forecast/accuracy.csv?team=rep1's manager",
        method: "GET",
        path: (w) => `/forecast/accuracy.csv?team=${w.users.manager}`,
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, foreignAdmin: "404" }),
        mustNotShow: [hidesP, hidesForeign],
      },
    ],
  },
  {
    id: "routes/_app.forecast_.accuracy_.plans",
    probes: [
      {
        label: "GET /forecast/accuracy/plans?h=30&source=confirmed",
        method: "GET",
        path: () => "/forecast/accuracy/plans?h=30&source=confirmed",
        expect: anySeller("ok"),
        mustNotShow: [hidesP, hidesForeign],
      },
      {
        label: "GET /forecast/accuracy/plans?young=90&team=rep1's manager",
        method: "GET",
        path: (w) => `/forecast/accuracy/plans?young=90&team=${w.users.manager}`,
        expect: outcomes("ok", { ...BUYERS_TO_LOGIN, foreignAdmin: "404" }),
        mustNotShow: [hidesP, hidesForeign],
      },
    ],
  },
  {
    id: "routes/_app.dev.mailbox",
    probes: [
      {
        label: "GET /dev/mailbox",
        method: "GET",
        path: () => "/dev/mailbox",
        expect: adminOnly("ok", "ok"),
        mustNotShow: [{ text: () => "Safety suite mailbox probe", actors: ["foreignAdmin"] }],
      },
    ],
  },
  {
    id: "routes/_app.dev.mailbox_.$emailId",
    probes: [{ label: "GET /dev/mailbox/E", method: "GET", path: (w) => `/dev/mailbox/${w.mailboxEmailId}`, expect: adminOnly("ok", "404") }],
  },
  {
    id: "routes/_app.settings.api",
    probes: [
      {
        label: "GET /settings/api",
        method: "GET",
        path: () => "/settings/api",
        expect: adminOnly("ok", "ok"),
        mustNotShow: [{ text: () => "Safety suite (read)", actors: ["foreignAdmin"] }],
      },
      {
        label: "POST /settings/api create",
        method: "POST",
        path: () => "/settings/api",
        form: (_w, actor) => ({ intent: "create", name: `Matrix token by ${actor}`, scope: "read" }),
        expect: adminOnly("ok", "ok"),
      },
    ],
  },
  {
    id: "routes/_app.settings.holidays",
    probes: [
      { label: "GET /settings/holidays", method: "GET", path: () => "/settings/holidays", expect: adminOnly("ok", "ok") },
      // Saving the working week it already has: a valid form that changes nothing.
      {
        label: "POST /settings/holidays week",
        method: "POST",
        path: () => "/settings/holidays",
        form: () => ({ intent: "week", weekday: ["1", "2", "3", "4", "5"] }),
        expect: adminOnly("ok", "ok"),
      },
    ],
  },
  {
    id: "routes/_app.settings.webhooks",
    probes: [
      {
        label: "GET /settings/webhooks",
        method: "GET",
        path: () => "/settings/webhooks",
        expect: adminOnly("ok", "ok"),
        mustNotShow: [{ text: () => "hooks.example.invalid", actors: ["foreignAdmin"] }],
      },
      // Disabling an endpoint of this organisation (it stays disabled): the other organisation's admin names an unknown one.
      {
        label: "POST /settings/webhooks disable",
        method: "POST",
        path: () => "/settings/webhooks",
        form: (w) => ({ intent: "disable", endpointId: w.webhookEndpointId }),
        expect: adminOnly("ok", "invalid"),
      },
    ],
  },
  {
    id: "routes/_app.settings.branding",
    probes: [
      { label: "GET /settings/branding", method: "GET", path: () => "/settings/branding", expect: adminOnly("ok", "ok") },
      // Resetting a colour never set: a valid form that changes nothing; each admin resets their own organisation's.
      {
        label: "POST /settings/branding reset-colour",
        method: "POST",
        path: () => "/settings/branding",
        form: () => ({ intent: "reset-colour" }),
        expect: adminOnly("ok", "ok"),
      },
    ],
  },
  {
    id: "routes/_app.settings.sso",
    probes: [
      { label: "GET /settings/sso", method: "GET", path: () => "/settings/sso", expect: adminOnly("ok", "ok") },
      // Turning off single sign-on that was never set: a valid form that changes nothing; each admin their own organisation's.
      { label: "POST /settings/sso remove", method: "POST", path: () => "/settings/sso", form: () => ({ intent: "remove" }), expect: adminOnly("ok", "ok") },
    ],
  },
  {
    id: "routes/sso.callback",
    // Public (the identity provider sends the browser back here); without the browser's sign-in cookie nothing is finished, for anyone.
    probes: [
      {
        label: "GET /sso/callback without a sign-in started",
        method: "GET",
        path: () => "/sso/callback?code=abc&state=def",
        expect: everyone("invalid"),
        resetLinkThrottle: true,
      },
    ],
  },
  {
    id: "routes/logo.$orgId.$hash",
    // Public by its content hash (mail clients fetch it without cookies); an unknown one is a 404 to everyone.
    probes: [
      {
        label: "GET /logo/<org>/<unknown>",
        method: "GET",
        path: () => `/logo/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}/${"0".repeat(64)}`,
        expect: everyone("404"),
      },
    ],
  },
  {
    id: "routes/_app.settings.chat",
    probes: [
      {
        label: "GET /settings/chat",
        method: "GET",
        path: () => "/settings/chat",
        expect: anySeller("ok"),
        mustShow: [{ text: () => CHAT_CHANNEL_LABEL, actors: ["owner", "admin"] }],
        mustNotShow: [{ text: () => CHAT_CHANNEL_LABEL, actors: ["otherRep", "manager", "otherManager", "foreignAdmin"] }],
      },
      // Turning the owner's channel off (it stays off): its owner and an admin may; anyone else names an unknown channel.
      {
        label: "POST /settings/chat disable",
        method: "POST",
        path: () => "/settings/chat",
        form: (w) => ({ intent: "disable", channelId: w.chatChannelId }),
        expect: outcomes("invalid", { ...BUYERS_TO_LOGIN, owner: "ok", admin: "ok" }),
      },
    ],
  },
  {
    id: "routes/_app.settings.webhooks_.$endpointId",
    probes: [{ label: "GET /settings/webhooks/E", method: "GET", path: (w) => `/settings/webhooks/${w.webhookEndpointId}`, expect: adminOnly("ok", "404") }],
  },
  {
    id: "routes/_app.calendar-feed",
    probes: [
      { label: "GET /calendar-feed", method: "GET", path: () => "/calendar-feed", expect: anySeller("ok") },
      { label: "POST /calendar-feed rotate", method: "POST", path: () => "/calendar-feed", form: () => ({ intent: "rotate" }), expect: anySeller("ok") },
    ],
  },
  {
    id: "routes/calendar.$feed",
    probes: [
      // Calendar apps send no cookies: the token is the credential.
      { label: "GET /calendar/<live>.ics", method: "GET", path: (w) => `/calendar/${w.feedToken}.ics`, expect: everyone("ok") },
      { label: "GET /calendar/<unknown>.ics", method: "GET", path: () => `/calendar/${"Z".repeat(43)}.ics`, expect: everyone("404") },
    ],
  },
  {
    id: "routes/email-preferences.$token",
    probes: [
      // The signed token is the credential (emails are read anywhere, signed in or not).
      { label: "GET /email-preferences/<signed>", method: "GET", path: (w) => `/email-preferences/${w.preferenceToken}`, expect: everyone("ok") },
      {
        label: "GET /email-preferences/<forged>",
        method: "GET",
        path: (w) => `/email-preferences/${w.preferenceToken.replace(/\.[^.]*$/, `.${"A".repeat(43)}`)}`,
        expect: everyone("404"),
      },
      {
        label: "POST /email-preferences/<signed> save",
        method: "POST",
        path: (w) => `/email-preferences/${w.preferenceToken}`,
        form: () => ({ intent: "save", kind: ["due_soon", "overdue"] }),
        expect: everyone("ok"),
      },
      {
        label: "POST /email-preferences/<forged> save",
        method: "POST",
        path: (w) => `/email-preferences/${w.preferenceToken.replace(/\.[^.]*$/, `.${"A".repeat(43)}`)}`,
        form: () => ({ intent: "save" }),
        expect: everyone("404"),
      },
    ],
  },
  {
    id: "routes/p.$planId_.calendar",
    probes: [
      { label: "GET /p/P/calendar", method: "GET", path: (w) => `/p/${w.planP}/calendar`, expect: buyerOfP("ok") },
      {
        label: "POST /p/P/calendar rotate",
        method: "POST",
        path: (w) => `/p/${w.planP}/calendar`,
        form: () => ({ intent: "rotate", scope: "mine" }),
        expect: buyerOfP("ok"),
      },
    ],
  },
  {
    id: "routes/o.$signed",
    probes: [
      // Later emails carry a signed pointer to the buyer's link instead of its token: same rules as /s/.
      { label: "GET /o/<signed live>", method: "GET", path: (w) => `/o/${w.openLinkToken}`, expect: everyone("ok"), resetLinkThrottle: true },
      {
        label: "POST /o/<signed live> (confirm)",
        method: "POST",
        path: (w) => `/o/${w.openLinkToken}`,
        form: () => ({ name: "Petra Quill", email: "petra@quillfeather.example" }),
        expect: everyone("ok"),
        resetLinkThrottle: true,
      },
      {
        label: "GET /o/<forged>",
        method: "GET",
        path: (w) => `/o/${w.openLinkToken.replace(/\.[^.]*$/, `.${"A".repeat(43)}`)}`,
        expect: everyone("404"),
        resetLinkThrottle: true,
      },
    ],
  },
  // The JSON API answers only to a bearer token (tests/integration/api.test.ts covers tokens and
  // scopes): a session cookie, a buyer's cookie or nothing at all is 401, for every actor.
  {
    id: "routes/api.v1.openapi[.json]",
    probes: [{ label: "GET /api/v1/openapi.json", method: "GET", path: () => "/api/v1/openapi.json", expect: everyone("ok") }],
  },
  {
    id: "routes/api.v1.plans",
    probes: [
      { label: "GET /api/v1/plans (no token)", method: "GET", path: () => "/api/v1/plans", expect: everyone("401") },
      {
        label: "GET /api/v1/plans (read token)",
        method: "GET",
        path: () => "/api/v1/plans",
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.read}` }),
        expect: everyone("ok"),
        mustNotShow: [{ text: () => F_COMPANY, actors: [...ACTORS] }],
      },
      {
        label: "GET /api/v1/plans (other organisation's token)",
        method: "GET",
        path: () => "/api/v1/plans",
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.foreign}` }),
        expect: everyone("ok"),
        mustNotShow: [{ text: () => P_COMPANY, actors: [...ACTORS] }],
      },
      { label: "POST /api/v1/plans (no token)", method: "POST", path: () => "/api/v1/plans", form: () => ({ title: "x" }), expect: everyone("401") },
      {
        label: "POST /api/v1/plans (read token)",
        method: "POST",
        path: () => "/api/v1/plans",
        form: () => ({ title: "x" }),
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.read}` }),
        expect: everyone("403"),
      },
    ],
  },
  {
    id: "routes/api.v1.plans_.$planId",
    probes: [
      { label: "GET /api/v1/plans/P (no token)", method: "GET", path: (w) => `/api/v1/plans/${w.planP}`, expect: everyone("401") },
      {
        label: "GET /api/v1/plans/P (read token)",
        method: "GET",
        path: (w) => `/api/v1/plans/${w.planP}`,
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.read}` }),
        expect: everyone("ok"),
      },
      {
        label: "GET /api/v1/plans/P (other organisation's token)",
        method: "GET",
        path: (w) => `/api/v1/plans/${w.planP}`,
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.foreign}` }),
        expect: everyone("404"),
      },
      {
        label: "POST /api/v1/plans/P (no token)",
        method: "POST",
        path: (w) => `/api/v1/plans/${w.planP}`,
        form: () => ({ crmCloseDate: "2030-01-01" }),
        expect: everyone("401"),
      },
    ],
  },
  {
    id: "routes/api.v1.plans_.$planId_.engagement",
    probes: [
      { label: "GET /api/v1/plans/P/engagement (no token)", method: "GET", path: (w) => `/api/v1/plans/${w.planP}/engagement`, expect: everyone("401") },
      {
        label: "GET /api/v1/plans/P/engagement (read token)",
        method: "GET",
        path: (w) => `/api/v1/plans/${w.planP}/engagement`,
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.read}` }),
        expect: everyone("ok"),
      },
      {
        label: "GET /api/v1/plans/P/engagement (other organisation's token)",
        method: "GET",
        path: (w) => `/api/v1/plans/${w.planP}/engagement`,
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.foreign}` }),
        expect: everyone("404"),
      },
    ],
  },
  {
    id: "routes/api.v1.plans_.$planId_.close",
    probes: [
      {
        label: "POST /api/v1/plans/P/close (no token)",
        method: "POST",
        path: (w) => `/api/v1/plans/${w.planP}/close`,
        form: () => ({ outcome: "won" }),
        expect: everyone("401"),
      },
      {
        label: "POST /api/v1/plans/P/close (read token)",
        method: "POST",
        path: (w) => `/api/v1/plans/${w.planP}/close`,
        form: () => ({ outcome: "won" }),
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.read}` }),
        expect: everyone("403"),
      },
    ],
  },
  {
    id: "routes/api.v1.plans_.$planId_.clone",
    probes: [
      {
        label: "POST /api/v1/plans/P/clone (no token)",
        method: "POST",
        path: (w) => `/api/v1/plans/${w.planP}/clone`,
        form: () => ({ title: "Matrix copy", goLive: "2030-01-02" }),
        expect: everyone("401"),
      },
      {
        label: "POST /api/v1/plans/P/clone (read token)",
        method: "POST",
        path: (w) => `/api/v1/plans/${w.planP}/clone`,
        form: () => ({ title: "Matrix copy", goLive: "2030-01-02" }),
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.read}` }),
        expect: everyone("403"),
      },
    ],
  },
  {
    id: "routes/api.v1.plans_.$planId_.reopen",
    probes: [
      {
        label: "POST /api/v1/plans/P/reopen (no token)",
        method: "POST",
        path: (w) => `/api/v1/plans/${w.planP}/reopen`,
        form: () => ({}),
        expect: everyone("401"),
      },
      {
        label: "POST /api/v1/plans/P/reopen (read token)",
        method: "POST",
        path: (w) => `/api/v1/plans/${w.planP}/reopen`,
        form: () => ({}),
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.read}` }),
        expect: everyone("403"),
      },
    ],
  },
  {
    id: "routes/api.v1.forecast",
    probes: [
      { label: "GET /api/v1/forecast (no token)", method: "GET", path: () => "/api/v1/forecast", expect: everyone("401") },
      {
        label: "GET /api/v1/forecast (read token)",
        method: "GET",
        path: () => "/api/v1/forecast",
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.read}` }),
        expect: everyone("ok"),
      },
    ],
  },
  {
    id: "routes/api.v1.forecast_.accuracy",
    probes: [
      { label: "GET /api/v1/forecast/accuracy (no token)", method: "GET", path: () => "/api/v1/forecast/accuracy", expect: everyone("401") },
      {
        label: "GET /api/v1/forecast/accuracy (read token)",
        method: "GET",
        path: () => "/api/v1/forecast/accuracy",
        headers: (w) => ({ Authorization: `Bearer ${w.apiTokens.read}` }),
        expect: everyone("ok"),
        mustNotShow: [{ text: () => F_COMPANY, actors: [...ACTORS] }],
      },
    ],
  },
  {
    id: "routes/p.$planId",
    probes: [
      { label: "GET /p/P", method: "GET", path: (w) => `/p/${w.planP}`, expect: buyerOfP("ok") },
      {
        label: "POST /p/P comment",
        method: "POST",
        path: (w) => `/p/${w.planP}`,
        form: () => ({ intent: "comment", milestoneId: "", body: "Buyer checked by the matrix." }),
        expect: buyerOfP("ok"),
      },
      {
        // A buyer's own language (ADR 046): only the plan's buyer keeps one, for themselves.
        label: "POST /p/P locale",
        method: "POST",
        path: (w) => `/p/${w.planP}`,
        form: () => ({ intent: "locale", locale: "en" }),
        expect: buyerOfP("ok"),
      },
      { label: "GET /p/Q (another plan)", method: "GET", path: (w) => `/p/${w.planQ}`, expect: outcomes("404", { otherBuyer: "ok" }) },
    ],
  },
  {
    id: "routes/s.$token",
    probes: [
      // The token is the capability: whoever holds a live one sees the confirmation page.
      { label: "GET /s/live", method: "GET", path: (w) => `/s/${w.tokens.live}`, expect: everyone("ok"), resetLinkThrottle: true },
      {
        label: "POST /s/live (confirm)",
        method: "POST",
        path: (w) => `/s/${w.tokens.live}`,
        form: () => ({ name: "Petra Quill", email: "petra@quillfeather.example" }),
        expect: everyone("ok"),
        resetLinkThrottle: true,
      },
      { label: "GET /s/revoked", method: "GET", path: (w) => `/s/${w.tokens.revoked}`, expect: everyone("404"), resetLinkThrottle: true },
      {
        label: "POST /s/revoked",
        method: "POST",
        path: (w) => `/s/${w.tokens.revoked}`,
        form: () => ({ name: "Second Buyer", email: "second@quillfeather.example" }),
        expect: everyone("404"),
        resetLinkThrottle: true,
      },
      { label: "GET /s/unknown", method: "GET", path: () => `/s/${"Z".repeat(43)}`, expect: everyone("404"), resetLinkThrottle: true },
    ],
  },
];

export function encodeForm(values: FormValues): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return params.toString();
}

/**
 * Sends one probe as `actor`, without keeping any cookie the answer sets (actors stay who they are).
 * POSTs carry our own Origin unless `extraHeaders` names one ("" = no Origin header).
 */
export async function sendProbe(w: World, probe: Probe, actor: ActorName, extraHeaders: Record<string, string> = {}, cookie = w.cookies[actor]) {
  const headers = new Headers({ ...probe.headers?.(w), ...extraHeaders });
  if (cookie) headers.set("Cookie", cookie);
  let body: string | undefined;
  if (probe.method === "POST") {
    body = encodeForm(probe.form ? await probe.form(w, actor) : {});
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    if (!("Origin" in extraHeaders)) headers.set("Origin", w.origin);
  }
  // An empty Origin asks for none at all (fetch adds none of its own).
  if (extraHeaders.Origin === "") headers.delete("Origin");
  return fetch(`${w.origin}${probe.path(w)}`, { method: probe.method, headers, body, redirect: "manual" });
}

/** What an answer means for the matrix. Anything not listed (a 500, a 401, a 429) is returned as its status code. */
export function classify(response: Response): Outcome | string {
  const { status } = response;
  if (status >= 300 && status < 400) {
    const location = response.headers.get("location") ?? "";
    return new URL(location, "http://x").pathname === "/login" ? "login" : "ok";
  }
  if (status >= 200 && status < 300) return "ok";
  if ([400, 409, 413, 415, 422].includes(status)) return "invalid";
  if (status === 401) return "401";
  if (status === 403) return "403";
  if (status === 404) return "404";
  return String(status);
}
