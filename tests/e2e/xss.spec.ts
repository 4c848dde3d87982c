import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/*
 * Item 8 (in the browser): text a rep or a buyer typed is shown as text. A <script> and an
 * <img onerror> saved in a milestone title, a comment and a person's name are rendered escaped on
 * the rep's plan page, the milestone page, the buyer's identity page and the buyer's plan page:
 * no dialog opens, window.__xss stays unset, and no such element exists in the page.
 */
const PAYLOAD = `<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2;alert(2)</script>`;

async function expectInert(page: Page, where: string, dialogs: string[]) {
  await expect(page.getByText(PAYLOAD).filter({ visible: true }).first(), `${where}: the payload shows as text`).toBeVisible();
  expect(await page.locator('img[src="x"]').count(), `${where}: no injected <img>`).toBe(0);
  // (Remix's own data script holds the payload too, escaped inside JSON: only a script that IS the payload counts.)
  expect(
    await page.locator("script").evaluateAll((scripts) => scripts.filter((s) => s.textContent?.trim() === "window.__xss=2;alert(2)").length),
    `${where}: no injected <script>`,
  ).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), `${where}: window.__xss`).toBeUndefined();
  expect(dialogs, `${where}: dialogs`).toEqual([]);
}

test("a script or an onerror saved in a title, a comment and a name never runs", async ({ page, browser }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await page.goto("/login");
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Initech", exact: true }).click();
  await expect(page).toHaveURL(/\/plans\/[0-9a-f-]{36}$/);
  const planUrl = page.url();

  // A person whose name is the payload.
  const people = page.locator("section#people");
  await people.getByText("Add a person").click();
  await people.getByLabel("Side").selectOption("buyer");
  await people.getByLabel("Name").fill(PAYLOAD);
  await people.getByLabel("Email").fill("xss.person@initech.example");
  await people.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByText(PAYLOAD).filter({ visible: true }).first()).toBeVisible();

  // A milestone whose title is the payload.
  await page.getByRole("link", { name: "Add milestone" }).first().click();
  await expect(page).toHaveURL(/\/milestones\/new$/);
  // The URL changes before the new page is committed: until then the plan page's resource forms
  // (each with a "Title") are still there, so wait for the form's own heading.
  await expect(page.getByRole("heading", { name: "Add a milestone" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Title").fill(PAYLOAD);
  await expect(page.getByLabel("Title")).toHaveValue(PAYLOAD);
  await page.getByLabel("Owned by").selectOption("buyer");
  await page.getByLabel("Duration (working days)").fill("2");
  await page.getByRole("button", { name: "Add milestone" }).click();
  await expect(page).toHaveURL(`${planUrl}#milestones`);

  // A comment whose body is the payload, on that milestone.
  const milestone = page.locator("section#milestones li", { has: page.getByRole("link", { name: PAYLOAD }) });
  await milestone.getByText("Comment", { exact: true }).click();
  const box = page.getByLabel(`Comment on ${PAYLOAD}`);
  await box.fill(PAYLOAD);
  await box.locator("xpath=ancestor::form").getByRole("button", { name: "Post" }).click();
  await expect(page.getByText(PAYLOAD)).not.toHaveCount(0);
  await page.reload();
  await expectInert(page, "rep's plan page", dialogs);

  await page.getByRole("link", { name: PAYLOAD }).first().click();
  await expect(page).toHaveURL(/\/milestones\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: `Edit “${PAYLOAD}”` })).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(PAYLOAD);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // The buyer whose name is the payload opens a link: identity page and plan page.
  await page.goto(planUrl);
  const row = page.locator("section#people li", { hasText: "xss.person@initech.example" });
  await row.getByRole("button", { name: /Create link|Replace link/ }).click();
  const link = await page.getByLabel("New buyer link").inputValue();

  const buyerContext = await browser.newContext();
  const buyer = await buyerContext.newPage();
  const buyerDialogs: string[] = [];
  buyer.on("dialog", (dialog) => {
    buyerDialogs.push(dialog.message());
    void dialog.dismiss();
  });
  buyer.on("console", (message) => {
    if (message.type() === "error" && !/status of 4\d\d/.test(message.text())) buyerDialogs.push(`console: ${message.text()}`);
  });
  await buyer.goto(link);
  await expect(buyer.getByLabel("Your name")).toHaveValue(PAYLOAD);
  expect(await buyer.locator('img[src="x"]').count()).toBe(0);
  await buyer.getByRole("button", { name: "Open the plan" }).click();
  await expect(buyer).toHaveURL(/\/p\/[0-9a-f-]{36}$/);
  await expectInert(buyer, "buyer's plan page", buyerDialogs);
  await buyerContext.close();
});
