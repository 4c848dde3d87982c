import { sql } from "kysely";
import type { Conn } from "~/models/conn";

/** How long the database takes to answer a trivial query, in ms (one decimal); throws when it does not answer. */
export async function databaseLatencyMs(db: Conn): Promise<number> {
  const started = performance.now();
  await sql`select 1`.execute(db);
  return Math.round((performance.now() - started) * 10) / 10;
}
