import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "~/infra/db.server";
import {
  backupEmbeddedDatabase,
  controlSocketPath,
  EmbeddedBackupError,
  requestBackup,
  restoreEmbeddedDatabase,
  serveEmbeddedBackups,
  type ControlSocket,
} from "~/infra/embedded-backup.server";
import { addComment } from "~/models/buyer-commands.server";
import { verifyEventChains } from "~/models/plan-event.server";
import type { Editor } from "~/models/plan-commands.server";
import { DEMO_LOGINS, seedDemo } from "../../db/demo-seed";
import { migrateToLatest } from "../../db/migrator";
import { createScratchPostgres } from "../../db/scratch";
import { postgresAdminUrl, testDatabaseTargets } from "../support/databases";
import { testToday } from "../support/dates";

async function counts(database: Database) {
  const count = async (table: "plans" | "plan_events" | "comments") =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { plans: await count("plans"), events: await count("plan_events"), comments: await count("comments") };
}

/** A rep commenting on one of their plans through the write path, until told to stop. */
function keepWriting(database: Database, today: string) {
  let stopped = false;
  let written = 0;
  const done = (async () => {
    const rep = await database.db.selectFrom("users").select(["id", "org_id", "name"]).where("email", "=", DEMO_LOGINS.rep1).executeTakeFirstOrThrow();
    const plan = await database.db.selectFrom("plans").select("id").where("owner_id", "=", rep.id).where("status", "=", "active").executeTakeFirstOrThrow();
    const editor: Editor = { actor: { side: "seller", name: rep.name, userId: rep.id }, today, viewer: { id: rep.id, orgId: rep.org_id, role: "rep" } };
    while (!stopped) {
      await addComment(database.db, editor, rep.org_id, plan.id, null, `Written during the backup, number ${written + 1}`);
      written++;
      // As requests do in the server: PGlite answers without a trip through the event loop, so a
      // loop of writes alone would starve the socket the backup request arrives on.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    written: () => written,
    async atLeast(n: number) {
      while (written < n) await new Promise((r) => setTimeout(r, 20));
    },
    async stop() {
      stopped = true;
      await done;
      return written;
    },
  };
}

// TEST_DATABASES narrows this file like the others (the Citus step runs neither part: ADR 033).
const targets = testDatabaseTargets().map((target) => target.name);

describe.skipIf(!targets.includes("pglite"))("backups of the embedded database", () => {
  // Made in beforeAll: a describe that is skipped still runs its body, never its afterAll.
  let root: string;
  let dataDir: string;
  let socketPath: string;
  const today = testToday();
  let source: Database;
  let control: ControlSocket | undefined;
  let archive: Buffer;
  let commentsBeforeBackup: number;
  let commentsAfterBackup: number;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pt-backup-"));
    dataDir = path.join(root, "pglite");
    socketPath = controlSocketPath(dataDir);
    source = await openDatabase({ pgliteDir: dataDir });
    await migrateToLatest(source.db);
    await seedDemo(source.db, today);
    // What the server does at start (server/serve.ts): claim the directory, answer backups.
    control = await serveEmbeddedBackups(socketPath, () => Promise.resolve(source));
  });
  afterAll(async () => {
    await control?.close();
    await source?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("is taken from the process holding the directory while it writes, and restores into a fresh directory with every chain intact", async () => {
    const writer = keepWriting(source, today);
    await writer.atLeast(3);
    commentsBeforeBackup = (await counts(source)).comments;
    const backup = await backupEmbeddedDatabase(dataDir);
    commentsAfterBackup = (await counts(source)).comments;
    await writer.atLeast(writer.written() + 3);
    await writer.stop();
    expect(backup.through).toBe("server");
    archive = backup.archive;

    const restored = await restoreEmbeddedDatabase(archive, path.join(root, "restored"));
    expect(restored.movedAside).toBeNull();
    const copy = await openDatabase({ pgliteDir: restored.dataDir });
    try {
      const audit = await verifyEventChains(copy.db);
      expect(audit.problems).toEqual([]);
      const [original, restoredCounts] = [await counts(source), await counts(copy)];
      expect(restoredCounts.plans).toBe(original.plans);
      expect(audit.plans).toBe(original.plans);
      // A moment between two commits: every comment committed before it, none after it.
      expect(restoredCounts.comments).toBeGreaterThanOrEqual(commentsBeforeBackup);
      expect(restoredCounts.comments).toBeLessThanOrEqual(commentsAfterBackup);
      expect(restoredCounts.comments).toBeLessThan(original.comments);
    } finally {
      await copy.close();
    }
  });

  it("keeps a second process off a directory in use, and restores over nothing without --force", async () => {
    await expect(serveEmbeddedBackups(socketPath, () => Promise.resolve(source))).rejects.toThrow(/Another process .* has the embedded database open/);
    await expect(restoreEmbeddedDatabase(archive, dataDir, { force: true })).rejects.toThrow(EmbeddedBackupError);

    const target = path.join(root, "occupied");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "PG_VERSION"), "15\n");
    await expect(restoreEmbeddedDatabase(archive, target)).rejects.toThrow(/already holds a database.*--force/);
    expect(fs.readdirSync(target)).toEqual(["PG_VERSION"]);
    const forced = await restoreEmbeddedDatabase(archive, target, { force: true });
    expect(fs.readdirSync(forced.movedAside!)).toEqual(["PG_VERSION"]);
    expect(fs.readdirSync(target)).toContain("base");

    await expect(restoreEmbeddedDatabase(Buffer.from("not a backup"), path.join(root, "other"))).rejects.toThrow(/not a backup/);
  });

  it("opens the directory itself when no server runs, holding the socket meanwhile", async () => {
    await control!.close();
    control = undefined;
    await source.close();
    expect(await requestBackup(socketPath)).toBeNull();
    const backup = await backupEmbeddedDatabase(dataDir);
    expect(backup.through).toBe("this process");
    const restored = await restoreEmbeddedDatabase(backup.archive, path.join(root, "offline"));
    const copy = await openDatabase({ pgliteDir: restored.dataDir });
    try {
      expect((await verifyEventChains(copy.db)).problems).toEqual([]);
      expect((await counts(copy)).comments).toBeGreaterThan(commentsAfterBackup);
    } finally {
      await copy.close();
    }
    // Reopened for afterAll, as the server would be.
    source = await openDatabase({ pgliteDir: dataDir });
  });
});

const adminUrl = postgresAdminUrl();

describe.skipIf(!targets.includes("postgres"))("pg_dump and pg_restore on PostgreSQL", () => {
  const scratches: { url: string; drop(): Promise<void> }[] = [];
  let dumpDir: string | undefined;
  afterAll(async () => {
    for (const scratch of scratches) await scratch.drop();
    if (dumpDir) fs.rmSync(dumpDir, { recursive: true, force: true });
  });

  it("restores a custom-format dump into a new database with every chain intact", async () => {
    // Where PostgreSQL runs, its client tools are installed (.ci/run installs both): never a silent skip.
    expect(spawnSync("pg_dump", ["--version"]).status, "pg_dump is missing: apt-get install postgresql-client").toBe(0);
    dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), "pt-pgdump-"));
    const dumpFile = path.join(dumpDir, "plan-together.dump");
    const [from, to] = [await createScratchPostgres(adminUrl!), await createScratchPostgres(adminUrl!)];
    scratches.push(from, to);
    const original = await openDatabase({ databaseUrl: from.url });
    let expected;
    try {
      await migrateToLatest(original.db);
      await seedDemo(original.db, testToday());
      expected = await counts(original);
    } finally {
      await original.close();
    }
    // The commands docs/deploy.md gives, as written there.
    execFileSync("pg_dump", ["-Fc", "-f", dumpFile, from.url]);
    execFileSync("pg_restore", ["--no-owner", "--exit-on-error", "-d", to.url, dumpFile]);

    const copy = await openDatabase({ databaseUrl: to.url });
    try {
      const audit = await verifyEventChains(copy.db);
      expect(audit.problems).toEqual([]);
      expect(await counts(copy)).toEqual(expected);
      expect(audit.plans).toBe(expected.plans);
    } finally {
      await copy.close();
    }
  });
});
