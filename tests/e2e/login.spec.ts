import { expect, test } from "./fixtures";

test("a demo rep signs in and sees their plans", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);
  await expect(page.getByRole("heading", { name: "Plans" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Acme Logistics" })).toBeVisible();
  await expect(page.getByText("Buyer confirmed").first()).toBeVisible();
  await expect(page.getByText(/Slipping by \d+ working days?/).first()).toBeVisible();
  // Another rep's deal is not on this rep's list.
  await expect(page.getByRole("link", { name: "Hooli" })).toHaveCount(0);
});

test("a wrong password keeps the email and says what happened", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("manager@demo.example");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That email and password don't match an account.");
  await expect(page.getByLabel("Email")).toHaveValue("manager@demo.example");
});

test("signing out ends the session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("manager@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: "Hooli" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/plans");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fplans/);
});

test("a redirectTo that leads off-site after signing in lands on the plans instead", async ({ page, baseURL }) => {
  // Browsers drop the tab, so `/<tab>/evil.example` would be read as `//evil.example`.
  await page.goto("/login?redirectTo=%2F%09%2Fevil.example");
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Plans" })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  expect(new URL(page.url()).pathname).toBe("/plans");
  // Signed in already, the same address (and one with a newline, once a 500) sends them home.
  for (const target of ["%2F%09%2Fevil.example", "%2F%0A%2Fx"]) {
    await page.goto(`/login?redirectTo=${target}`);
    await expect(page.getByRole("heading", { name: "Plans" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  }
});
