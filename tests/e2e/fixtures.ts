import { test as base, expect, type Page } from "@playwright/test";

/** Every browser test fails on an uncaught page error or a console error, as a user would notice. */
export const test = base.extend<{ failOnPageErrors: void }>({
  failOnPageErrors: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        // An expected 4xx answer (a wrong password is a 401) is logged by Chromium as a failed load.
        if (/status of 4\d\d/.test(message.text())) return;
        problems.push(`console error: ${message.text()}`);
      });
      await use();
      expect(problems, "the page reported errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Signs a demo seller in (the demo password) and waits for their plans. */
export async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/, { timeout: 20_000 });
}
