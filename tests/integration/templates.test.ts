import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/infra/db.server";
import { createTemplateFromPlan, getTemplateWithMilestones, isTemplateNameTaken } from "~/models/template.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../db/demo-seed";
import { testDatabaseTargets } from "../support/databases";
import { testToday } from "../support/dates";
import { startTestServer, TestClient } from "../support/http";

/** Decodes the entities React writes (quotes, apostrophes, ampersands…). */
function readable(html: string): string {
  return html
    .replace(/<!-- -->/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The page's text as a reader sees it: no tags, entities decoded. */
function textOf(html: string): string {
  return readable(html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, ""));
}

/** The opening tag of the form control with this id, e.g. `<input id="row-1-title" … value="Two"/>`. */
function control(html: string, id: string): string {
  const tag = new RegExp(`<(input|select|textarea)\\b[^>]*\\bid="${id}"[^>]*>`).exec(html);
  if (!tag) throw new Error(`no control with id ${id}`);
  return readable(tag[0]);
}

function valueOf(html: string, id: string): string | undefined {
  return /\bvalue="([^"]*)"/.exec(control(html, id))?.[1];
}

/** The value of the checked "close" radio button ("" = no close milestone). */
function checkedClose(html: string): string | undefined {
  const radios = html.match(/<input\b[^>]*name="close"[^>]*>/g) ?? [];
  const checked = radios.find((r) => /\bchecked=""/.test(r));
  return checked ? /\bvalue="([^"]*)"/.exec(checked)?.[1] : undefined;
}

/** The form fields of the template form for these rows (Conform's nested names, as the page renders them). */
function templateForm(
  name: string,
  rows: Array<{ title: string; ownerSide?: string; duration?: string; lag?: string; dependsOn?: string; description?: string }>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const form: Record<string, string> = { name, description: "", close: "", intent: "save" };
  rows.forEach((row, i) => {
    form[`rows[${i}].title`] = row.title;
    form[`rows[${i}].ownerSide`] = row.ownerSide ?? "";
    form[`rows[${i}].duration`] = row.duration ?? "";
    form[`rows[${i}].lag`] = row.lag ?? "";
    form[`rows[${i}].dependsOn`] = row.dependsOn ?? "";
    form[`rows[${i}].description`] = row.description ?? "";
  });
  return { ...form, ...extra };
}

describe.each(testDatabaseTargets())("templates on $name", (target) => {
  let database: Database & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let orgId: string;

  async function signedIn(email: string) {
    const client = new TestClient(server.origin);
    const response = await client.login(email, DEMO_PASSWORD);
    expect(response.status).toBe(302);
    return client;
  }

  async function templateByName(name: string, inOrg = orgId) {
    const row = await database.db.selectFrom("templates").select("id").where("org_id", "=", inOrg).where("name", "=", name).executeTakeFirst();
    return row ? getTemplateWithMilestones(database.db, inOrg, row.id) : undefined;
  }

  /** Dependencies as "title → depends on title" pairs, order-independent. */
  function edgesOf(t: NonNullable<Awaited<ReturnType<typeof templateByName>>>) {
    const title = new Map(t.milestones.map((m) => [m.id, m.title]));
    return t.dependencies.map((d) => `${title.get(d.milestone_id)} ← ${title.get(d.depends_on_id)}`).sort();
  }

  beforeAll(async () => {
    database = await target.open();
    orgId = (await seedDemo(database.db, testToday())).orgId;
    server = await startTestServer(database.db, database.kind);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("lists the organisation's templates with their milestone counts", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    const response = await client.get("/templates");
    expect(response.status).toBe(200);
    const html = readable(await response.text());
    expect(html).toContain("Enterprise purchase");
    expect(html).toContain("Mid-market quick start");
    expect(html).toMatch(/>11<\/td>/);
    expect(html).toMatch(/>6<\/td>/);
    expect(html).toContain('href="/templates/new"');
    expect(html).toContain('href="/templates/import"');
  });

  it("sends a signed-out visitor to the login page", async () => {
    const response = await new TestClient(server.origin).get("/templates");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Ftemplates");
  });

  it("creates a template from the form, skipping blank rows and saving the dependencies", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    const form = templateForm(
      "Security-heavy deal",
      [
        { title: "Discovery", ownerSide: "joint", duration: "2", description: "Goals and success criteria" },
        { title: "", ownerSide: "", duration: "" },
        { title: "Security review", ownerSide: "buyer", duration: "10", dependsOn: "1" },
        { title: "Legal", ownerSide: "joint", duration: "5", lag: "2", dependsOn: "1, 3" },
        { title: "Signature", ownerSide: "buyer", duration: "0", dependsOn: "Legal" },
        { title: "", ownerSide: "", duration: "" },
      ],
      { close: "5", description: "For buyers with a security team" },
    );
    const response = await client.post("/templates/new", form);
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/templates\/[0-9a-f-]{36}\?saved=1$/);

    const saved = (await templateByName("Security-heavy deal"))!;
    expect(saved.template.description).toBe("For buyers with a security team");
    expect(saved.milestones.map((m) => [m.title, m.owner_side, m.duration_days, m.lag_days, m.is_close, m.position])).toEqual([
      ["Discovery", "joint", 2, 0, false, 0],
      ["Security review", "buyer", 10, 0, false, 1],
      ["Legal", "joint", 5, 2, false, 2],
      ["Signature", "buyer", 0, 0, true, 3],
    ]);
    expect(saved.milestones[0].description).toBe("Goals and success criteria");
    expect(edgesOf(saved)).toEqual(["Legal ← Discovery", "Legal ← Security review", "Security review ← Discovery", "Signature ← Legal"]);

    const page = textOf(await (await client.get(location)).text());
    expect(page).toContain("Template saved.");
    expect(page).toContain("after 1. Discovery, 2. Security review");
    expect(page).toContain("Edit template"); // the author may edit
  });

  it("refuses a cycle with a 400 that names it and keeps everything typed", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    const form = templateForm(
      "Circular approvals",
      [
        { title: "Security review", ownerSide: "buyer", duration: "10", dependsOn: "2", description: "Questionnaire & SOC 2" },
        { title: "Legal", ownerSide: "joint", duration: "5", lag: "3", dependsOn: "1" },
        { title: "Signature", ownerSide: "buyer", duration: "0", dependsOn: "2" },
      ],
      { close: "3", description: "Typed description kept" },
    );
    const response = await client.post("/templates/new", form);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(textOf(html)).toContain("Row 1: the dependencies form a cycle: Security review → Legal → Security review");
    expect(valueOf(html, "field-name")).toBe("Circular approvals");
    expect([1, 2, 3].map((n) => valueOf(html, `row-${n}-title`))).toEqual(["Security review", "Legal", "Signature"]);
    expect([1, 2, 3].map((n) => valueOf(html, `row-${n}-duration`))).toEqual(["10", "5", "0"]);
    expect([1, 2, 3].map((n) => valueOf(html, `row-${n}-dependsOn`))).toEqual(["2", "1", "2"]);
    expect(valueOf(html, "row-2-lag")).toBe("3");
    expect(readable(html)).toContain("Typed description kept");
    expect(readable(html)).toContain("Questionnaire & SOC 2");
    expect(readable(html)).toMatch(/<option value="joint" selected="">Joint<\/option>/);
    expect(checkedClose(html)).toBe("3");
    expect(await templateByName("Circular approvals")).toBeUndefined();
  });

  it("shows each row's problem next to it, and keeps the values", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    const response = await client.post(
      "/templates/new",
      templateForm("", [
        { title: "Kickoff", ownerSide: "joint", duration: "two" },
        { title: "Training", ownerSide: "", duration: "3", dependsOn: "Legal review" },
      ]),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    const text = textOf(html);
    expect(text).toContain("Enter a name for the template.");
    expect(text).toContain('Row 1: duration must be a whole number of working days (got "two")');
    expect(text).toContain("Row 2: owner side is required: buyer, seller or joint");
    expect(text).toContain('Row 2: depends on "Legal review", which is not a title in this template');
    expect(valueOf(html, "row-1-duration")).toBe("two");
    expect(valueOf(html, "row-2-dependsOn")).toBe("Legal review");
    expect(control(html, "row-1-duration")).toContain('aria-invalid="true"');
    expect(control(html, "row-1-title")).not.toContain("aria-invalid");
  });

  it("adds blank rows and removes a row without saving, renumbering the dependencies", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    const rows = [
      { title: "One", ownerSide: "seller", duration: "1" },
      { title: "Two", ownerSide: "seller", duration: "1", dependsOn: "1" },
      { title: "Three", ownerSide: "buyer", duration: "0", dependsOn: "1, 2" },
    ];
    const more = await client.post("/templates/new", templateForm("Growing", rows, { intent: "add-rows" }));
    expect(more.status).toBe(200);
    const moreHtml = await more.text();
    expect(valueOf(moreHtml, "row-3-title")).toBe("Three");
    expect(valueOf(moreHtml, "row-8-title")).toBe("");
    expect(moreHtml).toContain('name="rows[7].title"');
    expect(moreHtml).not.toContain('name="rows[8].title"');
    expect(valueOf(moreHtml, "field-name")).toBe("Growing");

    const removed = await client.post("/templates/new", templateForm("Growing", rows, { intent: "remove-1", close: "3" }));
    expect(removed.status).toBe(200);
    const html = await removed.text();
    expect([1, 2].map((n) => valueOf(html, `row-${n}-title`))).toEqual(["Two", "Three"]);
    expect([1, 2].map((n) => valueOf(html, `row-${n}-dependsOn`))).toEqual(["", "1"]);
    expect(html).not.toContain('name="rows[2].title"');
    expect(checkedClose(html)).toBe("2");
    expect(await templateByName("Growing")).toBeUndefined();
  });

  it("refuses a duplicate name, in any case, with a 400 and the values kept", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    for (const name of ["Enterprise purchase", "enterprise PURCHASE"]) {
      const response = await client.post("/templates/new", templateForm(name, [{ title: "Kickoff", ownerSide: "joint", duration: "1" }]));
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(textOf(html)).toContain(`A template named “${name}” already exists.`);
      expect(valueOf(html, "row-1-title")).toBe("Kickoff");
    }
    const imported = await client.post("/templates/import", {
      name: "Mid-market quick start",
      description: "",
      csv: "title,owner side,duration\nKickoff,joint,1",
    });
    expect(imported.status).toBe(400);
    expect(textOf(await imported.text())).toContain("A template named “Mid-market quick start” already exists.");
    const count = await database.db
      .selectFrom("templates")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBeGreaterThanOrEqual(2);
    expect((await database.db.selectFrom("templates").select("id").where("name", "=", "enterprise PURCHASE").execute()).length).toBe(0);
  });

  it("imports pasted CSV text", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    const csv = [
      "Title,Owner side,Duration,Depends on,Lag,Close,Description",
      'Discovery workshop,joint,2,,,,"Goals, people and success"',
      "Security review,buyer,10,Discovery workshop,,,",
      "Legal redlines,joint,8,3,3,,", // row numbers as the spreadsheet shows them: the header is row 1
      "Order form signature,buyer,0,Security review; 4,,yes,",
    ].join("\r\n");
    const response = await client.post("/templates/import", { name: "Imported by paste", description: "From the sales wiki", csv });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/templates\/[0-9a-f-]{36}\?saved=1$/);
    const saved = (await templateByName("Imported by paste"))!;
    expect(saved.milestones.map((m) => [m.title, m.duration_days, m.lag_days, m.is_close])).toEqual([
      ["Discovery workshop", 2, 0, false],
      ["Security review", 10, 0, false],
      ["Legal redlines", 8, 3, false],
      ["Order form signature", 0, 0, true],
    ]);
    expect(saved.milestones[0].description).toBe("Goals, people and success");
    expect(edgesOf(saved)).toEqual([
      "Legal redlines ← Security review",
      "Order form signature ← Legal redlines",
      "Order form signature ← Security review",
      "Security review ← Discovery workshop",
    ]);
  });

  it("imports an uploaded file (multipart), naming the template after the file when no name is given", async () => {
    const client = await signedIn(DEMO_LOGINS.manager);
    const body = new FormData();
    body.set("name", "");
    body.set("description", "");
    body.set(
      "file",
      new File(["\uFEFFtitle,owner,duration_days,depends_on\r\nDemo,seller,1,\r\nPricing approval,buyer,3,2\r\n"], "Quick wins.csv", { type: "text/csv" }),
    );
    body.set("csv", "");
    const response = await client.request("/templates/import", { method: "POST", body, headers: { Origin: server.origin } });
    expect(response.status).toBe(302);
    const saved = (await templateByName("Quick wins"))!;
    expect(saved.milestones.map((m) => m.title)).toEqual(["Demo", "Pricing approval"]);
    expect(edgesOf(saved)).toEqual(["Pricing approval ← Demo"]);
  });

  it("reports a bad CSV row by row with a 400, keeping the name, description and pasted text", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    const csv = [
      "title,owner side,duration,depends on,lag",
      "Discovery,joint,2,,",
      "Security review,buyer,10,Legal,",
      "Legal,joint,5,Security review,",
      "Pricing,buyer,two,,",
      "Procurement,partner,3,,",
      "Signature,buyer,0,Legal review,",
    ].join("\n");
    const response = await client.post("/templates/import", { name: "Broken import", description: "Kept description", csv });
    expect(response.status).toBe(400);
    const html = await response.text();
    const rows = [...html.matchAll(/<tr><td[^>]*>([^<]*)<\/td><td[^>]*>([^<]*)<\/td><td[^>]*>([^<]*)<\/td><\/tr>/g)].map((m) =>
      readable(`${m[1]} | ${m[2]} | ${m[3]}`),
    );
    expect(rows).toEqual([
      "3 | depends on | The dependencies form a cycle: Security review → Legal → Security review. Remove one of these dependencies",
      '5 | duration | Duration must be a whole number of working days (got "two")',
      '6 | owner side | Owner side must be buyer, seller or joint (got "partner")',
      '7 | depends on | Depends on "Legal review", which is not a title in this file',
    ]);
    expect(textOf(html)).toContain("Nothing was imported.");
    expect(valueOf(html, "field-name")).toBe("Broken import");
    expect(readable(html)).toContain(">Kept description</textarea>");
    expect(readable(html)).toContain("Procurement,partner,3,,");
    expect(await templateByName("Broken import")).toBeUndefined();
  });

  it("refuses an empty import, a workbook and a file over the size limit, keeping the name", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    const empty = await client.post("/templates/import", { name: "Nothing", description: "", csv: "  " });
    expect(empty.status).toBe(400);
    expect(textOf(await empty.text())).toContain("Choose a CSV file, or paste the rows in the box below.");

    const workbook = new FormData();
    workbook.set("name", "Workbook");
    workbook.set("file", new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])], "plan.xlsx"));
    const xlsx = await client.request("/templates/import", { method: "POST", body: workbook, headers: { Origin: server.origin } });
    expect(xlsx.status).toBe(400);
    expect(textOf(await xlsx.text())).toContain("This is a spreadsheet workbook");

    const big = new FormData();
    big.set("name", "Huge file");
    big.set("description", "Kept even so");
    big.set("file", new File(["title,owner side,duration\n", "x,seller,1\n".repeat(30_000)], "huge.csv", { type: "text/csv" }));
    big.set("csv", "pasted text after the file is kept too");
    const tooLarge = await client.request("/templates/import", { method: "POST", body: big, headers: { Origin: server.origin } });
    expect(tooLarge.status).toBe(413);
    const html = await tooLarge.text();
    expect(textOf(html)).toContain("That is more than 200 KB.");
    expect(valueOf(html, "field-name")).toBe("Huge file");
    expect(readable(html)).toContain("Kept even so");
    expect(readable(html)).toContain("pasted text after the file is kept too");
    // The whole upload was read, so the connection is still good for the next request.
    expect((await client.get("/templates")).status).toBe(200);
  });

  it("answers 404 for a malformed or unknown template id", async () => {
    const client = await signedIn(DEMO_LOGINS.rep1);
    for (const path of ["/templates/not-a-uuid", "/templates/00000000-0000-4000-8000-000000000000", "/templates/1' or '1'='1"]) {
      const response = await client.get(encodeURI(path));
      expect(response.status).toBe(404);
      expect(textOf(await response.text())).toContain("We couldn't find that template.");
    }
    const post = await client.post("/templates/00000000-0000-4000-8000-000000000000", { intent: "delete" });
    expect(post.status).toBe(404);
  });

  it("keeps each organisation's templates to itself", async () => {
    const enterprise = (await templateByName("Enterprise purchase"))!;
    const other = new TestClient(server.origin);
    const signup = await other.post("/signup", {
      organisation: "Blue Harbor",
      name: "Jo Park",
      email: "jo@blueharbor.example",
      password: "long-enough-password",
    });
    expect(signup.status).toBe(302);

    const list = textOf(await (await other.get("/templates")).text());
    expect(list).toContain("No templates yet");
    expect(list).not.toContain("Enterprise purchase");

    expect((await other.get(`/templates/${enterprise.template.id}`)).status).toBe(404);
    expect((await other.get(`/templates/${enterprise.template.id}?edit`)).status).toBe(404);
    const edit = await other.post(`/templates/${enterprise.template.id}?edit`, templateForm("Stolen", [{ title: "X", ownerSide: "joint", duration: "1" }]));
    expect(edit.status).toBe(404);
    expect((await other.post(`/templates/${enterprise.template.id}`, { intent: "delete" })).status).toBe(404);
    expect((await templateByName("Enterprise purchase"))!.milestones).toHaveLength(11);

    // Their own template may share a name with the demo organisation's.
    const own = await other.post("/templates/new", templateForm("Enterprise purchase", [{ title: "Kickoff", ownerSide: "joint", duration: "1" }]));
    expect(own.status).toBe(302);
  });

  it("lets anyone view, but only the author, managers and admins edit or delete", async () => {
    const enterprise = (await templateByName("Enterprise purchase"))!; // created by the admin
    const path = `/templates/${enterprise.template.id}`;
    const rep = await signedIn(DEMO_LOGINS.rep2);
    const view = await rep.get(path);
    expect(view.status).toBe(200);
    const html = textOf(await view.text());
    expect(html).toContain("Order form signature");
    expect(html).not.toContain("Edit template");
    expect(html).toContain("Only the template's author, a manager or an administrator can change it.");
    // ?edit for a non-editor is just the view.
    expect(await (await rep.get(`${path}?edit`)).text()).not.toContain('name="rows[0].title"');
    expect((await rep.post(`${path}?edit`, templateForm("Renamed", [{ title: "X", ownerSide: "joint", duration: "1" }]))).status).toBe(403);
    expect((await rep.post(path, { intent: "delete" })).status).toBe(403);
    expect((await templateByName("Enterprise purchase"))!.milestones).toHaveLength(11);
  });

  it("edits a template: the form starts from its rows, and saving replaces them in one go", async () => {
    // A faithful copy of the demo's "Mid-market quick start" is edited, not the demo's own: the
    // list test reads that one, whichever order the tests run in.
    const demo = (await templateByName("Mid-market quick start"))!;
    const row = new Map(demo.milestones.map((m, i) => [m.id, String(i + 1)]));
    const rows = demo.milestones.map((m) => ({
      title: m.title,
      ownerSide: m.owner_side,
      duration: String(m.duration_days),
      lag: String(m.lag_days),
      description: m.description ?? "",
      dependsOn: demo.dependencies
        .filter((d) => d.milestone_id === m.id)
        .map((d) => row.get(d.depends_on_id)!)
        .join(", "),
    }));
    const manager = await signedIn(DEMO_LOGINS.manager);
    const copied = await manager.post(
      "/templates/new",
      templateForm("Quick start to edit", rows, { close: String(demo.milestones.findIndex((m) => m.is_close) + 1) }),
    );
    expect(copied.status).toBe(302);
    const quick = (await templateByName("Quick start to edit"))!;
    const path = `/templates/${quick.template.id}`;
    const editPage = await (await manager.get(`${path}?edit`)).text();
    expect(valueOf(editPage, "row-5-title")).toBe("Workspace configuration");
    expect(valueOf(editPage, "row-3-dependsOn")).toBe("2");
    expect(checkedClose(editPage)).toBe("3");
    expect(valueOf(editPage, "row-9-title")).toBe(""); // 6 rows + 3 blank ones
    expect(editPage).not.toContain('name="rows[9].title"');
    const version = /name="version" value="([^"]+)"/.exec(editPage)![1];

    const response = await manager.post(
      `${path}?edit`,
      templateForm(
        "Quick start to edit",
        [
          { title: "Demo to the wider team", ownerSide: "seller", duration: "1" },
          { title: "Pricing approval", ownerSide: "buyer", duration: "4", dependsOn: "1" },
          { title: "Signature", ownerSide: "buyer", duration: "0", dependsOn: "2" },
        ],
        { close: "3", version, description: "Shorter" },
      ),
    );
    expect(response.status).toBe(302);
    const saved = (await templateByName("Quick start to edit"))!;
    expect(saved.template.description).toBe("Shorter");
    expect(saved.milestones.map((m) => [m.title, m.duration_days, m.is_close])).toEqual([
      ["Demo to the wider team", 1, false],
      ["Pricing approval", 4, false],
      ["Signature", 0, true],
    ]);
    expect(edgesOf(saved)).toEqual(["Pricing approval ← Demo to the wider team", "Signature ← Pricing approval"]);

    // The same stale version again: someone saved in between, so nothing is written.
    const stale = await manager.post(
      `${path}?edit`,
      templateForm("Quick start to edit", [{ title: "Overwrite", ownerSide: "seller", duration: "1" }], { version }),
    );
    expect(stale.status).toBe(409);
    const staleHtml = await stale.text();
    expect(textOf(staleHtml)).toContain("Someone saved this template while you were editing it.");
    expect(valueOf(staleHtml, "row-1-title")).toBe("Overwrite");
    expect((await templateByName("Quick start to edit"))!.milestones).toHaveLength(3);

    // Renaming onto another template's name is refused, and nothing changes.
    const clash = await manager.post(`${path}?edit`, templateForm("Enterprise purchase", [{ title: "X", ownerSide: "seller", duration: "1" }]));
    expect(clash.status).toBe(400);
    expect(textOf(await clash.text())).toContain("A template named “Enterprise purchase” already exists.");
    expect((await templateByName("Quick start to edit"))!.milestones).toHaveLength(3);
  });

  it("deletes after a confirmation step that works without JavaScript", async () => {
    const rep = await signedIn(DEMO_LOGINS.rep1);
    const created = await rep.post("/templates/new", templateForm("Short-lived", [{ title: "Only step", ownerSide: "joint", duration: "1" }]));
    const path = created.headers.get("location")!.replace(/\?.*$/, "");
    const confirm = await (await rep.get(`${path}?confirm=delete`)).text();
    expect(textOf(confirm)).toContain("Delete “Short-lived”?");
    expect(confirm).toContain(`<form method="post" action="${path}"`);
    const deleted = await rep.post(path, { intent: "delete" });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("location")).toBe("/templates?deleted=1");
    expect(await templateByName("Short-lived")).toBeUndefined();
    expect(textOf(await (await rep.get("/templates?deleted=1")).text())).toContain("Template deleted.");
    expect((await rep.get(path)).status).toBe(404);
  });

  it("saves a plan's milestones and dependencies as a new template", async () => {
    const plan = await database.db
      .selectFrom("plans")
      .select("id")
      .where("org_id", "=", orgId)
      .where("buyer_company", "=", "Acme Logistics")
      .executeTakeFirstOrThrow();
    const admin = await database.db.selectFrom("users").select("id").where("email", "=", DEMO_LOGINS.admin).executeTakeFirstOrThrow();
    const template = await database.db
      .transaction()
      .execute((trx) => createTemplateFromPlan(trx, { orgId, planId: plan.id, name: "From Acme", description: "What worked at Acme", createdBy: admin.id }));
    expect(template).toBeDefined();

    const planMilestones = await database.db
      .selectFrom("milestones")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("plan_id", "=", plan.id)
      .orderBy("position")
      .execute();
    const planDeps = await database.db
      .selectFrom("milestone_dependencies")
      .select(["milestone_id", "depends_on_id"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", plan.id)
      .execute();
    const saved = (await templateByName("From Acme"))!;
    expect(saved.template.created_by).toBe(admin.id);
    expect(saved.milestones.map((m) => [m.title, m.description, m.owner_side, m.duration_days, m.lag_days, m.is_close])).toEqual(
      planMilestones.map((m) => [m.title, m.description, m.owner_side, m.duration_days, m.lag_days, m.is_close]),
    );
    const planTitle = new Map(planMilestones.map((m) => [m.id, m.title]));
    expect(edgesOf(saved)).toEqual(planDeps.map((d) => `${planTitle.get(d.milestone_id)} ← ${planTitle.get(d.depends_on_id)}`).sort());
    expect(saved.dependencies.length).toBeGreaterThan(0);

    // Another organisation's plan does not exist here; a taken name is refused and nothing is written.
    expect(
      (
        await new TestClient(server.origin).post("/signup", {
          organisation: "Green Harbor",
          name: "Kim Lee",
          email: "kim@greenharbor.example",
          password: "long-enough-password",
        })
      ).status,
    ).toBe(302);
    const otherOrg = await database.db.selectFrom("organisations").select("id").where("name", "=", "Green Harbor").executeTakeFirstOrThrow();
    expect(
      await database.db.transaction().execute((trx) => createTemplateFromPlan(trx, { orgId: otherOrg.id, planId: plan.id, name: "Stolen" })),
    ).toBeUndefined();
    const duplicate = await database.db
      .transaction()
      .execute((trx) => createTemplateFromPlan(trx, { orgId, planId: plan.id, name: "From Acme" }))
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isTemplateNameTaken(duplicate)).toBe(true);
    const count = await database.db.selectFrom("templates").select("id").where("org_id", "=", orgId).where("name", "=", "From Acme").execute();
    expect(count).toHaveLength(1);
  });
});
