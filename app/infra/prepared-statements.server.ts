import { createHash } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";

/*
 * Named prepared statements for the hot, fixed-shape reads (docs/decisions/007).
 *
 * PostgreSQL plans an unnamed statement every time it runs. The buyer page's one statement takes
 * longer to plan than to execute (figures in docs/benchmarks.md, fix 11), so most of its database
 * time went to planning the same query again. A statement that opts in (a `/* prepared *\/` comment, from `PREPARED` below) is
 * sent as a named statement instead: parsed once per connection, and after five runs PostgreSQL
 * keeps a generic plan and stops planning it.
 *
 * Opt-in, not every statement: each name stays prepared on its connection until the connection
 * closes, so only statements whose text has a bounded number of shapes may opt in (no IN lists
 * of variable length, no multi-row inserts). PGlite and any other driver see an ordinary comment.
 */

export const PREPARED_MARKER = "/* prepared */";

/** Put first in a raw `sql` statement, or in a builder's `.modifyFront(PREPARED)` (after `select`). */
export const PREPARED = sql.raw(`${PREPARED_MARKER} `);

/** The marker must come early: a comment deep inside a statement is not an opt-in. */
const MARKER_WITHIN = 48;

/** Looks at the statement's head only: every query passes here, some of them megabytes long (bulk inserts). */
export function isPreparedStatement(text: string): boolean {
  return text.slice(0, MARKER_WITHIN + PREPARED_MARKER.length).includes(PREPARED_MARKER);
}

const names = new Map<string, string>();

/**
 * A name that changes with the text, so a new release's statement never meets an old one's plan.
 * Remembered per text: opted-in statements are few, and hashing a page's statement on every run
 * would cost more than the lookup.
 */
function nameFor(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `pt_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** SQLSTATE 0A000 with this message: a table under a prepared statement changed its columns. */
function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "0A000" && typeof message === "string" && message.includes("cached plan must not change result type");
}

/**
 * The pool's client: opted-in statements go out named. After a migration changes the columns a
 * prepared statement returns (`select p.*` and a new column on plans), PostgreSQL refuses the old
 * statement on that connection for good; the statement is then prepared again under a fresh name
 * and, outside a transaction, run again once (only read statements opt in, and the failed run
 * returned nothing). Inside a transaction the error stands (the transaction is already aborted),
 * and the next run prepares afresh.
 */
export class PreparingClient extends pg.Client {
  /** text → the name it is prepared under on this connection, when it had to be renamed. */
  private readonly renamed = new Map<string, string>();

  // pg's query() has many overloads; Kysely calls query(text, values) and wants a promise back.
  override query(config: unknown, values?: unknown, callback?: unknown): never {
    if (typeof config !== "string" || callback !== undefined || typeof values === "function" || !isPreparedStatement(config)) {
      return (super.query as (...args: unknown[]) => never)(config, values, callback);
    }
    return this.runPrepared(config, values as unknown[] | undefined) as never;
  }

  private async runPrepared(text: string, values: unknown[] | undefined): Promise<pg.QueryResult> {
    const run = () => super.query({ name: this.renamed.get(text) ?? nameFor(text), text, values });
    try {
      return await run();
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      this.renamed.set(text, `${nameFor(text)}_${this.renamed.size + 1}`);
      try {
        return await run();
      } catch (retryError) {
        // In a transaction the retry only meets "current transaction is aborted": report the cause.
        throw (retryError as { code?: unknown }).code === "25P02" ? error : retryError;
      }
    }
  }
}
