import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout: 30_000 });
}

/** The ISO due date of a milestone as its plan's page shows it (the `datetime` of "Due …"). */
async function dueDateOf(page: Page, title: string) {
  const row = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title, exact: true }) });
  return row.locator("time.font-medium").getAttribute("datetime");
}

test("an admin adds a holiday on a milestone's due date and the milestone moves off it", async ({ page }) => {
  test.slow(); // the save re-schedules every open plan of the demo through the write path
  await signIn(page, "admin@demo.example");
  await page.goto("/plans");
  await page.getByRole("link", { name: "Wonka Confections" }).click();
  // The list's links navigate in the app: wait for the plan's address before remembering it.
  await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
  const planUrl = page.url();
  const due = await dueDateOf(page, "Admin training");
  expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  await page.getByRole("link", { name: "Holidays", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Holidays and working week" })).toBeVisible();
  await page.getByLabel("Date").fill(due!);
  await page.getByLabel("Name").fill("Company offsite");
  await page.getByRole("button", { name: "Add holiday" }).click();
  await expect(page.getByRole("status")).toContainText(/Saved: added .*\(Company offsite\)\. \d+ open plans were re-scheduled\./, { timeout: 30_000 });
  await expect(page.getByLabel("Name")).toHaveValue(""); // a successful save resets the form
  await expect(page.getByRole("row").filter({ hasText: "Company offsite" }).locator(`time[datetime="${due}"]`)).toBeVisible();

  await page.goto(planUrl);
  const moved = await dueDateOf(page, "Admin training");
  expect(moved).not.toBe(due);
  expect(moved! < due!).toBe(true); // scheduled backward: the working day before
  await expect(page.getByText(/Alex Morgan \(seller\) changed the holiday calendar: added .*\(Company offsite\)/)).toBeVisible();
});

test("an empty working week is refused with a message, the page keeping its values", async ({ page }) => {
  await signIn(page, "admin@demo.example");
  await page.goto("/settings/holidays");
  for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]) await page.getByLabel(day).uncheck();
  await page.getByRole("button", { name: "Save working week" }).click();
  await expect(page.getByText("Pick at least one working day")).toBeVisible();
  await expect(page.getByLabel("Monday")).not.toBeChecked();
});
