import { expect, test } from "./fixtures";
import { workingDayInDays } from "./working-days";

test("a rep builds a plan from a template, edits a milestone, moves go-live and reads the feed", async ({ page }, testInfo) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep1@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();

  await page.getByRole("link", { name: "New plan" }).click();
  await page.getByLabel("Buyer company").fill("Oceanic Airlines");
  await page.getByLabel("Plan title").fill("Crew scheduling analytics");
  await page.getByLabel("Deal value").fill("95000");
  await page.getByLabel("Buyer's go-live date").fill(workingDayInDays(150));
  await page.getByLabel("Start from").selectOption({ label: "Enterprise purchase (11 milestones)" });
  await page.getByRole("button", { name: "Create plan" }).click();

  await expect(page.getByRole("heading", { name: /Oceanic Airlines/ })).toBeVisible();
  const timeline = page.getByRole("img", { name: /Timeline of 11 milestones/ });
  await expect(timeline).toBeVisible();
  await testInfo.attach("timeline", { body: await timeline.screenshot(), contentType: "image/png" });

  await page.getByRole("link", { name: "Security review", exact: true }).click();
  await page.getByLabel("Duration (working days)").fill("5");
  await page.getByRole("button", { name: "Save milestone" }).click();
  await expect(page.getByText("Sam Okafor (seller) changed “Security review”: duration from 10 to 5")).toBeVisible();

  await page.getByRole("link", { name: "Change", exact: true }).click();
  await page.getByLabel("New go-live date").fill(workingDayInDays(170));
  await page.getByLabel("Why it moves").fill("Their data team joins in March");
  await page.getByRole("button", { name: "Preview what moves" }).click();
  await expect(page.getByText(/\d+ open milestones? move/)).toBeVisible();
  await page.getByRole("button", { name: /^Move go-live to / }).click();

  await expect(page.getByText(/Proposed by Sam Okafor \(seller\) on .*not yet confirmed by the buyer/)).toBeVisible();
  await expect(page.getByText(/Sam Okafor \(seller\) moved go-live from .* to .*: Their data team joins in March/)).toBeVisible();
  await page.getByRole("link", { name: "Buyer", exact: true }).click();
  await expect(page.getByText("No buyer activity yet.")).toBeVisible();
});

test("a stale edit keeps what the rep typed and shows the other change", async ({ page, browser }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep2@demo.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Cyberdyne Systems" }).click();
  await page.getByRole("link", { name: "Legal redlines", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Edit “Legal redlines”" })).toBeVisible();
  const editUrl = page.url();

  // The manager saves a change to the same milestone first, in another browser.
  const other = await browser.newContext();
  const managerPage = await other.newPage();
  await managerPage.goto("/login");
  await managerPage.getByLabel("Email").fill("manager@demo.example");
  await managerPage.getByLabel("Password").fill("demo-password");
  await managerPage.getByRole("button", { name: "Sign in" }).click();
  await expect(managerPage).toHaveURL(/\/plans$/);
  await managerPage.goto(editUrl);
  await managerPage.getByLabel("Duration (working days)").fill("6");
  await managerPage.getByRole("button", { name: "Save milestone" }).click();
  await expect(managerPage).toHaveURL(/#milestones$/);
  await other.close();

  await page.getByLabel("Title").fill("Legal redlines (MSA + DPA)");
  await page.getByRole("button", { name: "Save milestone" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Maya Chen saved a change while you were editing");
  await expect(page.getByText("duration from 8 to 6").first()).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue("Legal redlines (MSA + DPA)");
});
