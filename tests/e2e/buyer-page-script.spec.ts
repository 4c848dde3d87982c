import { expect, signIn, test } from "./fixtures";

/*
 * A buyer's page runs none of the app's scripts (ADR 047): the HTML alone, with one small inline
 * script for what a person would miss. Here, with scripts on: nothing of /build is fetched; a post
 * on its way marks the buttons busy and a second submit is held; focus lands on the status after
 * a post; the calendar feed's copy button shows and copies; a closed disclosure's form is drawn
 * only once opened.
 */
test("a buyer's page loads no app script, and its own small script keeps posts single, focus and the copy button", async ({ page, browser }) => {
  await signIn(page, "rep1@demo.example");
  await page.getByRole("link", { name: "Globex Health" }).click();
  await page
    .getByRole("button", { name: /Create link|Replace link/ })
    .first()
    .click();
  const link = await page.getByLabel("New buyer link").inputValue();

  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, permissions: ["clipboard-read", "clipboard-write"] });
  const buyer = await context.newPage();
  const problems: string[] = [];
  buyer.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  buyer.on("console", (message) => (message.type() === "error" ? problems.push(`console error: ${message.text()}`) : undefined));
  const scripts: string[] = [];
  buyer.on("request", (request) => (request.resourceType() === "script" ? scripts.push(request.url()) : undefined));

  await buyer.goto(link);
  await buyer.getByRole("button", { name: "Open the plan" }).click();
  await expect(buyer).toHaveURL(/\/p\/[0-9a-f-]{36}$/);
  await buyer.waitForLoadState("load");
  const planPath = new URL(buyer.url()).pathname;

  // A form in a closed disclosure is out of the layout until the buyer opens it (app/tailwind.css:
  // autofill would otherwise lay each one out after load, the phone's blocking time).
  // Pinned by its place among the page's disclosures: once open it no longer matches :not([open]).
  const first = await buyer.locator("details").evaluateAll((all) => all.findIndex((d) => !(d as HTMLDetailsElement).open && d.querySelector("form")));
  expect(first, "a closed disclosure with a form").toBeGreaterThanOrEqual(0);
  const closed = buyer.locator("details").nth(first);
  const closedForm = closed.locator("form").first();
  expect(await closedForm.evaluate((form) => getComputedStyle(form).display)).toBe("none");
  await closed.locator("summary").click();
  await expect(closedForm).toBeVisible();
  expect(await closedForm.evaluate((form) => getComputedStyle(form).display)).not.toBe("none");

  // A post on its way: the buttons read busy and a second submit is held. The test's own listener
  // on window (after the page's, on document) keeps the page here instead of leaving.
  const legal = buyer.locator("li[id^='m-']", { has: buyer.getByRole("heading", { name: "Legal redlines" }) });
  const box = legal.getByLabel("Comment on Legal redlines");
  const openComments = async () => {
    if (!(await box.isVisible()))
      await legal
        .locator("summary")
        .filter({ hasText: /^(Comment|\d+ comments?)$/ })
        .click();
  };
  await openComments();
  await box.fill("Sent twice by a quick thumb.");
  const onSubmit = buyer.evaluate(
    () =>
      new Promise<{ firstSent: boolean; busy: number; secondHeld: boolean }>((resolve) =>
        window.addEventListener(
          "submit",
          (first) => {
            const firstSent = !first.defaultPrevented;
            first.preventDefault();
            setTimeout(() => {
              const busy = document.querySelectorAll("form button[aria-disabled=true]").length;
              window.addEventListener("submit", (second) => resolve({ firstSent, busy, secondHeld: second.defaultPrevented }), { once: true });
              (first.target as HTMLFormElement).requestSubmit();
            });
          },
          { once: true },
        ),
      ),
  );
  await legal.getByRole("button", { name: "Post" }).click();
  expect(await onSubmit).toEqual({ firstSent: true, busy: expect.any(Number), secondHeld: true });
  expect((await onSubmit).busy, "buttons marked busy").toBeGreaterThan(1);

  // A real post: the page after it puts focus on the status beside the comment.
  await buyer.reload();
  await openComments();
  await box.fill("Sent once.");
  await legal.getByRole("button", { name: "Post" }).click();
  await expect(legal.getByRole("status")).toHaveText("Comment posted.");
  expect(await buyer.evaluate(() => document.activeElement?.textContent ?? "")).toBe("Comment posted.");
  await expect(legal.getByText("Sent once.")).toHaveCount(1);
  await expect(legal.getByText("Sent twice by a quick thumb.")).toHaveCount(0);

  // The calendar page: the copy button is there and copies the address beside it.
  await buyer.goto(`${planPath}/calendar`);
  // Found by its place, not its name: the name changes when it has copied.
  const copy = buyer.getByRole("button", { name: "Copy" }).first();
  await expect(copy).toHaveAttribute("data-copy-from", /./);
  const copyFrom = (await copy.getAttribute("data-copy-from"))!;
  const address = await buyer.locator(`input#${copyFrom}`).inputValue();
  expect(address).toMatch(/\/calendar\/[^/]+\.ics$/);
  await buyer.bringToFront(); // the Clipboard API answers only a focused page
  await copy.click();
  await expect(buyer.locator(`button[data-copy-from="${copyFrom}"]`)).toHaveText("Copied");
  expect(await buyer.evaluate(() => navigator.clipboard.readText())).toBe(address);

  expect(scripts, "the buyer's pages fetch no script").toEqual([]);
  expect(problems, "the buyer's page reported errors").toEqual([]);
  await context.close();
});
