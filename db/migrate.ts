/* `npm run migrate`: brings the configured database to the latest schema; exits non-zero on failure. */
import { databaseOptionsFromEnv, openDatabase } from "~/infra/db.server";
import { migrateToLatest } from "./migrator";

const database = await openDatabase(databaseOptionsFromEnv());
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
