import { expect, test } from "./fixtures";

/*
 * Issue 16, item 18: without JavaScript, a rep names a teammate who is not on the plan as a
 * milestone's owner straight from the milestone form; the teammate joins the plan's people.
 * Plan used: Vandelay Imports (Priya Raman's); no other browser test relies on it.
 */
test("without JavaScript, a teammate not on the plan can own a new milestone and joins the plan", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep2@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);
  await page.getByRole("link", { name: "Vandelay Imports" }).click();
  const people = page.locator("#people");
  await expect(people.getByText("Sam Okafor")).toHaveCount(0);

  await page.getByRole("link", { name: "Add milestone" }).click();
  const owner = page.getByLabel("Owner", { exact: true });
  await expect(owner.locator('optgroup[label="Your team"] option', { hasText: "Sam Okafor" })).toHaveCount(1);
  await page.getByLabel("Title").fill("Customs data import");
  await owner.selectOption({ label: "Sam Okafor" });
  await page.getByLabel("Duration (working days)").fill("3");
  await page.getByRole("button", { name: "Add milestone" }).click();

  await expect(page).toHaveURL(/\/plans\/[0-9a-f-]{36}(#milestones)?$/);
  const row = page.locator("li", { has: page.getByRole("link", { name: "Customs data import" }) });
  await expect(row.getByText(/Sam Okafor/)).toBeVisible();
  await expect(people.getByText("Sam Okafor")).toBeVisible();
  await context.close();
});
