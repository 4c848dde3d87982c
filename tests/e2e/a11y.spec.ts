import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/*
 * Item 10: axe (WCAG 2.x A and AA rules, plus axe's best practices) on every page type, as the
 * people who use it see it: no serious or critical violation anywhere.
 */
type Finding = { page: string; id: string; impact: string; help: string; nodes: string[] };

/** Console errors by page, to say where one came from (the fixture fails the test on any). */
const consoleErrors: string[] = [];
const watched = new WeakSet<Page>();
let current = "";

async function audit(page: Page, name: string, findings: Finding[], counts: Record<string, number>) {
  if (!watched.has(page)) {
    watched.add(page);
    page.on("console", (m) => {
      if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) consoleErrors.push(`${current}: ${m.text().slice(0, 160)}`);
    });
  }
  current = name;
  await page.waitForLoadState("networkidle");
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  counts[name] = bad.length;
  for (const v of bad) findings.push({ page: name, id: v.id, impact: v.impact ?? "", help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) });
}

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);
}

async function freshPage(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

test("every page type has no serious or critical accessibility violation", async ({ page, browser }) => {
  test.setTimeout(360_000); // 39 pages, each audited in full
  const findings: Finding[] = [];
  const counts: Record<string, number> = {};

  // Signed out.
  await page.goto("/login");
  await audit(page, "login", findings, counts);
  await page.goto("/signup");
  await audit(page, "signup", findings, counts);
  await page.goto("/no-such-page");
  await audit(page, "404 page", findings, counts);
  await page.goto("/password/forgot");
  await audit(page, "forgot password", findings, counts);
  await page.goto(`/password/set/${"A".repeat(43)}`);
  await audit(page, "dead set-password link", findings, counts);

  // A rep.
  await signIn(page, "rep1@demo.example");
  await audit(page, "plans list", findings, counts);
  await page.getByRole("link", { name: "Acme Logistics" }).click();
  await expect(page).toHaveURL(/\/plans\/[0-9a-f-]{36}$/);
  const planUrl = page.url();
  await audit(page, "plan workspace", findings, counts);
  await page.goto(`${planUrl}/edit`);
  await audit(page, "plan details", findings, counts);
  await page.goto(`${planUrl}/go-live`);
  await audit(page, "go-live change", findings, counts);
  await page.goto(`${planUrl}/milestones/new`);
  await audit(page, "new milestone", findings, counts);
  await page.goto(`${planUrl}/close`);
  await audit(page, "close the plan", findings, counts);
  await page.goto("/plans?status=lost");
  await page.getByRole("link", { name: "Stark Manufacturing" }).click();
  await expect(page.getByRole("button", { name: "Reopen the plan" })).toBeVisible();
  await audit(page, "closed plan workspace", findings, counts);
  await page.goto(planUrl);
  await page.locator("section#milestones li a").first().click();
  await expect(page).toHaveURL(/\/milestones\/[0-9a-f-]{36}$/);
  await audit(page, "milestone edit", findings, counts);
  await page.goto("/plans/new");
  await audit(page, "new plan", findings, counts);
  await page.goto("/templates");
  await audit(page, "templates list", findings, counts);
  await page.goto("/templates/new");
  await audit(page, "new template", findings, counts);
  await page.goto("/templates/import");
  await audit(page, "template import", findings, counts);
  await page.goto("/calendar-feed");
  await audit(page, "calendar feed", findings, counts);

  // A buyer, through a link the rep creates.
  await page.goto(planUrl);
  await page
    .getByRole("button", { name: /Create link|Replace link/ })
    .first()
    .click();
  const link = await page.getByLabel("New buyer link").inputValue();
  const buyer = await freshPage(browser);
  await buyer.page.goto(link);
  await expect(buyer.page.getByLabel("Your name")).toBeVisible();
  await audit(buyer.page, "buyer identity confirm", findings, counts);
  await buyer.page.getByRole("button", { name: "Open the plan" }).click();
  await expect(buyer.page).toHaveURL(/\/p\/[0-9a-f-]{36}$/);
  await audit(buyer.page, "buyer plan page", findings, counts);
  // Comments from both sides (each side's bubble has its own tint), seen by each side.
  const thread = buyer.page.locator("li", { has: buyer.page.getByRole("heading", { name: "Security review" }) });
  if (!(await thread.getByLabel("Comment on Security review").isVisible())) await thread.locator("summary", { hasText: /comment/i }).click();
  await thread.getByLabel("Comment on Security review").fill("Our reviewers meet on Thursdays.");
  await thread.getByRole("button", { name: "Post" }).click();
  await expect(thread.getByText("Our reviewers meet on Thursdays.")).toBeVisible();
  await page.goto(planUrl);
  const repThread = page.locator("section#milestones li", { has: page.getByRole("link", { name: "Security review", exact: true }) });
  await repThread.getByLabel("Comment on Security review").fill("Thanks, the SOC 2 report is attached to the questionnaire.");
  await repThread.getByRole("button", { name: "Post" }).click();
  await expect(repThread.getByText("Thanks, the SOC 2 report is attached to the questionnaire.")).toBeVisible();
  await audit(page, "plan workspace with comments", findings, counts);
  await buyer.page.reload();
  await expect(thread.getByText("Thanks, the SOC 2 report is attached to the questionnaire.")).toBeVisible();
  await audit(buyer.page, "buyer plan page with comments", findings, counts);
  await buyer.page.goto(`${buyer.page.url().replace(/#.*$/, "")}/calendar`);
  await expect(buyer.page.getByRole("link", { name: /Back to the plan/ })).toBeVisible();
  await audit(buyer.page, "buyer calendar", findings, counts);
  await buyer.page.goto(`/s/${"A".repeat(43)}`);
  await audit(buyer.page, "inactive link page", findings, counts);
  await buyer.context.close();

  // A manager, and the admin.
  const manager = await freshPage(browser);
  await signIn(manager.page, "manager@demo.example");
  await manager.page.goto("/forecast");
  await audit(manager.page, "forecast", findings, counts);
  await manager.page.goto("/forecast/plans?period=all");
  await audit(manager.page, "forecast plans", findings, counts);
  await manager.page.goto("/forecast/accuracy");
  await audit(manager.page, "forecast accuracy", findings, counts);
  await manager.page.goto("/forecast/accuracy/plans?h=30&source=confirmed");
  await audit(manager.page, "forecast accuracy deals", findings, counts);
  await manager.page.goto("/templates");
  await manager.page
    .locator("main a[href^='/templates/']")
    .filter({ hasNotText: /Import|New template/ })
    .first()
    .click();
  await expect(manager.page).toHaveURL(/\/templates\/[0-9a-f-]{36}/);
  await audit(manager.page, "template view", findings, counts);
  await manager.page.goto(`${manager.page.url().replace(/\?.*$/, "")}?edit`);
  await audit(manager.page, "template edit", findings, counts);
  await manager.context.close();

  const admin = await freshPage(browser);
  await signIn(admin.page, "admin@demo.example");
  for (const [name, path] of [
    ["team", "/team"],
    ["dev mailbox", "/dev/mailbox"],
    ["API tokens", "/settings/api"],
    ["webhooks", "/settings/webhooks"],
    ["branding", "/settings/branding"],
    ["chat alerts", "/settings/chat"],
    ["single sign-on", "/settings/sso"],
    ["account", "/account"],
  ] as const) {
    await admin.page.goto(path);
    await audit(admin.page, name, findings, counts);
  }
  // The step before deactivating someone (ADR 021) is a page state of its own.
  await admin.page.goto("/team");
  await admin.page.getByRole("link", { name: /^Deactivate… Maya Chen/ }).click();
  await admin.page.waitForURL(/deactivate=/);
  await audit(admin.page, "team: deactivate step", findings, counts);
  await admin.context.close();

  console.log(`[a11y] ${Object.keys(counts).length} pages, serious or critical violations per page: ${JSON.stringify(counts)}`);
  if (consoleErrors.length) console.log(`[a11y] console errors: ${consoleErrors.join(" || ")}`);
  for (const f of findings) console.log(`[a11y] ${f.page}: ${f.impact} ${f.id} (${f.help}) at ${f.nodes.join(" | ")}`);
  expect(findings).toEqual([]);
});
