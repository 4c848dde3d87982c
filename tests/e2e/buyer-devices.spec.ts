import { randomUUID } from "node:crypto";
import { expect as baseExpect, test } from "./fixtures";

// Generous waits: these walks post many forms, and the machine running them may be busy.
const expect = baseExpect.configure({ timeout: 20_000 });

/*
 * Issue 16, items 5 and 11, on the Initech plan (no other browser test relies on it):
 * a plan's page on a device without the buyer's cookie says what is true, and the same for a plan
 * that does not exist; a link opened on new devices, under other names, shows on the rep's page.
 */

test("a buyer link opened on new devices and under another name shows on the rep's people card and activity", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Initech", exact: true }).click();
  const person = page.locator("#people li", { hasText: "Peter Gibbons" });
  await person.getByRole("button", { name: /Create link|Replace link/ }).click();
  const link = await page.getByLabel("New buyer link").inputValue();

  // Peter on his laptop, then a colleague he forwarded the email to.
  const laptop = await browser.newContext();
  const peter = await laptop.newPage();
  await peter.goto(link);
  await peter.getByRole("button", { name: "Open the plan" }).click();
  await expect(peter.getByText("Signed in on this device as Peter Gibbons")).toBeVisible();
  const planPath = new URL(peter.url()).pathname;

  const forwarded = await browser.newContext();
  const colleague = await forwarded.newPage();
  await colleague.goto(link);
  await colleague.getByLabel("Your name").fill("Samir Nagheenanajar");
  await colleague.getByLabel("Your work email").fill("samir@initech.example");
  await colleague.getByRole("button", { name: "Open the plan" }).click();
  await expect(colleague.getByText("Signed in on this device as Samir Nagheenanajar")).toBeVisible();
  // A device signing in is not a change to the plan: the buyers' "Recent changes" leave it out.
  await expect(colleague.getByText(/opened the plan on a new device|link was opened on a new device/)).toHaveCount(0);
  await laptop.close();
  await forwarded.close();

  await page.reload();
  const card = page.locator("#people li", { hasText: "Peter Gibbons" });
  await expect(card.getByText("Opened on 2 devices:")).toBeVisible();
  await expect(card.getByText("Samir Nagheenanajar", { exact: true })).toBeVisible();
  await expect(card.getByText("(samir@initech.example)")).toBeVisible();
  await expect(card.getByText("Not Peter Gibbons")).toBeVisible();
  const activity = page.locator("section[aria-labelledby='activity-heading']");
  await expect(activity.getByText("Peter Gibbons (buyer) opened the plan on a new device")).toBeVisible();
  await expect(activity.getByText("Peter Gibbons's link was opened on a new device as Samir Nagheenanajar (samir@initech.example)")).toBeVisible();

  // Item 5: the plan's address on a device that never opened the link (a calendar event's URL).
  const other = await browser.newContext();
  const stranger = await other.newPage();
  const response = await stranger.goto(planPath);
  expect(response?.status()).toBe(404);
  await expect(stranger.getByRole("heading", { name: "This plan can't be shown on this device" })).toBeVisible();
  await expect(stranger.getByText(/Open the link from your email on this device/)).toBeVisible();
  await expect(stranger.getByText("This link is not active")).toHaveCount(0);
  const answer = await stranger.locator("main").innerText();
  // A plan id that does not exist gets the very same answer: nothing is told about the plan.
  const unknown = await stranger.goto(`/p/${randomUUID()}`);
  expect(unknown?.status()).toBe(404);
  await expect(stranger.getByRole("heading", { name: "This plan can't be shown on this device" })).toBeVisible();
  expect(await stranger.locator("main").innerText()).toBe(answer);
  await other.close();
});
