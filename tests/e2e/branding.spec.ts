import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { solidPng } from "../support/images";
import { expect, signIn, test } from "./fixtures";

/** Serious or critical axe findings (WCAG 2.x A and AA), as tests/e2e/a11y.spec.ts counts them. */
async function seriousFindings(page: Page) {
  await page.waitForLoadState("networkidle");
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
}

/*
 * Issue 22, item 5, on the Tyrell Corporation plan (no other browser test relies on it). The
 * branding is the whole demo organisation's, so the test puts the defaults back at its end.
 */
test("an admin brands the organisation; the buyer's page shows the logo and the accent", async ({ page, browser }) => {
  await signIn(page, "admin@demo.example");
  await page.getByRole("link", { name: "Branding", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Branding" })).toBeVisible();

  // Too light to read on white: refused with its ratio, the value kept.
  await page.getByLabel("Accent colour").fill("#8fbfa9");
  await page.getByRole("button", { name: "Save branding" }).click();
  await expect(page.getByText(/#8fbfa9 has a contrast of \d\.\d\d:1 against white/)).toBeVisible();
  await expect(page.getByLabel("Accent colour")).toHaveValue("#8fbfa9");

  await page.getByLabel("Accent colour").fill("#0b6e4f");
  await page.getByLabel("Logo").setInputFiles({ name: "tyrell-logo.png", mimeType: "image/png", buffer: solidPng(160, 40) });
  await page.getByRole("button", { name: "Save branding" }).click();
  await expect(page.getByRole("status")).toContainText("Branding saved");
  await expect(page.getByLabel("Replace the logo")).toHaveValue(""); // the form came back empty
  await expect(page.getByRole("img", { name: "Northwind Analytics" })).toBeVisible();
  expect(await seriousFindings(page)).toEqual([]);

  await page.goto("/plans");
  await page.getByRole("link", { name: "Tyrell Corporation" }).click();
  await page
    .getByRole("button", { name: /Create link|Replace link/ })
    .first()
    .click();
  const link = await page.getByLabel("New buyer link").inputValue();

  const buyerContext = await browser.newContext();
  const buyer = await buyerContext.newPage();
  await buyer.goto(link);
  await buyer.getByRole("button", { name: "Open the plan" }).click();
  await expect(buyer).toHaveURL(/\/p\/[0-9a-f-]{36}$/);
  const logo = buyer.getByRole("banner").getByRole("img", { name: "Northwind Analytics" });
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160); // served and decoded
  const done = buyer.getByRole("button", { name: "Mark done" }).first();
  await expect(done).toHaveCSS("background-color", "rgb(11, 110, 79)");
  expect(await seriousFindings(buyer)).toEqual([]); // the accent keeps the page readable
  await buyerContext.close();

  await page.goto("/settings/branding");
  await page.getByRole("button", { name: "Remove logo" }).click();
  await expect(page.getByRole("status")).toContainText("Logo removed");
  await page.getByRole("button", { name: "Reset colour" }).click();
  await expect(page.getByRole("status")).toContainText("Colour reset");
  await expect(page.getByText("No logo yet.")).toBeVisible();
});
