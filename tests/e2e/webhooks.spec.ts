import { expect, test } from "./fixtures";

/*
 * Issue 17, item 3 as an admin sees it: an endpoint at an internal address (the cloud metadata
 * service) is refused on the settings page with a message that says why, what was typed stays in
 * the field, and nothing is added. The browser server runs with the default configuration (no
 * WEBHOOK_ALLOW_PRIVATE).
 */
test("an admin cannot point a webhook at an internal address", async ({ page }) => {
  // Three round trips that each resolve and check an address, on a shared 2-core machine.
  test.setTimeout(90_000);
  await page.goto("/login");
  await page.getByLabel("Email").fill("admin@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);

  await page.goto("/settings/webhooks");
  for (const address of ["https://169.254.169.254/latest/meta-data/", "https://2130706433/hook", "https://[::ffff:127.0.0.1]/hook"]) {
    const field = page.getByLabel("Address");
    await field.fill(address);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText("That address is on a private, loopback or reserved network")).toBeVisible();
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveValue(address);
  }
  await expect(page.getByText("No endpoints yet")).toBeVisible();
  await page.reload();
  await expect(page.getByText("No endpoints yet")).toBeVisible();
});
