/*
 * `npm run audit:verify`: walks every plan's edit log and names each altered, deleted or
 * re-chained event. Exits 1 when anything is wrong, so it can run from cron or CI.
 */
import { databaseOptionsFromEnv, openDatabase } from "~/infra/db.server";
import { verifyEventChains } from "~/models/plan-event.server";

const database = await openDatabase(databaseOptionsFromEnv());
try {
  const { plans, events, problems } = await verifyEventChains(database.db);
  for (const p of problems) console.log(`BROKEN  ${p.message}`);
  console.log(`${plans} plans, ${events} events checked: ${problems.length ? `${problems.length} problem(s)` : "every chain intact"}.`);
  process.exitCode = problems.length ? 1 : 0;
} finally {
  await database.close();
}
