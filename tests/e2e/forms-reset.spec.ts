import type { Browser, BrowserContextOptions, Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { workingDayInDays } from "./working-days";

/*
 * After a successful post a form comes back empty, a status says what happened and holds the
 * focus, and a reload never posts again (post/redirect/get), with and without JavaScript. The
 * buyer's page opens with their own next steps and the rep's contact card.
 */

async function signInAsRep(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);
  await page.getByRole("link", { name: "Globex Health" }).click();
  await expect(page.getByRole("heading", { name: "Milestones" })).toBeVisible();
}

async function openAsBuyer(browser: Browser, link: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, ...options });
  const buyer = await context.newPage();
  await buyer.goto(link);
  await buyer.getByRole("button", { name: "Open the plan" }).click();
  await expect(buyer).toHaveURL(/\/p\/[0-9a-f-]{36}(#.*)?$/);
  return { buyer, close: () => context.close() };
}

/**
 * Opens a milestone's comments unless they are open already: a thread of one to three comments
 * starts open, others closed. Judged by the comment box itself, not the milestone's first text
 * box (a closed "Owner and fixed date" panel holds others), so an open thread is never toggled shut.
 */
async function openComments(milestone: Locator) {
  const box = milestone.getByLabel(/^Comment on /);
  // Judged on the whole page: without JavaScript the URL changes before the page has arrived, and a
  // box not there yet would read as a closed thread, so an open one would be clicked shut.
  await milestone.page().waitForLoadState();
  if (!(await box.isVisible()))
    await milestone
      .locator("summary")
      .filter({ hasText: /^(Comment|\d+ comments?)$/ })
      .click();
  await expect(box).toBeVisible();
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? "");

test("the rep's add-person form empties after a success and says so; a new link survives no reload", async ({ page }) => {
  await signInAsRep(page);
  const people = page.locator("#people");
  await people.getByText("Add a person").click();
  await people.getByLabel("Name").fill("Ola Nordmann");
  await people.getByLabel("Email").fill("ola@globex-health.example");
  await people.getByLabel("Job title").fill("CFO");
  await people.getByRole("button", { name: "Add person" }).click();
  await expect(people.getByRole("status")).toHaveText("Ola Nordmann is on the plan.");
  expect(await focusedText(page)).toBe("Ola Nordmann is on the plan.");
  await expect(people.getByLabel("Name")).toHaveValue("");
  await expect(people.getByLabel("Email")).toHaveValue("");
  await expect(people.getByLabel("Job title")).toHaveValue("");
  await expect(people.getByText("ola@globex-health.example", { exact: false })).toBeVisible();

  await page
    .getByRole("button", { name: /Create link|Replace link/ })
    .first()
    .click();
  await expect(page.getByLabel("New buyer link")).toHaveValue(/\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  expect(page.url()).not.toMatch(/\/s\//);
  const shared = page.getByText(/Sam Okafor \(seller\) shared a link with/);
  const before = await shared.count();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Milestones" })).toBeVisible();
  await expect(page.getByLabel("New buyer link")).toHaveCount(0); // shown once
  await expect(shared).toHaveCount(before);
});

test("without JavaScript, creating a link redirects: a reload shows the page and makes no second link", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsRep(page);
  const shared = page.getByText(/Sam Okafor \(seller\) shared a link with/);
  const before = await shared.count();
  await page
    .getByRole("button", { name: /Create link|Replace link/ })
    .first()
    .click();
  await expect(page.getByLabel("New buyer link")).toHaveValue(/\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  await expect(shared).toHaveCount(before + 1);
  await page.reload();
  await expect(page.getByLabel("New buyer link")).toHaveCount(0);
  await expect(shared).toHaveCount(before + 1);
  await context.close();
});

test("the buyer sees their next steps and their rep first; their forms empty after each success", async ({ page, browser }) => {
  await signInAsRep(page);
  await page
    .getByRole("button", { name: /Create link|Replace link/ })
    .first()
    .click();
  const link = await page.getByLabel("New buyer link").inputValue();
  const { buyer, close } = await openAsBuyer(browser, link);

  // Their open steps first, soonest due first, with dates (ISO in the tooltip) and owners.
  const steps = buyer.getByRole("region", { name: "Your next steps" });
  await expect(steps.getByRole("listitem").first()).toBeVisible();
  const dues = await steps.locator("li time").evaluateAll((els) => els.map((el) => el.getAttribute("title") ?? ""));
  expect(dues.length).toBeGreaterThan(0);
  for (const due of dues) expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(dues).toEqual([...dues].sort());
  // The seller's forecast is not the buyer's business.
  await expect(buyer.getByText("Forecast close")).toHaveCount(0);
  const card = buyer.getByRole("region", { name: "Your contact at Northwind Analytics" });
  await expect(card).toContainText("Sam Okafor");
  await expect(card).toContainText("Account Executive");
  await expect(card.getByText("SO", { exact: true })).toBeVisible();
  await expect(card.getByRole("link", { name: "rep1@demo.example" })).toHaveAttribute("href", "mailto:rep1@demo.example");

  // Marking a step done from the list: it leaves the list, the status says so and holds focus.
  const first = steps.getByRole("listitem").first();
  const title = (await first.getByRole("link").first().innerText()).trim();
  await first.getByRole("button", { name: `Mark “${title}” done` }).click();
  await expect(steps.getByRole("status")).toHaveText("Marked done.");
  expect(await focusedText(buyer)).toBe("Marked done.");
  await expect(steps.getByRole("link", { name: title, exact: true })).toHaveCount(0);

  // A comment: the box empties, the status holds focus, a second Enter posts nothing twice.
  const legal = buyer.locator("li[id^='m-']", { has: buyer.getByRole("heading", { name: "Legal redlines" }) });
  await openComments(legal);
  await legal.getByLabel("Comment on Legal redlines").fill("Our counsel is on it.");
  await legal.getByLabel("Comment on Legal redlines").press("Enter");
  await expect(legal.getByRole("status")).toHaveText("Comment posted.");
  expect(await focusedText(buyer)).toBe("Comment posted.");
  await expect(legal.getByLabel("Comment on Legal redlines")).toHaveValue("");
  await expect(legal.getByText("Our counsel is on it.")).toHaveCount(1);

  // Proposing a date: both fields empty again.
  await buyer.getByLabel("New go-live date").fill(workingDayInDays(200));
  await buyer.getByLabel("Why it moves").fill("Our rollout window moved");
  await buyer.getByRole("button", { name: "Preview the change" }).click();
  await buyer.getByRole("button", { name: /^Move go-live to / }).click();
  await expect(buyer.locator("#go-live").getByRole("status")).toContainText("Go-live is now");
  await expect(buyer.getByLabel("New go-live date")).toHaveValue("");
  await expect(buyer.getByLabel("Why it moves")).toHaveValue("");

  // A colleague: the form empties, their one-time link shows; a reload adds nobody and hides it.
  const people = buyer.locator("#people");
  await people.getByText("Add a colleague").click();
  await people.getByLabel("Name").fill("Ravi Shah");
  await people.getByLabel("Email").fill("ravi@globex-health.example");
  await people.getByRole("button", { name: "Add colleague" }).click();
  await expect(people.getByRole("status")).toContainText("Ravi Shah is on the plan.");
  await expect(people.getByLabel("Their link")).toHaveValue(/\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  await expect(people.getByLabel("Name")).toHaveValue("");
  await expect(people.getByLabel("Email")).toHaveValue("");
  await buyer.reload();
  await expect(people.getByLabel("Their link")).toHaveCount(0);
  await expect(people.getByText("Ravi Shah")).toHaveCount(1);
  await close();
});

test("without JavaScript the buyer's comment box comes back empty with a status", async ({ page, browser }) => {
  await signInAsRep(page);
  await page
    .getByRole("button", { name: /Create link|Replace link/ })
    .first()
    .click();
  const link = await page.getByLabel("New buyer link").inputValue();
  const { buyer, close } = await openAsBuyer(browser, link, { javaScriptEnabled: false });
  const legal = buyer.locator("li[id^='m-']", { has: buyer.getByRole("heading", { name: "Legal redlines" }) });
  await openComments(legal);
  await legal.getByLabel("Comment on Legal redlines").fill("Sent from a locked-down laptop.");
  await legal.getByRole("button", { name: "Post" }).click();
  await expect(legal.getByRole("status")).toHaveText("Comment posted.");
  await expect(legal.getByLabel("Comment on Legal redlines")).toHaveValue("");
  await buyer.reload();
  await expect(legal.getByText("Sent from a locked-down laptop.")).toHaveCount(1);
  await close();
});
