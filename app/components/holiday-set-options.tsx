/** The holiday sets a select offers, grouped by country (the organisation's and a buyer's calendar). */
export function HolidaySetOptions({ groups }: { groups: Array<{ country: string; sets: Array<{ code: string; label: string }> }> }) {
  return (
    <>
      {groups.map((group) => (
        <optgroup key={group.country} label={group.country}>
          {group.sets.map((set) => (
            <option key={set.code} value={set.code}>
              {set.label}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
