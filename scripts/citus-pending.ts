/*
 * Integration files not yet run on Citus (issue 20 stays open until this list and the browser tests'
 * are empty). `npm test` runs every other integration file on the cluster when TEST_CITUS_URL is set;
 * each entry says what it hit there, so the next step is known.
 */
export const CITUS_PENDING: Record<string, string> = {
  "tests/integration/authz-matrix.test.ts": "850 requests passed the per-test limit of 120 s on a loaded two-core cluster",
  "tests/integration/csrf.test.ts": "passed the per-test limit of 120 s on a loaded two-core cluster",
  "tests/integration/fuzz.test.ts": "its share of hostile requests ran past 15 minutes on one lane (now a tenth, on three: not yet re-run)",
};
