import { expect, test } from "./fixtures";
import { workingDayInDays } from "./working-days";

test("the forecast history says when nothing moved, then reads on a real time axis", async ({ page }, testInfo) => {
  test.slow(); // a plan is created and its go-live moved: several full page loads
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();

  await page.getByRole("link", { name: "New plan" }).click();
  await page.getByLabel("Buyer company").fill("Initech Payroll");
  await page.getByLabel("Plan title").fill("Forecast history check");
  await page.getByLabel("Deal value").fill("42000");
  await page.getByLabel("Buyer's go-live date").fill(workingDayInDays(140));
  await page.getByLabel("Start from").selectOption({ label: "Enterprise purchase (11 milestones)" });
  await page.getByRole("button", { name: "Create plan" }).click();
  await expect(page.getByRole("heading", { name: /Initech Payroll/ })).toBeVisible();

  // A new plan: the date it started with, in words, instead of a one-point chart.
  const history = page.getByRole("region", { name: "Forecast close date history" });
  await expect(history.getByText(/^No changes yet: the forecast close date has been .+ since .+, set by Sam Okafor \(seller\)\.$/)).toBeVisible();
  await expect(history.getByRole("img")).toHaveCount(0);

  await page.getByRole("link", { name: "Change", exact: true }).click();
  await page.getByLabel("New go-live date").fill(workingDayInDays(161));
  await page.getByLabel("Why it moves").fill("Their payroll freeze runs to April");
  await page.getByRole("button", { name: "Preview what moves" }).click();
  await page.getByRole("button", { name: /^Move go-live to / }).click();
  await expect(page.getByRole("heading", { name: /Initech Payroll/ })).toBeVisible();

  const chart = history.getByRole("img", { name: /^Forecast close date history from .+: 1 change, pushed into a later fiscal quarter \d+ times?; now / });
  await expect(chart).toBeVisible();
  await testInfo.attach("date history", { body: await chart.screenshot(), contentType: "image/png" });

  // The time axis: several ticks, each a different date in words (it used to read the same date at both ends).
  const ticks = chart.locator('[data-axis="time"] text');
  const labels = await ticks.allTextContents();
  expect(labels.length).toBeGreaterThanOrEqual(3);
  expect(new Set(labels).size).toBe(labels.length);
  for (const label of labels) expect(label).toMatch(/^(\d{1,2} [A-Z][a-z]{2}( \d{4})?|[A-Z][a-z]{2}( \d{4})?|\d{4})$/);
  const tickDates = await ticks.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-date")));
  expect([...tickDates].sort()).toEqual(tickDates);

  // Every label in the chart reads at 12 px or more as drawn.
  const sizes = await chart.locator("text").evaluateAll((nodes) =>
    nodes.map((n) => {
      const svg = (n as SVGTextElement).ownerSVGElement!;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return Number.parseFloat(getComputedStyle(n).fontSize) * scale;
    }),
  );
  expect(sizes.length).toBeGreaterThan(labels.length);
  for (const size of sizes) expect(size).toBeGreaterThanOrEqual(12);

  // The points, for screen readers: one row per change, with who and why.
  const table = history.getByRole("table", { name: "Every change of the forecast close date, oldest first" });
  await expect(table.getByRole("row")).toHaveCount(3);
  await expect(table.getByRole("row").nth(2)).toContainText("Their payroll freeze runs to April");
  await expect(table.getByRole("row").nth(2)).toContainText("Sam Okafor (seller)");
});
