import { readFile } from "node:fs/promises";
import { expect, signIn, test } from "./fixtures";

/*
 * Issue 22: a buyer on a phone uploads the document a milestone asks for, with the page's plain
 * upload form, and the rep downloads exactly those bytes (ADR 035).
 */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };

test("a buyer on a phone uploads a document to a milestone and the rep downloads it", async ({ page, browser }) => {
  await signIn(page, "rep1@demo.example");
  await page.getByRole("link", { name: "Globex Health" }).click();
  await expect(page.getByRole("heading", { name: "Milestones" })).toBeVisible();

  // The rep asks for the document on the buyer's security review.
  // (Other milestones' rows name it too, "after Security review": its own summary is unique.)
  const review = page.locator("#milestones details", { has: page.getByText("Attach a file or link to Security review", { exact: true }) });
  await review.locator("summary").click();
  await review.getByLabel("Ask for a document").fill("the signed DPA");
  await review.getByRole("button", { name: "Save" }).click();
  const asked = page.locator("#milestones [data-milestone-resources]", { has: page.getByText("Needs: the signed DPA") });
  await expect(asked.getByText("Missing")).toBeVisible();

  // An earlier spec may have made Marcus a link already: then the button replaces it.
  await page
    .locator("#people li", { hasText: "Marcus Webb" })
    .getByRole("button", { name: /Create link|Replace link/ })
    .click();
  const link = await page.getByLabel("New buyer link").inputValue();

  const buyerContext = await browser.newContext({ ...PHONE, baseURL: test.info().project.use.baseURL });
  try {
    const buyer = await buyerContext.newPage();
    await buyer.goto(link);
    await buyer.getByRole("button", { name: "Open the plan" }).click();
    await expect(buyer).toHaveURL(/\/p\/[0-9a-f-]{36}$/);

    const milestone = buyer.locator("[data-milestone-resources]", { has: buyer.getByText("Needs: the signed DPA") });
    await expect(milestone.getByText("Missing")).toBeVisible();
    await milestone.locator("summary", { hasText: "Upload the signed DPA" }).click();
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from(`Signed DPA ${Date.now()}\n`), Buffer.alloc(2048, 7)]);
    const fileName = `DPA signed ${Date.now()}.pdf`;
    await milestone.getByLabel("File", { exact: true }).setInputFiles({ name: fileName, mimeType: "application/pdf", buffer: bytes });
    await milestone.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(buyer.getByRole("status").filter({ hasText: `“${fileName}” is uploaded.` })).toBeVisible();
    const { scrollWidth } = await buyer.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth }));
    expect(scrollWidth, "the buyer's page with a file on it is wider than the phone").toBeLessThanOrEqual(PHONE.viewport.width);

    // The rep sees it attached, and downloads the very bytes.
    await page.reload();
    await expect(asked.getByText("Attached")).toBeVisible();
    const downloading = page.waitForEvent("download");
    await asked.getByRole("link", { name: fileName }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(fileName);
    expect(Buffer.compare(await readFile(await download.path()), bytes)).toBe(0);
    await expect(page.getByText(`Marcus Webb (buyer) uploaded “${fileName}” on “Security review”`)).toBeVisible();
  } finally {
    await buyerContext.close();
  }
});
