/* `npm run seed`: seeds the demo organisation into the configured database (idempotent). */
import { databaseOptionsFromEnv, openDatabase } from "../app/utils/db.server";
import { todayIn } from "../app/domain/dates";
import { migrateToLatest } from "./migrator";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "./demo-seed";

const database = await openDatabase(databaseOptionsFromEnv());
try {
  await migrateToLatest(database.db);
  const result = await seedDemo(database.db, todayIn("UTC", new Date()));
  if (!result.created) {
    console.log("The demo organisation is already there; nothing changed.");
  } else {
    console.log(`Seeded the demo organisation into ${database.kind === "pglite" ? "the embedded database" : "PostgreSQL"}.`);
    console.log(`Logins (password "${DEMO_PASSWORD}"): ${Object.values(DEMO_LOGINS).join(", ")}`);
    if (result.buyerLinkToken) console.log(`Buyer link path: /s/${result.buyerLinkToken}`);
  }
} finally {
  await database.close();
}
