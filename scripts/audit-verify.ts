/*
 * `npm run audit:verify`: walks every plan's edit log and names each altered, deleted or
 * re-chained event. Exits 1 when anything is wrong, so it can run from cron or CI.
 */
import { databaseOptionsFromEnv, openDatabase } from "~/infra/db.server";
import { reportEventChains } from "~/models/plan-event.server";

const database = await openDatabase(databaseOptionsFromEnv());
try {
  process.exitCode = (await reportEventChains(database.db)) ? 0 : 1;
} finally {
  await database.close();
}
