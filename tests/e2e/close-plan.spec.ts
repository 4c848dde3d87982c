import { expect as baseExpect, signIn, test } from "./fixtures";
import { daysAfter, shownDay, testToday } from "../support/dates";

const expect = baseExpect.configure({ timeout: 20_000 });

/*
 * Issue 19, item 1: a rep closes a plan as lost, on the day it really closed, with the reason,
 * without JavaScript (every step a native form post), sees how it ended, and reopens it.
 *
 * Plan used: Soylent Foods (Priya's); no other browser test relies on it, and it ends open again.
 */

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a rep closes a plan as lost with its date and reason, sees it, and reopens it", async ({ page }) => {
    test.setTimeout(120_000);
    const today = testToday();
    const yesterday = daysAfter(today, -1);
    await signIn(page, "rep2@demo.example");
    await page.getByRole("link", { name: "Soylent Foods" }).click();
    await expect(page).toHaveURL(/\/plans\/[0-9a-f-]{36}$/);
    const planUrl = page.url();
    await page.getByRole("link", { name: "Close the plan" }).click();
    await expect(page.getByRole("heading", { name: "Close the plan" })).toBeVisible();
    await expect(page.getByLabel("Closed on")).toHaveValue(today);

    // A day that has not come: refused, what was typed kept, focus on the field to fix.
    await page.getByLabel("Lost: the customer chose otherwise").check();
    await page.getByLabel("Closed on").fill(daysAfter(today, 3));
    await page.getByLabel("Why was it lost?").selectOption({ label: "Went with a competitor" });
    await page.getByLabel("Note (optional)").fill("Chose the incumbent's bundle.");
    await page.getByRole("button", { name: "Close the plan" }).click();
    await expect(page.getByText("has not come yet").first()).toBeVisible();
    await expect(page.getByLabel("Closed on")).toBeFocused();
    await expect(page.getByLabel("Lost: the customer chose otherwise")).toBeChecked();
    await expect(page.getByLabel("Why was it lost?")).toHaveValue("competitor");
    await expect(page.getByLabel("Note (optional)")).toHaveValue("Chose the incumbent's bundle.");

    await page.getByLabel("Closed on").fill(yesterday);
    await page.getByRole("button", { name: "Close the plan" }).click();
    await expect(page).toHaveURL(planUrl);
    const outcome = page.getByRole("heading", { name: `Lost on ${shownDay(yesterday, today)}: went with a competitor` });
    await expect(outcome).toBeVisible();
    await expect(outcome.locator("time")).toHaveAttribute("title", yesterday);
    await expect(page.getByText("Chose the incumbent's bundle.", { exact: true })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(`Closed. Lost on ${shownDay(yesterday, today)}.`);
    await expect(page.getByRole("link", { name: "Close the plan" })).toHaveCount(0);

    await page.getByRole("button", { name: "Reopen the plan" }).click();
    await expect(page).toHaveURL(planUrl);
    await expect(page.getByRole("status")).toContainText("The plan is open again.");
    await expect(outcome).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Close the plan" })).toBeVisible();
    await expect(page.getByText("Priya Raman (seller) reopened the plan (it was lost on")).toBeVisible();
  });
});
