import { expect, signIn, test } from "./fixtures";

/*
 * Issue 22, item 2: the rep maps the buying side on the plan page (roles, reports-to, the private
 * read) with plain form posts, sees the org chart drawn on the server, gets a refused loop back
 * with what was typed, and the same form works with JavaScript on.
 * Plan used: Wayne Financial (rep2's); no other browser test relies on it.
 */
test("without JavaScript, a rep maps the buyer's side and sees the org chart", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "rep2@demo.example");
  // The plan is paused: the list shows active plans unless asked.
  await page.goto("/plans?status=paused");
  await page.getByRole("link", { name: "Wayne Financial" }).click();

  const map = page.locator("#stakeholder-map");
  await expect(map.getByRole("img", { name: "Org chart of the buyer's side" })).toBeVisible();
  await expect(map.getByTestId("map-person")).toHaveCount(1);

  const people = page.locator("#people");
  await people.getByText("Add a person").click();
  await people.getByLabel("Name").fill("Selina Kyle");
  await people.getByLabel("Email").fill("selina@wayne-financial.example");
  await people.getByLabel("Job title").fill("CFO");
  await people.getByRole("button", { name: "Add person" }).click();
  await expect(map.getByTestId("map-person")).toHaveCount(2);

  const selina = map.locator('li[data-name="Selina Kyle"]');
  await selina.getByText("Edit Selina Kyle's place on the map").click();
  await selina.getByLabel("Role in the decision").selectOption({ label: "Economic buyer" });
  await selina.getByRole("button", { name: "Save Selina Kyle" }).click();
  await expect(map.getByRole("status")).toHaveText("Selina Kyle's place on the map is saved.");

  const lucius = map.locator('li[data-name="Lucius Fox"]');
  await lucius.getByText("Edit Lucius Fox's place on the map").click();
  await lucius.getByLabel("Role in the decision").selectOption({ label: "Champion" });
  await lucius.getByLabel("Reports to").selectOption({ label: "Selina Kyle" });
  await lucius.getByLabel("Sentiment (private)").selectOption({ label: "Supporter" });
  await lucius.getByLabel("Private note").fill("Wants the board pack before the pilot");
  await lucius.getByRole("button", { name: "Save Lucius Fox" }).click();
  await expect(map.getByRole("status")).toHaveText("Lucius Fox's place on the map is saved.");
  await expect(lucius.getByText("Reports to Selina Kyle")).toBeVisible();
  await expect(lucius.locator("p", { hasText: "Wants the board pack before the pilot" })).toBeVisible();
  // The chart: both boxes, one line from the manager down to the report.
  const chart = map.getByRole("img", { name: "Org chart of the buyer's side" });
  await expect(chart.locator("g[data-person]")).toHaveCount(2);
  await expect(chart.locator("polyline")).toHaveCount(1);

  // A loop is refused, and what was typed comes back.
  const selinaAgain = map.locator('li[data-name="Selina Kyle"]');
  await selinaAgain.getByText("Edit Selina Kyle's place on the map").click();
  await selinaAgain.getByLabel("Reports to").selectOption({ label: "Lucius Fox" });
  await selinaAgain.getByLabel("Private note").fill("Signs anything under 150k");
  await selinaAgain.getByRole("button", { name: "Save Selina Kyle" }).click();
  await expect(selinaAgain.getByText(/That would make a loop/).first()).toBeVisible();
  await expect(selinaAgain.getByLabel("Private note")).toHaveValue("Signs anything under 150k");
  await expect(selinaAgain.getByLabel("Reports to")).toHaveValue(/[0-9a-f-]{36}/);
  await context.close();
});

test("with JavaScript, the map's form saves and the chart follows", async ({ page }) => {
  await signIn(page, "rep2@demo.example");
  await page.goto("/plans?status=paused");
  await page.getByRole("link", { name: "Wayne Financial" }).click();
  const map = page.locator("#stakeholder-map");
  const lucius = map.locator('li[data-name="Lucius Fox"]');
  await lucius.getByText("Edit Lucius Fox's place on the map").click();
  await lucius.getByLabel("Influence (private)").selectOption({ label: "High" });
  await lucius.getByRole("button", { name: "Save Lucius Fox" }).click();
  await expect(map.getByRole("status")).toHaveText("Lucius Fox's place on the map is saved.");
  await expect(lucius.getByText("High influence")).toBeVisible();
  await expect(map.getByRole("img", { name: "Org chart of the buyer's side" }).locator("text", { hasText: "Champion" })).toHaveCount(1);
});
