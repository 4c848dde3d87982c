import { describe, expect, it } from "vitest";
import { buyerErrorCode, fieldErrorsInBuyerWords } from "~/domain/buyer-errors";
import { ENGLISH } from "~/domain/i18n/english";
import { de } from "~/domain/i18n/messages/de";
import { createTranslator, type MessageTree } from "~/domain/i18n/translate";
import { goLiveChangeSchema, PlanInputError, stakeholderSchema } from "~/domain/plan-validation";

const fieldErrors = (schema: typeof stakeholderSchema | typeof goLiveChangeSchema, input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected a refusal");
  return parsed.error.flatten().fieldErrors as Record<string, string[]>;
};

describe("a buyer's form refusals by key", () => {
  it("finds a key for what the buyer's schemas say, and every key is a buyer message", () => {
    const said = [
      ...Object.values(fieldErrors(stakeholderSchema, { side: "buyer", name: "", email: "nope", title: "x".repeat(201) })).flat(),
      ...Object.values(fieldErrors(goLiveChangeSchema, { goLive: "2026-02-30", reason: "" })).flat(),
    ];
    expect(said.length).toBeGreaterThanOrEqual(5);
    for (const message of said) {
      const found = buyerErrorCode(message);
      expect(found, message).not.toBeNull();
      expect(ENGLISH.t(`errors.${found!.code}`), message).not.toBe(`errors.${found!.code}`);
    }
  });

  it("words a refusal in German, its date as a German day, and leaves one without a key in English", () => {
    const words = createTranslator("de", de.buyer as MessageTree);
    const error = new PlanInputError(
      { form: ["Tue 1 Dec has already passed; pick a new go-live date instead."], goLive: ["Something new."], name: ["Enter their name."] },
      undefined,
      {
        form: { code: "goLivePassed", values: { date: "2026-12-01" } },
      },
    );
    const worded = fieldErrorsInBuyerWords(error, words, "2026-12-05");
    expect(worded.form?.[0]).toBe(`Der ${words.day("2026-12-01", "2026-12-05")} ist bereits vorbei; bitte wählen Sie stattdessen ein neues Go-live-Datum.`);
    expect(worded.name?.[0]).toBe("Bitte geben Sie den Namen ein.");
    expect(worded.goLive?.[0]).toBe("Something new.");
  });
});
