/**
 * A unique-constraint violation on one of `constraints`, from either driver: pg and PGlite both
 * set `code`, and a driver that leaves out the constraint's name is taken at its word.
 */
export function isUniqueViolation(error: unknown, constraints: readonly string[]): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === "23505" && (e.constraint === undefined || (typeof e.constraint === "string" && constraints.includes(e.constraint)));
}
