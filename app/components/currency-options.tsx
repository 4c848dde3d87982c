import { CURRENCIES } from "~/domain/plan-validation";

/** The currencies a deal may be in, as a select's options (the API takes the same list). */
export function CurrencyOptions() {
  return (
    <>
      {CURRENCIES.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </>
  );
}
