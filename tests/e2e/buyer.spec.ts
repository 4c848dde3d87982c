import { formatDay, todayIn } from "~/domain/dates";
import { expect, test } from "./fixtures";
import { workingDayInDays } from "./working-days";

test("a buyer opens their link, confirms who they are, updates the plan; the rep sees it", async ({ page, browser }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Globex Health" }).click();
  const forecastBefore = await page.locator("dt", { hasText: "Forecast close" }).locator("xpath=following-sibling::dd[1]").innerText();

  await page
    .getByRole("button", { name: /Create link|Replace link/ })
    .first()
    .click();
  const link = await page.getByLabel("New buyer link").inputValue();
  expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);

  const buyerContext = await browser.newContext();
  const buyer = await buyerContext.newPage();
  await buyer.goto(link);
  await expect(buyer.getByRole("heading", { name: "Globex Health: Clinical reporting suite" })).toBeVisible();
  await expect(buyer.getByLabel("Your name")).toHaveValue("Marcus Webb");
  await buyer.getByRole("button", { name: "Open the plan" }).click();
  await expect(buyer).toHaveURL(/\/p\/[0-9a-f-]{36}$/); // the token is gone from the address bar
  await expect(buyer.getByText("Signed in on this device as Marcus Webb")).toBeVisible();

  const security = buyer.locator("li", { has: buyer.getByRole("heading", { name: "Security review" }) });
  await security.getByRole("button", { name: "Mark done" }).click();
  await expect(security.getByRole("button", { name: "Reopen" })).toBeVisible();

  // A working day well past the seeded go-live (85 working days out), from the test's clock (the
  // demo is seeded relative to today): a Wednesday clear of the demo organisation's holidays.
  const today = todayIn("UTC", new Date());
  const moved = workingDayInDays(182);
  await buyer.getByLabel("New go-live date").fill(moved);
  await buyer.getByLabel("Why it moves").fill("Our board now meets in June");
  await buyer.getByRole("button", { name: "Preview the change" }).click();
  await buyer.getByRole("button", { name: `Move go-live to ${formatDay(moved, today)}` }).click();
  await expect(buyer.getByText(/Confirmed by Marcus Webb \(buyer\)/)).toBeVisible();
  await buyerContext.close();

  await page.reload();
  await expect(page.getByText(/Confirmed by Marcus Webb \(buyer\) on/)).toBeVisible();
  await expect(
    page.getByText(new RegExp(`Marcus Webb \\(buyer\\) moved go-live from .* to ${formatDay(moved, today)}: Our board now meets in June`)),
  ).toBeVisible();
  await expect(page.getByText(/Marcus Webb \(buyer\) marked “Security review” done/)).toBeVisible();
  const forecastAfter = await page.locator("dt", { hasText: "Forecast close" }).locator("xpath=following-sibling::dd[1]").innerText();
  expect(forecastAfter).not.toBe(forecastBefore);
  await expect(page.getByText(/1 visit · 0 milestones opened/)).toBeVisible();
});
