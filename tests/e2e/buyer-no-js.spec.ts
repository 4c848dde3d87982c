import type { Browser, Page } from "@playwright/test";
import { expect as baseExpect, test } from "./fixtures";
import { workingDayInDays } from "./working-days";
import { holdScripts } from "./hold-scripts";

// Generous waits: these walks post many forms, and the machine running them may be busy.
const expect = baseExpect.configure({ timeout: 20_000 });

/*
 * Issue 16, item 1: a buyer without JavaScript, or on a slow phone tapping before the scripts have
 * loaded, can do everything a buyer can. Every form posts natively here, from pages whose
 * Referrer-Policy keeps their address from other sites (ADR 010).
 *
 * Plans used: Wonka Confections (the journey) and Tyrell Corporation (the early taps); no other
 * browser test relies on either.
 */

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);
}

/** The rep creates a fresh link for the plan's champion and reads it from the page (shown once). */
async function newBuyerLink(browser: Browser, company: string, champion: string, options: { javaScriptEnabled: boolean }) {
  const context = await browser.newContext(options);
  const rep = await context.newPage();
  await signIn(rep, "rep1@demo.example");
  await rep.getByRole("link", { name: company }).click();
  const person = rep.locator("#people li", { hasText: champion });
  await person.getByRole("button", { name: /Create link|Replace link/ }).click();
  const link = await rep.getByLabel("New buyer link").inputValue();
  expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  return { link, planUrl: rep.url().replace(/[?#].*$/, ""), rep, context };
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a buyer walks the whole journey: link, identity, done, comment, go-live, colleague, email preferences", async ({ browser }) => {
    test.setTimeout(300_000); // a long walk: ~25 page loads, on a machine shared with other work
    const { link, rep, context: repContext } = await newBuyerLink(browser, "Wonka Confections", "Charlie Bucket", { javaScriptEnabled: false });

    const buyerContext = await browser.newContext({ javaScriptEnabled: false });
    const buyer = await buyerContext.newPage();
    await buyer.goto(link);
    await expect(buyer.getByRole("heading", { name: "Wonka Confections: Production quality insights" })).toBeVisible();
    await expect(buyer.getByLabel("Your name")).toHaveValue("Charlie Bucket");
    await buyer.getByRole("button", { name: "Open the plan" }).click();
    await expect(buyer).toHaveURL(/\/p\/[0-9a-f-]{36}$/);
    await expect(buyer.getByText("Signed in on this device as Charlie Bucket")).toBeVisible();

    // Mark a milestone done.
    const discovery = buyer.locator("li", { has: buyer.getByRole("heading", { name: "Discovery workshop" }) });
    await discovery.getByRole("button", { name: "Mark done" }).click();
    await expect(discovery.getByRole("button", { name: "Reopen" })).toBeVisible();
    await expect(buyer.getByText("Charlie Bucket (buyer) marked “Discovery workshop” done")).toBeVisible();

    // Comment on another (the thread opens natively: it is a <details>).
    const security = buyer.locator("li", { has: buyer.getByRole("heading", { name: "Security review" }) });
    await security.getByText("Comment", { exact: true }).click();
    await security.getByLabel("Comment on Security review").fill("Our security team meets on Thursdays.");
    await security.getByRole("button", { name: "Post" }).click();
    await expect(security.getByText("Our security team meets on Thursdays.")).toBeVisible();
    await expect(security.getByText(/^Charlie Bucket \(buyer\) · /)).toBeVisible();

    // Confirm the go-live date the seller proposed, then propose another one.
    await expect(buyer.getByText(/Proposed by .* \(seller\)/)).toBeVisible();
    await buyer.getByRole("button", { name: /^Confirm / }).click();
    await expect(buyer.getByText(/Confirmed by Charlie Bucket \(buyer\) on/)).toBeVisible();
    await expect(buyer.getByText("Charlie Bucket (buyer) confirmed the go-live date")).toBeVisible();
    const proposed = workingDayInDays(250);
    // Two plain posts: the preview of what moves, then the move itself.
    await buyer.getByLabel("New go-live date").fill(proposed);
    await buyer.getByLabel("Why it moves").fill("Our new line opens later");
    await buyer.getByRole("button", { name: "Preview the change" }).click();
    await buyer.getByRole("button", { name: /^Move go-live to / }).click();
    await expect(
      buyer
        .locator("dt", { hasText: /^Go-live$/ })
        .locator("xpath=following-sibling::dd[1]")
        .locator(`time[datetime="${proposed}"]`),
    ).toBeVisible();
    await expect(buyer.getByText(/Charlie Bucket \(buyer\) moved go-live from .*: Our new line opens later/)).toBeVisible();
    // A successful post resets the form.
    await expect(buyer.getByLabel("Why it moves")).toHaveValue("");

    // Add a colleague: their own link is shown once.
    await buyer.getByText("Add a colleague").click();
    await buyer.getByLabel("Name", { exact: true }).fill("Grandpa Joe");
    await buyer.getByLabel("Email", { exact: true }).fill("joe@wonka.example");
    await buyer.getByLabel("Job title").fill("Quality Lead");
    await buyer.getByRole("button", { name: "Add colleague" }).click();
    // Same domain as Charlie's own address: we email Grandpa Joe, and show the link once as well.
    await expect(buyer.getByText("Grandpa Joe is on the plan. We emailed them their own link; it is shown here only this once:")).toBeVisible();
    expect(await buyer.getByLabel("Their link").inputValue()).toMatch(/\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    await expect(buyer.locator("#people li").getByText("Grandpa Joe", { exact: true })).toBeVisible();

    // Email preferences, from the invitation the rep's new link sent (read in the dev mailbox).
    const admin = await buyerContext.browser()!.newContext({ javaScriptEnabled: false });
    const adminPage = await admin.newPage();
    await signIn(adminPage, "admin@demo.example");
    await adminPage.goto("/dev/mailbox");
    await adminPage.locator("tr", { hasText: "charlie@wonka.example" }).first().getByRole("link").first().click();
    const text = await adminPage.content();
    const preferences = /\/email-preferences\/[A-Za-z0-9._~-]+/.exec(text)?.[0];
    expect(preferences, "the invitation links to its email preferences").toBeTruthy();
    await admin.close();

    await buyer.goto(preferences!);
    await expect(buyer.getByRole("heading", { name: "Email preferences" })).toBeVisible();
    const first = buyer.getByRole("checkbox").first();
    const label = (await buyer.locator("fieldset label").first().locator("span span").first().innerText()).trim();
    await expect(first).toBeChecked();
    await first.uncheck();
    await buyer.getByRole("button", { name: "Save my choices" }).click();
    await expect(buyer.getByText("Saved. You will only get the emails you kept on.")).toBeVisible();
    await buyer.reload();
    await expect(buyer.getByRole("checkbox", { name: new RegExp(label) })).not.toBeChecked();

    // The rep sees what the buyer did.
    await rep.reload();
    await expect(rep.getByText("Charlie Bucket (buyer) marked “Discovery workshop” done")).toBeVisible();
    await expect(rep.getByText(/Charlie Bucket \(buyer\) added Grandpa Joe \(buyer\) to the plan/)).toBeVisible();
    await buyerContext.close();
    await repContext.close();
  });
});

test.describe("before the scripts have loaded", () => {
  test("a buyer taps “Open the plan” and “Mark done” before the page is interactive, and both work", async ({ browser }) => {
    test.setTimeout(180_000);
    const { link, context: repContext } = await newBuyerLink(browser, "Tyrell Corporation", "Rachael Tyrell", { javaScriptEnabled: true });
    await repContext.close();

    const context = await browser.newContext();
    const scripts = await holdScripts(context);
    const buyer = await context.newPage();
    await buyer.goto(link, { waitUntil: "commit" });
    await buyer.getByRole("button", { name: "Open the plan" }).click();
    expect(scripts.delivered, "the tap came before any script").toBe(0);
    await expect(buyer).toHaveURL(/\/p\/[0-9a-f-]{36}$/);
    await expect(buyer.getByText("Signed in on this device as Rachael Tyrell")).toBeVisible();

    await buyer.reload({ waitUntil: "commit" });
    const open = buyer.locator("li", { has: buyer.getByRole("button", { name: "Mark done" }) }).first();
    const title = (await open.getByRole("heading").first().innerText()).trim();
    await open.getByRole("button", { name: "Mark done" }).click();
    expect(scripts.delivered, "the tap came before any script").toBe(0);
    const after = buyer.locator("li", { has: buyer.getByRole("heading", { name: title, exact: true }) });
    await expect(after.getByRole("button", { name: "Reopen" })).toBeVisible();
    await expect(buyer.getByText(`Rachael Tyrell (buyer) marked “${title}” done`)).toBeVisible();
    // Nothing was waiting on a script: a buyer's page loads none of the app's (ADR 047).
    await buyer.waitForLoadState("load");
    expect(scripts.delivered).toBe(0);
    scripts.release();
    await context.close();
  });
});
