import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { workingDayInDays } from "./working-days";

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);
}

test("a manager narrows the forecast to one rep and moves its quarters; the export follows", async ({ page }) => {
  await signIn(page, "manager@demo.example");
  await page.goto("/forecast");
  const filters = page.getByRole("form", { name: "Forecast filters" });
  await filters.getByLabel("Rep").selectOption({ label: "Priya Raman" });
  await filters.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/\/forecast\?rep=[0-9a-f-]{36}&from=$/); // the form's own fields: an empty window is this quarter
  await expect(page.getByText("Priya Raman's plans").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /^\/forecast\.csv\?rep=[0-9a-f-]{36}$/);
  // The headline opens only her plans.
  await page.getByRole("link", { name: /^Active pipeline: \d+ plans?$/ }).click();
  const plans = page.getByRole("table", { name: "Plans behind this number" });
  await expect(plans.getByRole("link", { name: "Hooli" })).toBeVisible();
  await expect(plans.getByRole("link", { name: "Acme Logistics" })).toHaveCount(0); // Sam's
  await page.getByRole("link", { name: "Back to the forecast" }).first().click();
  await expect(page).toHaveURL(/\/forecast\?rep=/);

  // One quarter later: the window's first card is next quarter, and the rep stays picked.
  await page.getByRole("link", { name: "Show the quarter after" }).click();
  await expect(page).toHaveURL(/\/forecast\?rep=[0-9a-f-]{36}&from=FY\d{4}-Q\d$/);
  await expect(page.getByRole("heading", { level: 2, name: /^Next quarter/ })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /^2 quarters ahead/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Export CSV \(FY\d{4} Q\d – FY\d{4} Q\d\)$/ })).toHaveAttribute("href", /rep=.*&from=FY\d{4}-Q\d$/);
  await expect(page.getByRole("form", { name: "Forecast filters" }).getByLabel("Rep")).toHaveValue(/[0-9a-f-]{36}/);
  await page.getByRole("link", { name: "Back to this quarter" }).click();
  await expect(page).toHaveURL(/\/forecast\?rep=[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 2, name: /^This quarter/ })).toBeVisible();

  // Everyone again, with the quarters picked from the list.
  const again = page.getByRole("form", { name: "Forecast filters" });
  await again.getByLabel("Rep").selectOption({ label: "Everyone" });
  await again.getByLabel("Quarters", { exact: true }).selectOption({ index: 6 }); // two quarters ahead of now
  await again.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/\/forecast\?rep=&from=FY\d{4}-Q\d$/);
  await expect(page.getByText("Maya Chen's team").first()).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /^2 quarters ahead/ })).toBeVisible();
});

test("a rep starts a plan from a template's page, is told the company already has one, and goes on", async ({ page }) => {
  await signIn(page, "rep1@demo.example");
  // The list says what it adds up to.
  await expect(page.getByTestId("plan-totals")).toHaveText(/^\d+ active plans · \$[\d,]+ in total$/);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Templates" }).click();
  await page
    .getByRole("link", { name: /Enterprise purchase/ })
    .first()
    .click();
  await page.getByRole("link", { name: "Use this template" }).click();
  await expect(page).toHaveURL(/\/plans\/new\?template=[0-9a-f-]{36}$/);
  await expect(page.getByLabel("Start from")).toHaveValue(/[0-9a-f-]{36}/);
  await expect(page.getByLabel("Start from").locator("option:checked")).toHaveText(/Enterprise purchase/);

  await page.getByLabel("Buyer company").fill("  wonka confections ");
  await page.getByLabel("Plan title").fill("Second line rollout");
  await page.getByLabel("Deal value").fill("40000");
  await page.getByLabel("Buyer's go-live date").fill(workingDayInDays(160));
  await page.getByRole("button", { name: "Create plan" }).click();

  // Not blocked: warned, with the existing plan, and what was typed kept.
  const warning = page.getByRole("status").filter({ hasText: "already has an active plan" });
  await expect(warning).toBeVisible();
  await expect(warning.getByRole("link", { name: "Production quality insights" })).toHaveAttribute("href", /^\/plans\/[0-9a-f-]{36}$/);
  await expect(page.getByLabel("Plan title")).toHaveValue("Second line rollout");
  await expect(page.getByLabel("Start from").locator("option:checked")).toHaveText(/Enterprise purchase/);
  await page.getByRole("button", { name: "Create it anyway" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /wonka confections/i })).toBeVisible();
  await expect(page).toHaveURL(/\/plans\/[0-9a-f-]{36}$/);
});
