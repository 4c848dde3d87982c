import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/types";

/** What every model function takes first: the database, or the transaction it runs inside. */
export type Conn = Kysely<DB> | Transaction<DB>;
