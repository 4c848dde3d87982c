import type { Browser, Page } from "@playwright/test";
import { expect as baseExpect, test } from "./fixtures";

// Generous waits: these walks post several forms, and the machine running them may be busy.
const expect = baseExpect.configure({ timeout: 20_000 });

/*
 * Issue 17, item 8 (ADR 020), in a browser without JavaScript: an admin invites a teammate, who
 * chooses a password from the emailed link and lands on their plans; later they forget it and
 * reset it from the sign-in page. Emails are read in the dev mailbox, as in the demo.
 *
 * Uses its own teammate (casey@demo.example); no other browser test relies on it.
 */

async function signIn(page: Page, email: string, password = "demo-password") {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);
}

/** The set-password link in the newest email to `to` with this subject, read by the admin in the dev mailbox. */
async function linkFromMailbox(browser: Browser, to: string, subject: RegExp) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const admin = await context.newPage();
  await signIn(admin, "admin@demo.example");
  await admin.goto("/dev/mailbox");
  await admin.locator("tr", { hasText: to }).filter({ hasText: subject }).first().getByRole("link").first().click();
  // The mailbox lists an email as soon as it is queued; its body is there once the dispatcher has
  // sent it (within its 5 s poll), so the admin looks again, as a person would.
  const setPasswordLink = async () => /\/password\/set\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/.exec(await admin.content())?.[0];
  await expect
    .poll(async () => (await setPasswordLink()) ?? (await admin.reload(), undefined), { message: "the email carries a set-password link", timeout: 30_000 })
    .toBeTruthy();
  const link = await setPasswordLink();
  await context.close();
  return link!;
}

test("a teammate is invited, chooses a password, and later resets it, all without JavaScript", async ({ browser }) => {
  // Four browsers, a dozen forms and three argon2 hashes on a busy machine.
  test.setTimeout(120_000);
  const adminContext = await browser.newContext({ javaScriptEnabled: false });
  const admin = await adminContext.newPage();
  await signIn(admin, "admin@demo.example");
  await admin.goto("/team");
  await admin.getByLabel("Name").fill("Casey Brooks");
  await admin.getByLabel("Email").fill("casey@demo.example");
  await admin.getByLabel("Reports to").selectOption({ label: "Maya Chen" });
  await admin.getByRole("button", { name: "Send invitation" }).click();
  await expect(admin.getByText("We emailed Casey Brooks (casey@demo.example) a link to choose a password")).toBeVisible();
  const row = admin.locator("tr", { hasText: "casey@demo.example" });
  await expect(row.getByText("Invited, hasn't set a password yet")).toBeVisible();
  await expect(row.getByRole("button", { name: "Resend the invitation to Casey Brooks" })).toBeVisible();

  const inviteLink = await linkFromMailbox(browser, "casey@demo.example", /invited you/);
  const caseyContext = await browser.newContext({ javaScriptEnabled: false });
  const casey = await caseyContext.newPage();
  await casey.goto(inviteLink);
  await expect(casey.getByRole("heading", { name: "Welcome, Casey Brooks" })).toBeVisible();
  await casey.getByLabel("New password").fill("caseys-own-password");
  await casey.getByLabel("Type it again").fill("caseys-0wn-password");
  await casey.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(casey.getByText("The two passwords don't match.")).toBeVisible();
  await casey.getByLabel("New password").fill("caseys-own-password");
  await casey.getByLabel("Type it again").fill("caseys-own-password");
  await casey.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(casey).toHaveURL(/\/plans$/);
  await expect(casey.getByRole("link", { name: /Casey Brooks/ })).toBeVisible();

  // The link was spent: opening it again says so, and what to do.
  await casey.goto(inviteLink);
  await expect(casey.getByRole("heading", { name: "This link was already used" })).toBeVisible();
  await admin.reload();
  await expect(admin.locator("tr", { hasText: "casey@demo.example" }).getByText("Invited, hasn't set a password yet")).toHaveCount(0);

  // Forgotten: a reset from the sign-in page, on another browser; the first one is signed out.
  const laterContext = await browser.newContext({ javaScriptEnabled: false });
  const later = await laterContext.newPage();
  await later.goto("/login");
  await later.getByRole("link", { name: "Forgot your password?" }).click();
  await later.getByLabel("Email").fill("casey@demo.example");
  await later.getByRole("button", { name: "Send me a link" }).click();
  await expect(later.getByText("If an account uses casey@demo.example, we've sent a link")).toBeVisible();
  const resetLink = await linkFromMailbox(browser, "casey@demo.example", /Reset your/);
  await later.goto(resetLink);
  await expect(later.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await later.getByLabel("New password").fill("caseys-newer-password");
  await later.getByLabel("Type it again").fill("caseys-newer-password");
  await later.getByRole("button", { name: "Save and sign in" }).click();
  await expect(later).toHaveURL(/\/plans$/);
  await casey.goto("/plans");
  await expect(casey).toHaveURL(/\/login/);

  // The new password works; the account page changes it again and keeps this browser signed in.
  await later.goto("/account");
  await later.getByLabel("Current password").fill("caseys-newer-password");
  await later.getByLabel("New password", { exact: true }).fill("caseys-newest-password");
  await later.getByLabel("Type the new password again").fill("caseys-newest-password");
  await later.getByRole("button", { name: "Change password" }).click();
  await expect(later.getByText("Your password was changed.")).toBeVisible();
  await expect(later).toHaveURL(/\/account$/);

  await adminContext.close();
  await caseyContext.close();
  await laterContext.close();
});
