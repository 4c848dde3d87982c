const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in URLs are checked before they reach SQL: a malformed one is "not found", not a 500. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
