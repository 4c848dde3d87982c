import { expect as baseExpect, test } from "./fixtures";
import { holdScripts } from "./hold-scripts";

// Generous waits: the machine running these may be busy.
const expect = baseExpect.configure({ timeout: 20_000 });

/*
 * Issue 16, item 7: the sign-in form submitted before the page's scripts have loaded (a fast
 * typist, a password manager, a slow network) signs in without a page error. The scripts arrive
 * while the native post is on its way (the race behind React's error #345), or not before the next
 * page. The fixture fails the test on any uncaught page error or console error.
 */
for (const releaseAfter of [0, 50, 250, null]) {
  test(`signing in before hydration works and raises no page error (scripts ${releaseAfter === null ? "held until the next page" : `released ${releaseAfter} ms after the tap`})`, async ({
    page,
  }) => {
    const scripts = await holdScripts(page);
    await page.goto("/login", { waitUntil: "commit" });
    await page.getByLabel("Email").fill("rep1@demo.example");
    await page.getByLabel("Password").fill("demo-password");
    await page.getByRole("button", { name: "Sign in" }).click({ noWaitAfter: true });
    expect(scripts.delivered, "the tap came before any script").toBe(0);
    if (releaseAfter !== null) setTimeout(() => scripts.release(), releaseAfter);
    await expect(page).toHaveURL(/\/plans$/);
    scripts.release();
    await expect(page.getByRole("heading", { name: "Plans" })).toBeVisible();
    // The next page hydrates and works as a client-side app.
    await page.waitForLoadState("load");
    await page.getByRole("link", { name: "Acme Logistics" }).click();
    await expect(page.getByRole("heading", { level: 1, name: /Acme Logistics/ })).toBeVisible();
  });
}

/* The same tap while the scripts run: hydration may be under way when it lands. */
for (const tapAfter of [0, 10, 25, 50, 100]) {
  test(`signing in while the page hydrates raises no page error (tap ${tapAfter} ms after the scripts arrive)`, async ({ page }) => {
    const scripts = await holdScripts(page);
    await page.goto("/login", { waitUntil: "commit" });
    await page.getByLabel("Email").fill("rep1@demo.example");
    await page.getByLabel("Password").fill("demo-password");
    scripts.release();
    await page.waitForResponse(/\/build\/entry\.client-[^/]+\.js/);
    await page.waitForTimeout(tapAfter);
    await page.getByRole("button", { name: "Sign in" }).click({ noWaitAfter: true });
    await expect(page).toHaveURL(/\/plans$/);
    await expect(page.getByRole("heading", { name: "Plans" })).toBeVisible();
    await page.waitForLoadState("load");
    await page.getByRole("link", { name: "Acme Logistics" }).click();
    await expect(page.getByRole("heading", { level: 1, name: /Acme Logistics/ })).toBeVisible();
  });
}
