import { expect, signIn, test } from "./fixtures";
import { APP_SCRIPT } from "./hold-scripts";

test("the demo manager follows a forecast number to the plans behind it", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("manager@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/plans$/);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Forecast" }).click();
  await expect(page).toHaveURL(/\/forecast$/);
  await expect(page.getByRole("heading", { level: 1, name: "Forecast" })).toBeVisible();
  await expect(page.getByText("Maya Chen's team").first()).toBeVisible();
  await expect(page.getByRole("img", { name: /Value of active plans by month of forecast close/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", "/forecast.csv");

  // The headline count opens every active plan of the team, inside the app: the numbers are links
  // that navigate without reloading the page (a mark left on the window survives).
  const headline = page.getByRole("link", { name: /^Active pipeline: \d+ plans?$/ });
  // A modified click is the browser's: Ctrl+click opens the plans in a new tab and leaves this one.
  const [tab] = await Promise.all([page.context().waitForEvent("page"), headline.click({ modifiers: ["Control"] })]);
  await expect(tab).toHaveURL(/\/forecast\/plans\?period=all&currency=USD$/);
  await tab.close();
  await expect(page).toHaveURL(/\/forecast$/);
  await page.evaluate(() => Object.assign(window, { stayedInApp: true }));
  await headline.click();
  await expect(page).toHaveURL(/\/forecast\/plans\?period=all&currency=USD$/);
  await expect(page.getByRole("heading", { level: 1, name: /All active plans/ })).toBeVisible();
  expect(await page.evaluate(() => (window as { stayedInApp?: boolean }).stayedInApp)).toBe(true);
  const plans = page.getByRole("table", { name: "Plans behind this number" });
  await expect(plans.getByRole("link", { name: "Acme Logistics" })).toBeVisible();
  await expect(plans.getByRole("link", { name: "Hooli" })).toBeVisible(); // the other rep's deal: the manager sees the team
  await expect(plans.getByRole("link", { name: "Umbrella Retail" })).toHaveCount(0); // won: not in the forecast

  // A month's number lists exactly as many plans as it says.
  await page.getByRole("link", { name: "Back to the forecast" }).first().click();
  await expect(page).toHaveURL(/\/forecast$/);
  const month = page.getByRole("table", { name: "Plans by month of forecast close" }).getByRole("link").first();
  const label = (await month.getAttribute("aria-label")) ?? "";
  const count = Number(/: (\d+) · /.exec(label)?.[1]);
  expect(count).toBeGreaterThan(0);
  await month.click();
  await expect(page).toHaveURL(/\/forecast\/plans\?period=\d{4}-\d{2}&currency=USD$/);
  await expect(plans.getByRole("row")).toHaveCount(count + 1); // with the header row

  // And a plan there opens its page.
  const first = plans.getByRole("link").first();
  const company = (await first.textContent()) ?? "";
  await first.click();
  await expect(page).toHaveURL(/\/plans\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(company.trim()) })).toBeVisible();
  expect(await page.evaluate(() => (window as { stayedInApp?: boolean }).stayedInApp)).toBe(true);
});

test("opened cold, the forecast loads none of the app's scripts, and its links and filters still work (ADR 050)", async ({ page }) => {
  await signIn(page, "manager@demo.example");
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (APP_SCRIPT.test(request.url())) scripts.push(request.url());
  });

  await page.goto("/forecast");
  await expect(page.getByRole("heading", { level: 1, name: "Forecast" })).toBeVisible();
  await page.waitForLoadState("load");
  expect(scripts, "scripts the forecast loaded").toEqual([]);

  // The quarters move by a plain link; the filters are a plain GET form.
  await page.getByRole("link", { name: "Show the quarter after" }).click();
  await expect(page).toHaveURL(/\/forecast\?from=/);
  const quarters = page.getByLabel("Quarters", { exact: true });
  const earliest = (await quarters.locator("option").first().getAttribute("value")) ?? "";
  await quarters.selectOption(earliest);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  // The form sends every field: an empty rep is everyone, as without it.
  await expect(page).toHaveURL(new RegExp(`/forecast\\?(rep=&)?from=${earliest}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Forecast" })).toBeVisible();

  // A number opens its plans, a plan its workspace: the workspace runs the app again.
  await page.goto("/forecast");
  await page.getByRole("link", { name: /^Active pipeline: \d+ plans?$/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /All active plans/ })).toBeVisible();
  expect(scripts, "scripts the forecast's plans loaded").toEqual([]);
  await page.getByRole("table", { name: "Plans behind this number" }).getByRole("link", { name: "Acme Logistics" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Acme Logistics/ })).toBeVisible();
  await expect.poll(() => scripts.length, { message: "the plan workspace loads the app's scripts" }).toBeGreaterThan(0);
});
