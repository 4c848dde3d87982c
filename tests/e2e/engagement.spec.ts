import { randomUUID } from "node:crypto";
import { expect as baseExpect, test } from "./fixtures";

// Generous waits: a walk of several page loads on a busy two-core machine.
const expect = baseExpect.configure({ timeout: 20_000 });

/*
 * Issue 22, item 3 (ADR 037): a buyer-side person of its own on the Initech plan (a new one each
 * run), so no other browser test's counts move. The rep sees "Has not opened the plan yet", then,
 * once the buyer opened the plan and followed a next step to its milestone, one visit and one
 * milestone opened, with the exact time in a tooltip.
 */
test("the rep sees a buyer's visit and the milestone they opened on the people card", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const suffix = randomUUID().slice(0, 8);
  const name = `Zed Engagement ${suffix}`;
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Initech", exact: true }).click();

  const people = page.locator("#people");
  await people.getByText("Add a person").click();
  await people.getByLabel("Name").fill(name);
  await people.getByLabel("Email").fill(`zed.${suffix}@initech.example`);
  await people.getByRole("button", { name: "Add person" }).click();
  await expect(people.getByRole("status")).toHaveText(`${name} is on the plan.`);
  const card = page.locator("#people li", { hasText: name });
  await expect(card.getByText("Has not opened the plan yet")).toBeVisible();
  await card.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByLabel("New buyer link").inputValue();

  const context = await browser.newContext();
  const buyer = await context.newPage();
  await buyer.goto(link);
  await buyer.getByRole("button", { name: "Open the plan" }).click();
  await expect(buyer.getByText(`Signed in on this device as ${name}`)).toBeVisible();
  const step = buyer.getByRole("region", { name: "Your next steps" }).getByRole("link").first();
  const stepTitle = (await step.textContent()) ?? "";
  await step.click();
  await expect(buyer).toHaveURL(/\?m=[0-9a-f-]{36}#m-[0-9a-f-]{36}$/);
  await expect(buyer.getByRole("heading", { name: stepTitle, exact: true })).toBeVisible();
  await context.close();

  await page.reload();
  const engaged = page.locator("#people li", { hasText: name });
  await expect(engaged.getByText("1 visit · 1 milestone opened · 0 actions")).toBeVisible();
  await expect(engaged.getByText("Has not opened the plan yet")).toHaveCount(0);
  await expect(engaged.locator("time").first()).toHaveAttribute("title", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
});
