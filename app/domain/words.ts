/** A count with its noun, in English: "1 plan", "3 plans", "2 working days", "1 person" / "4 people". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}
