import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { workingDayInDays } from "./working-days";

/*
 * The portal on a phone (390 px wide, an iPhone 13's viewport, in Chromium): no page scrolls
 * sideways, the header stays one row with a menu that opens, and the buyer's timeline reaches
 * go-live however far away it is.
 */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
test.use(PHONE);

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);
}

async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  // On a phone a too-wide page does not scroll: the browser widens the layout viewport and zooms
  // the page out, so innerWidth grows with it. Compare both with the screen's own width.
  expect(innerWidth, `${what} is zoomed out to fit something wider than the screen`).toBeLessThanOrEqual(PHONE.viewport.width);
  expect(scrollWidth, `${what} is wider than the screen`).toBeLessThanOrEqual(PHONE.viewport.width);
}

async function expectHeaderOnOneRow(page: Page) {
  const logo = await page.getByRole("banner").getByRole("link", { name: "Plan Together" }).boundingBox();
  const menu = await page.getByRole("banner").getByText("Menu", { exact: true }).boundingBox();
  const header = await page.getByRole("banner").boundingBox();
  expect(logo && menu && header).toBeTruthy();
  // One row: the menu button sits beside the logo, and the header is one button tall.
  expect(Math.abs(logo!.y + logo!.height / 2 - (menu!.y + menu!.height / 2))).toBeLessThan(4);
  expect(header!.height).toBeLessThan(70);
}

async function moveGoLive(page: Page, to: string, why: string) {
  await page.getByLabel("New go-live date").fill(to);
  await page.getByLabel("Why it moves").fill(why);
  await page.getByRole("button", { name: "Preview what moves" }).click();
  await page.getByRole("button", { name: /^Move go-live to / }).click();
  await expect(page.getByText(new RegExp(`moved go-live from .*: ${why}`))).toBeVisible();
}

async function buyerPage(browser: Browser, page: Page) {
  // An earlier spec may have made Marcus a link already: then the button replaces it.
  await page
    .locator("#people li", { hasText: "Marcus Webb" })
    .getByRole("button", { name: /Create link|Replace link/ })
    .click();
  await page.waitForURL(/\/plans\/[0-9a-f-]{36}/);
  const link = await page.getByLabel("New buyer link").inputValue();
  const buyerContext = await browser.newContext({ ...PHONE, baseURL: test.info().project.use.baseURL });
  const buyer = await buyerContext.newPage();
  await buyer.goto(link);
  await buyer.getByRole("button", { name: "Open the plan" }).click();
  await expect(buyer).toHaveURL(/\/p\/[0-9a-f-]{36}$/);
  return { buyer, close: () => buyerContext.close() };
}

test("the rep's pages fit a phone, with a one-row header whose menu opens", async ({ page }) => {
  await signIn(page, "rep1@demo.example");
  await expectHeaderOnOneRow(page);
  await expectNoSidewaysScroll(page, "the plans list");

  await page.getByRole("link", { name: "Globex Health" }).click();
  await expect(page.getByRole("heading", { name: "Milestones" })).toBeVisible();
  await expectHeaderOnOneRow(page);
  await expectNoSidewaysScroll(page, "the plan workspace");
  // No milestone row is clipped at the right edge.
  const rows = page.locator("#milestones li[id^='m-']");
  for (const box of await rows.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().right))) expect(box).toBeLessThanOrEqual(390);

  // A plan whose close date has moved carries the date history, whose table for screen readers
  // once widened the whole page. Move Acme's go-live out and back: two moves, the plan as it was.
  await page.goto("/plans");
  await page.getByRole("link", { name: "Acme Logistics" }).click();
  await page.getByRole("link", { name: "Change", exact: true }).click();
  const original = await page.getByLabel("New go-live date").inputValue();
  await moveGoLive(page, workingDayInDays(150), "Phone check: out");
  await page.getByRole("link", { name: "Change", exact: true }).click();
  await moveGoLive(page, original, "Phone check: back");
  await expect(page.getByText("Every change of the forecast close date, oldest first")).toBeAttached();
  await expectNoSidewaysScroll(page, "a plan with a date history");

  // The menu opens (a <details>: it would without JavaScript too) and takes the rep to the forecast.
  await page.getByRole("banner").getByText("Menu", { exact: true }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Forecast" }).click();
  await expect(page).toHaveURL(/\/forecast$/);
  await expect(page.getByRole("heading", { level: 1, name: "Forecast" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden(); // closed again after navigating
  await expectNoSidewaysScroll(page, "the forecast");
});

test("the manager's forecast fits a phone", async ({ page }) => {
  await signIn(page, "manager@demo.example");
  await expectNoSidewaysScroll(page, "the team's plans list");
  await page.goto("/forecast");
  await expect(page.getByRole("heading", { level: 1, name: "Forecast" })).toBeVisible();
  await expectNoSidewaysScroll(page, "the forecast");
});

test("the buyer's page fits a phone and its timeline reaches go-live", async ({ page, browser }) => {
  await signIn(page, "rep1@demo.example");
  await page.getByRole("link", { name: "Globex Health" }).click();
  const { buyer, close } = await buyerPage(browser, page);
  await expect(buyer.getByRole("heading", { name: "Your next steps" })).toBeVisible();
  await expectNoSidewaysScroll(buyer, "the buyer's page");
  // The whole plan through go-live, months away, is on the page: no sideways scrolling to find it.
  const goLive = buyer.locator("[data-marker='goLive']");
  await expect(goLive).toBeVisible();
  await goLive.scrollIntoViewIfNeeded();
  const box = await goLive.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await expect(goLive).toContainText("Go-live");
  await expect(buyer.getByRole("region", { name: "Plan timeline" })).toBeHidden();
  await close();
});
