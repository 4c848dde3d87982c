import { expect as baseExpect, signIn, test } from "./fixtures";
import { workingDayInDays } from "./working-days";

const expect = baseExpect.configure({ timeout: 20_000 });

/*
 * Issue 22, item 4 (ADR 038): a new plan whose go-live is weeks away and only proposed by the
 * seller is "at risk" for that reason; its buyer is told, in their words, and confirms the date;
 * the plan is then on track for the rep, on the plan and on the plans list.
 *
 * Plan used: Pied Piper, created here (rep1's); no other browser test relies on it.
 */

test("an unconfirmed go-live puts a plan at risk until the buyer confirms it", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, "rep1@demo.example");
  await page.getByRole("link", { name: "New plan" }).click();
  await page.getByLabel("Buyer company").fill("Pied Piper");
  await page.getByLabel("Plan title").fill("Compression rollout");
  await page.getByLabel("Deal value").fill("42000");
  await page.getByLabel("Buyer's go-live date").fill(workingDayInDays(35));
  await page.getByLabel("Start from").selectOption({ label: "Mid-market quick start (6 milestones)" });
  await page.getByRole("button", { name: "Create plan" }).click();
  await expect(page.getByRole("heading", { name: /Pied Piper/ })).toBeVisible();
  const planUrl = page.url().replace(/[?#].*$/, "");

  const health = page.getByTestId("plan-health");
  await expect(health.locator("[data-health]")).toHaveAttribute("data-health", "at_risk");
  await expect(health).toContainText("At risk");
  await expect(health.getByRole("listitem")).toHaveText([/^Go-live not confirmed by the buyer \(in \d+ days\)$/]);

  // The buyer's champion, and a link for them.
  await page.getByText("Add a person").click();
  await page.getByLabel("Name", { exact: true }).fill("Richard Hendricks");
  await page.getByLabel("Email", { exact: true }).fill("richard@piedpiper.example");
  await page.getByRole("button", { name: "Add person" }).click();
  await page
    .locator("#people li", { hasText: "Richard Hendricks" })
    .getByRole("button", { name: /Create link/ })
    .click();
  const link = await page.getByLabel("New buyer link").inputValue();

  const buyerContext = await browser.newContext();
  const buyer = await buyerContext.newPage();
  await buyer.goto(link);
  await buyer.getByRole("button", { name: "Open the plan" }).click();
  await expect(buyer.getByText("Signed in on this device as Richard Hendricks")).toBeVisible();
  const notes = buyer.getByTestId("buyer-health");
  await expect(notes.getByRole("heading", { name: "Keeping go-live on track" })).toBeVisible();
  await expect(notes.getByRole("listitem")).toHaveText(["Your team hasn't confirmed the go-live date yet."]);
  // The buyer never sees the seller's label.
  await expect(buyer.locator("[data-health]")).toHaveCount(0);

  await buyer.getByRole("button", { name: /^Confirm .* as go-live$/ }).click();
  await expect(buyer.getByText(/Confirmed by Richard Hendricks \(buyer\)/)).toBeVisible();
  await expect(notes).toHaveCount(0);
  await buyerContext.close();

  await page.goto(planUrl);
  await expect(health.locator("[data-health]")).toHaveAttribute("data-health", "on_track");
  await expect(health).toContainText("Nothing needs attention right now.");
  await page.goto("/plans");
  const row = page.getByRole("row", { name: /Pied Piper/ });
  await expect(row.locator("[data-health]")).toHaveAttribute("data-health", "on_track");
  await expect(row).toContainText("On track");
});
