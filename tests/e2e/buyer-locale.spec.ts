import { makeCalendar } from "~/domain/calendar";
import { todayIn } from "~/domain/dates";
import { createTranslator } from "~/domain/i18n/translate";
import { publicHolidays } from "~/infra/holiday-sets.server";
import { DEMO_HOLIDAY_SET } from "../../db/demo-seed";
import { expect as baseExpect, signIn, test } from "./fixtures";

const expect = baseExpect.configure({ timeout: 20_000 });

/*
 * Issue 24, item 3 (ADR 046): a buyer whose browser asks for German gets the plan's page in German,
 * dates in German words with the ISO date in the tooltip, and can switch language on the page.
 *
 * Plan used: Hooli (rep2's), its champion Gavin Ortiz; no other browser test opens its buyer page.
 */
test.describe("the buyer's page in the buyer's language", () => {
  // The browser's language: Accept-Language and navigator.language both say German.
  test.use({ locale: "de-DE", extraHTTPHeaders: { "Accept-Language": "de-DE,de;q=0.9,en;q=0.5" } });

  test("opens in German from Accept-Language, with German dates, and switches language from the page", async ({ page, browser }) => {
    test.setTimeout(120_000);
    const repContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
    const rep = await repContext.newPage();
    await signIn(rep, "rep2@demo.example");
    await rep.getByRole("link", { name: "Hooli" }).click();
    await rep
      .locator("#people li", { hasText: "Gavin Ortiz" })
      .getByRole("button", { name: /Create link|Replace link/ })
      .click();
    const link = await rep.getByLabel("New buyer link").inputValue();
    // The rep's page stays in the organisation's language.
    await expect(rep.locator("html")).toHaveAttribute("lang", "en");
    await repContext.close();

    // The identity step is already in German: its words, and a refusal of an empty name.
    await page.goto(link);
    await expect(page.getByText("Northwind Analytics hat einen Plan mit Ihnen geteilt")).toBeVisible();
    await expect(page).toHaveTitle("Gemeinsamer Plan · Plan Together");
    const name = page.getByLabel("Ihr Name");
    await name.fill("");
    await page.getByRole("button", { name: "Plan öffnen" }).click();
    await expect(page.getByText("Bitte geben Sie Ihren Namen ein.")).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "Bitte prüfen Sie die markierten Felder." })).toBeVisible();
    await name.fill("Gavin Ortiz");
    await page.getByRole("button", { name: "Plan öffnen" }).click();
    await expect(page).toHaveURL(/\/p\/[0-9a-f-]{36}$/);
    await expect(page.getByText("Ihr gemeinsamer Plan mit")).toBeVisible();
    await expect(page.getByText("Auf diesem Gerät angemeldet als Gavin Ortiz")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Alle Schritte bis zum Go-live" })).toBeVisible();
    await expect(page.locator("[lang=de]").first()).toBeVisible();

    // A due date in German words ("Di., 8. Dez."), the ISO date in its tooltip.
    const steps = page.locator("section", { has: page.getByRole("heading", { name: "Alle Schritte bis zum Go-live" }) });
    const due = steps.locator("time").first();
    const iso = await due.getAttribute("datetime");
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect(due).toHaveAttribute("title", iso!);
    await expect(due).toHaveText(/^(Mo|Di|Mi|Do|Fr|Sa|So)\., \d{1,2}\. (Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)\.?( \d{4})?$/);
    await expect(steps.getByText(/fällig am/).first()).toBeVisible();

    // The recent changes are sentences in German too; the rep's page words them "(seller) …".
    const recent = page.getByRole("region", { name: "Letzte Änderungen" });
    await expect(recent.getByText(/^.+ \((Käufer|Verkäufer)seite\) hat /).first()).toBeVisible();
    await expect(recent).not.toContainText("(seller)");

    // The go-live panel, its preview and the move, in German; dates from the test's clock, in the
    // demo organisation's working days (its country's holidays).
    const today = todayIn("UTC", new Date());
    const year = Number(today.slice(0, 4));
    const later = makeCalendar({ holidays: publicHolidays(DEMO_HOLIDAY_SET, year - 1, year + 2).map((h) => h.date) }).afterDate(today, 140);
    const laterInGerman = createTranslator("de", {}).day(later, today);
    await expect(page.getByRole("heading", { name: "Ihr Go-live-Datum" })).toBeVisible();
    await page.getByLabel("Neues Go-live-Datum").fill(later);
    await page.getByLabel("Grund für die Verschiebung").fill("Die Freigabe des Vorstands verschiebt sich");
    await page.getByRole("button", { name: "Änderung in der Vorschau ansehen" }).click();
    await expect(page.getByRole("heading", { name: `Wenn der Go-live am ${laterInGerman} ist` })).toBeVisible();
    await expect(page.getByText(/offene? Meilensteine? verschieb(t|en) sich/)).toBeVisible();
    await page.getByRole("button", { name: `Go-live auf ${laterInGerman} verschieben` }).click();
    await expect(page.getByRole("status").filter({ hasText: `Der Go-live ist jetzt am ${laterInGerman}.` })).toBeVisible();
    await expect(page.getByText(/Bestätigt von Gavin Ortiz \(Käufer\) am /)).toBeVisible();

    // A comment, in German words: the form, the count and the author's side.
    const firstStep = steps.locator("li").first();
    await firstStep.getByText("Kommentieren").click();
    await firstStep.getByPlaceholder("Kommentar hinzufügen").fill("Passt das neue Datum für Sie?");
    await firstStep.getByRole("button", { name: "Senden" }).click();
    await expect(firstStep.getByText("1 Kommentar", { exact: true })).toBeVisible();
    await expect(firstStep.getByText(/^Gavin Ortiz \(Käufer\) · /)).toBeVisible();

    // The switcher, by keyboard: choose English, submit; the page and the kept language change.
    const language = page.getByRole("combobox", { name: /^Sprache/ });
    await language.focus();
    await expect(language).toBeFocused();
    await language.selectOption("en");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Sprache ändern" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByText("This page and your emails about the plan are now in English.")).toBeVisible();
    await expect(page.getByText("Your shared plan with")).toBeVisible();
    // Kept for this person: the German browser now gets English on a reload.
    await page.reload();
    await expect(page.getByRole("heading", { name: "All steps to go-live" })).toBeVisible();
    await expect(
      page
        .getByRole("region", { name: "Recent changes" })
        .getByText(/ \((buyer|seller)\) /)
        .first(),
    ).toBeVisible();
  });
});
