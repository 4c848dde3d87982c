import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/*
 * The template form's rows (named as Conform nests them, ADR 023) add, remove, keep every typed
 * value on a 400 and save, with and without JavaScript.
 */

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);
}

for (const javaScriptEnabled of [true, false]) {
  test(`the template form's rows work ${javaScriptEnabled ? "with" : "without"} JavaScript`, async ({ browser }) => {
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled });
    const page = await context.newPage();
    await signIn(page);
    await page.goto("/templates/new");
    const name = `Rows ${javaScriptEnabled ? "with" : "without"} JS ${test.info().workerIndex}-${test.info().retry}`;
    await page.getByLabel("Name").fill(name);
    await page.locator("#row-1-title").fill("Kickoff");
    await page.locator("#row-1-ownerSide").selectOption("seller");
    await page.locator("#row-1-duration").fill("2");
    await page.locator("#row-2-title").fill("Signature");
    await page.locator("#row-2-ownerSide").selectOption("buyer");
    await page.locator("#row-2-duration").fill("x");
    await page.locator("#row-2-dependsOn").fill("1");

    await page.getByRole("button", { name: "Add 5 more rows" }).click();
    await expect(page.locator("#row-10-title")).toBeVisible();
    await expect(page.locator("#row-2-title")).toHaveValue("Signature");
    await expect(page.locator("#row-2-duration")).toHaveValue("x");

    await page.getByRole("button", { name: "Remove row 1", exact: true }).click();
    await expect(page.locator("#row-1-title")).toHaveValue("Signature");
    await expect(page.locator("#row-1-dependsOn")).toHaveValue("");
    await expect(page.locator("#row-10-title")).toHaveCount(0);

    await page.getByRole("button", { name: "Save template" }).click();
    await expect(page.getByText("The template wasn't saved.")).toBeVisible();
    await expect(page.locator("#row-1-duration")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#row-1-title")).toHaveValue("Signature");
    await expect(page.getByLabel("Name")).toHaveValue(name);

    await page.locator("#row-1-duration").fill("0");
    await page.getByRole("button", { name: "Save template" }).click();
    await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}(\?saved=1)?$/);
    await expect(page.getByText(name).first()).toBeVisible();
    await expect(page.getByText("Signature").first()).toBeVisible();
    await expect(page.getByText("Kickoff")).toHaveCount(0);
    await context.close();
  });
}
