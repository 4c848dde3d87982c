import { expect as baseExpect, signIn, test } from "./fixtures";
import { daysAfter, quietWednesday, shownDay, testToday } from "../support/dates";

const expect = baseExpect.configure({ timeout: 20_000 });

/*
 * Issue 22, item 6: a rep clones a plan for another team of the customer without JavaScript
 * (native form posts), is told what to fix for a go-live in the past, and lands on the new plan
 * with its milestones dated back from the new go-live.
 *
 * Plan used: Stark Manufacturing (Sam's, lost): it only gains a log entry. The copy is for
 * "Stark Aerospace", a name no other browser test looks for.
 */

/** The fixed-date US holidays the demo organisation keeps, around today: the go-live week stays clear of them. */
function fixedHolidays(today: string): string[] {
  const year = Number(today.slice(0, 4));
  return [year, year + 1].flatMap((y) => ["01-01", "06-19", "07-04", "11-11", "12-25"].map((md) => `${y}-${md}`));
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a rep clones a plan for another team and sees the new plan's dates", async ({ page }) => {
    test.setTimeout(120_000);
    const today = testToday();
    const goLive = quietWednesday(today, 130, fixedHolidays(today));
    await signIn(page, "rep1@demo.example");
    await page.goto("/plans?status=lost");
    await page.getByRole("link", { name: "Stark Manufacturing" }).click();
    await expect(page).toHaveURL(/\/plans\/[0-9a-f-]{36}$/);
    const sourceUrl = page.url();
    const sourceTitle = "Predictive maintenance";

    await page.getByRole("link", { name: "Clone for another team" }).click();
    await expect(page.getByRole("heading", { name: "Clone for another team" })).toBeVisible();
    await expect(page.getByLabel("Buyer company")).toHaveValue("Stark Manufacturing");
    await expect(page.getByLabel("New plan title")).toHaveValue(sourceTitle);
    await expect(page.getByLabel("Copy the people too")).not.toBeChecked();

    // A go-live in the past: refused, what was typed kept, focus on the field to fix.
    await page.getByLabel("New plan title").fill("Production analytics: Aerospace line");
    await page.getByLabel("Buyer company").fill("Stark Aerospace");
    await page.getByLabel("Buyer's go-live date").fill(daysAfter(today, -2));
    await page.getByLabel("Copy the people too").check();
    await page.getByRole("button", { name: "Clone the plan" }).click();
    await expect(page.getByText("is in the past").first()).toBeVisible();
    await expect(page.getByLabel("Buyer's go-live date")).toBeFocused();
    await expect(page.getByLabel("New plan title")).toHaveValue("Production analytics: Aerospace line");
    await expect(page.getByLabel("Buyer company")).toHaveValue("Stark Aerospace");
    await expect(page.getByLabel("Copy the people too")).toBeChecked();

    await page.getByLabel("Buyer's go-live date").fill(goLive);
    await page.getByRole("button", { name: "Clone the plan" }).click();
    await expect(page).toHaveURL(/\/plans\/[0-9a-f-]{36}$/);
    expect(page.url()).not.toBe(sourceUrl);
    await expect(page.getByRole("status")).toContainText(`Cloned from “${sourceTitle}”`);
    await expect(page.getByRole("status")).toContainText(shownDay(goLive, today));
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Stark Aerospace");
    await expect(page.getByText("Production analytics: Aerospace line").first()).toBeVisible();
    // The last milestones finish the working day before go-live, shown in words with the ISO date beside.
    await expect(page.locator(`time[title="${daysAfter(goLive, -1)}"]:visible`).first()).toBeVisible();
    await expect(page.getByText(`as a copy of “${sourceTitle}”`)).toBeVisible();

    await page.goto(sourceUrl);
    await expect(page.getByText("cloned the plan into “Production analytics: Aerospace line”")).toBeVisible();
  });
});
