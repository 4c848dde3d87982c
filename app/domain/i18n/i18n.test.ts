import { createInstance } from "i18next";
import { describe, expect, it } from "vitest";
import { LOCALES } from "~/domain/i18n/locales";
import { MESSAGES } from "~/domain/i18n/messages";
import { ENGLISH } from "~/domain/i18n/english";
import { createTranslator, translatorFor, type MessageTree, type Values } from "~/domain/i18n/translate";

/** Every leaf key, dotted ("buyer.people.heading"). */
function keys(tree: MessageTree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)));
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * What a language must hold for English's keys: each plain key as is, and each plural key
 * ("x_one", "x_other") in every plural form that language's rules use (French and Spanish have "many").
 */
function expectedKeys(locale: string, english: string[]): string[] {
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  const plain = english.filter((k) => !PLURAL.test(k));
  const plurals = [...new Set(english.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, "")))];
  return [...plain, ...plurals.flatMap((base) => categories.map((c) => `${base}_${c}`))].sort();
}

function placeholders(text: string) {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
}

function leaf(tree: MessageTree, key: string): string {
  return key.split(".").reduce<MessageTree | string>((node, part) => (node as MessageTree)[part], tree) as string;
}

describe("translations", () => {
  const english = keys(MESSAGES.en);

  it("English has each plural key in both of its forms", () => {
    expect(expectedKeys("en", english)).toEqual([...english].sort());
  });

  for (const locale of LOCALES.filter((l) => l !== "en")) {
    it(`${locale} has every English key, in each of its plural forms, and nothing else`, () => {
      const have = keys(MESSAGES[locale]).sort();
      const want = expectedKeys(locale, english);
      expect({ missing: want.filter((k) => !have.includes(k)), extra: have.filter((k) => !want.includes(k)) }).toEqual({ missing: [], extra: [] });
    });

    it(`${locale} uses the same placeholders as English and leaves no value empty`, () => {
      for (const key of keys(MESSAGES[locale])) {
        const source = leaf(MESSAGES.en, key.replace(/_many$/, "_other"));
        const text = leaf(MESSAGES[locale], key);
        expect(text.trim(), key).not.toBe("");
        expect(placeholders(text), key).toEqual(placeholders(source));
      }
    });
  }

  it("every buyer key that a page asks for is found (a missing one would show its key)", () => {
    const { t } = createTranslator("de", MESSAGES.de.buyer as MessageTree);
    expect(t("people.heading")).toBe("Beteiligte");
    expect(t("no.such.key")).toBe("no.such.key");
  });

  it("a language's translator is made once, and a sentence read without values first still takes them later", () => {
    const german = translatorFor("de", MESSAGES.de.buyer as MessageTree);
    expect(translatorFor("de", MESSAGES.de.buyer as MessageTree)).toBe(german);
    expect(translatorFor("fr", MESSAGES.fr.buyer as MessageTree)).not.toBe(german);
    expect([german.t("people.heading"), german.t("people.heading")]).toEqual(["Beteiligte", "Beteiligte"]);
    const english = translatorFor("en", MESSAGES.en.buyer as MessageTree);
    english.t("planDates.progressNote");
    expect(english.t("planDates.progressNote", { done: 1, count: 3 })).toBe("1 of 3 milestones done");
    expect(english.t("planDates.progressNote", { done: 0, count: 1 })).toBe("0 of 1 milestones done");
  });
});

describe("formatting in the reader's language", () => {
  const today = "2026-12-05";
  const nextYear = `${Number(today.slice(0, 4)) + 1}-03-03`;
  it("dates in words, with the year only when it is not this year's", () => {
    const de = createTranslator("de", {});
    expect(de.day("2026-12-08", today)).toBe("Di., 8. Dez.");
    expect(de.day(nextYear, today)).toMatch(/^Mi\., 3\. März 2027$/);
    expect(createTranslator("fr", {}).day("2026-12-08", today)).toBe("mar. 8 déc.");
    // English keeps the app's own wording, the same as the rep's pages.
    expect(createTranslator("en", {}).day("2026-12-08", today)).toBe("Tue 8 Dec");
  });

  it("numbers, money, lists and relative times", () => {
    const de = createTranslator("de", {});
    expect(de.number(1234.5)).toBe("1.234,5");
    expect(de.money(1234.5, "EUR")).toBe("1.234,50\u00a0€");
    expect(createTranslator("fr", {}).money(1234.5, "EUR")).toBe("1\u202f234,50\u00a0€");
    expect(de.list(["A", "B", "C"])).toBe("A, B und C");
    const now = new Date(Date.UTC(2026, 11, 5, 12));
    expect(de.relative(new Date(now.getTime() - 3 * 3_600_000), now)).toBe("vor 3 Stunden");
    expect(createTranslator("es", {}).relative(new Date(now.getTime() - 86_400_000), now)).toBe("ayer");
  });

  it("a file's size with the reader's decimal mark and unit", () => {
    const fr = createTranslator("fr", MESSAGES.fr.buyer as MessageTree);
    expect(fr.t("resources.sizeMB", { size: fr.number(2.5) })).toBe("2,5 Mo");
    expect(ENGLISH.t("resources.sizeMB", { size: ENGLISH.number(2.5) })).toBe("2.5 MB");
    expect(ENGLISH.t("resources.sizeBytes", { count: 1 })).toBe("1 byte");
  });

  it("a chart axis' months and weeks, English keeping the app's own words", () => {
    expect(createTranslator("de", {}).monthYear("2026-12-01")).toBe("Dez. 2026");
    expect(createTranslator("de", {}).dayMonth("2026-12-28")).toBe("28. Dez.");
    expect(createTranslator("es", {}).dayMonth("2026-12-28")).toBe("28 dic");
    expect(ENGLISH.monthYear("2026-12-01")).toBe("Dec 2026");
    expect(ENGLISH.dayMonth("2026-12-28")).toBe("28 Dec");
  });

  it("plural forms by the language's rules", () => {
    const fr = createTranslator("fr", MESSAGES.fr.buyer as MessageTree);
    expect(fr.t("status.slack", { count: 1 })).toBe("1 jour ouvré de marge");
    expect(fr.t("status.slack", { count: 3 })).toBe("3 jours ouvrés de marge");
    expect(createTranslator("de", MESSAGES.de.buyer as MessageTree).t("status.late", { count: 2 })).toBe("2 Arbeitstage im Verzug");
  });
});

/** i18next, as ADR 046 first used it: the reference our translator is held to. */
function i18nextTranslator(locale: string, messages: MessageTree) {
  const i18n = createInstance();
  void i18n.init({
    lng: locale,
    fallbackLng: false,
    resources: { [locale]: { translation: messages } },
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return (key: string, values?: Record<string, unknown>) => i18n.t(key, values === undefined ? undefined : { ...values });
}

describe("our translator says what i18next says (ADR 051)", () => {
  // Values a page could pass: names with characters i18next might read as syntax, numbers, empty text.
  const values = { name: "Priya {{who}}", who: "$t(people.heading)", seller: "A & B <Co>", date: "Tue 8 Dec", title: "", done: 3, by: "Jo" };

  it("our messages use nothing but {{word}} placeholders, the one thing the translator fills", () => {
    for (const locale of LOCALES) {
      for (const key of keys(MESSAGES[locale])) {
        const text = leaf(MESSAGES[locale], key);
        expect(text.replace(/\{\{\w+\}\}/g, ""), `${locale} ${key}`).not.toMatch(/\{\{|\}\}|\$t\(/);
      }
    }
  });

  for (const locale of LOCALES) {
    it(`${locale}: every message, in every plural form, with values, without them and with some missing`, () => {
      for (const part of ["buyer", "email"] as const) {
        const tree = MESSAGES[locale][part] as MessageTree;
        const ours = createTranslator(locale, tree);
        const theirs = i18nextTranslator(locale, tree);
        const bases = [...new Set(keys(tree).map((k) => k.replace(PLURAL, "")))];
        expect(bases.length).toBeGreaterThan(20);
        for (const key of bases) {
          // A value given as undefined: the type forbids it, a component's prop can still be one.
          const asked: (Values | undefined)[] = [undefined, {}, values, { title: undefined as unknown as string }];
          for (const count of [0, 1, 2, 3, 5, 11, 21, 100, 1_000_000, 1.5]) asked.push({ ...values, count });
          for (const given of asked) expect(ours.t(key, given), `${locale} ${part}.${key} ${JSON.stringify(given)}`).toBe(theirs(key, given));
        }
        expect(ours.t("no.such.key", values)).toBe(theirs("no.such.key", values));
      }
    });
  }
});

describe("English outside a buyer's page (the rep's pages draw the same components)", () => {
  it("is the buyer's English, the one translator of English buyer messages", () => {
    expect(ENGLISH).toBe(translatorFor("en", MESSAGES.en.buyer as MessageTree));
    expect(ENGLISH.t("planDates.progressNote", { done: 1, count: 3 })).toBe("1 of 3 milestones done");
    expect(ENGLISH.t("no.such.key")).toBe("no.such.key");
    expect(ENGLISH.day("2026-12-08", "2026-12-05")).toBe("Tue 8 Dec");
  });
});
