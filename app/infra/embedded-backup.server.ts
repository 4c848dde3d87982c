import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { openDatabase, type Database } from "~/infra/db.server";

/*
 * Backups of the embedded database (ADR 033). Only the process that has the data directory open
 * can copy it consistently (PGlite keeps pages in its own memory, and a second process must never
 * open the directory), so that process answers backup requests on a Unix socket beside the
 * directory. The socket doubles as the directory's lock: whoever listens on it owns the
 * directory, and a server, a backup or a restore that finds it answered stays away. The socket's
 * file mode keeps it to the user who may read the data directory anyway.
 */

export class EmbeddedBackupError extends Error {}

/** The control socket of a data directory: beside it, like the demo's buyer-link file. */
export function controlSocketPath(pgliteDir: string): string {
  const socketPath = `${path.resolve(pgliteDir)}.sock`;
  // Unix socket paths are limited to about 100 bytes: a deep PGLITE_DIR needs a shorter one.
  if (Buffer.byteLength(socketPath) > 100)
    throw new EmbeddedBackupError(`PGLITE_DIR is too long for its control socket (${socketPath}): choose a shorter path.`);
  return socketPath;
}

/** Whether a live process listens on the socket (a file left by a killed one does not count). */
function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

export interface ControlSocket {
  close(): Promise<void>;
}

/**
 * Claims the data directory and answers `GET /backup` with `database()`'s data directory. Fails
 * when another process holds it. `database` is called per request, so the socket may be claimed
 * before the database is open.
 */
export async function serveEmbeddedBackups(socketPath: string, database: () => Promise<Database>): Promise<ControlSocket> {
  if (await answers(socketPath)) {
    throw new EmbeddedBackupError(
      `Another process (a server, a backup or a restore) has the embedded database open (${socketPath} answers): stop it first; \`npm run backup\` copies it through that process.`,
    );
  }
  fs.rmSync(socketPath, { force: true });
  fs.mkdirSync(path.dirname(socketPath), { recursive: true });
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/backup") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Only GET /backup is answered here.");
      return;
    }
    void database()
      .then(async (db) => {
        if (!db.dumpDataDir) throw new EmbeddedBackupError("This process runs on PostgreSQL: use pg_dump (docs/deploy.md).");
        const archive = Buffer.from(await (await db.dumpDataDir()).arrayBuffer());
        res.writeHead(200, { "Content-Type": "application/gzip", "Content-Length": archive.length }).end(archive);
      })
      .catch((error: unknown) => {
        res.writeHead(500, { "Content-Type": "text/plain" }).end(error instanceof Error ? error.message : String(error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The backup the process holding the directory makes, or null when no process listens. */
export async function requestBackup(socketPath: string): Promise<Buffer | null> {
  if (!(await answers(socketPath))) return null;
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: "/backup" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode === 200) resolve(body);
        else reject(new EmbeddedBackupError(`The server could not make the backup: ${body.toString()}`));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

function isEmptyDir(dir: string) {
  return !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;
}

/**
 * A consistent copy of the embedded database in `pgliteDir`: from the server when one runs,
 * otherwise by opening the directory here, with its socket claimed so that no server starts
 * meanwhile.
 */
export async function backupEmbeddedDatabase(pgliteDir: string): Promise<{ archive: Buffer; through: "server" | "this process" }> {
  const socketPath = controlSocketPath(pgliteDir);
  const fromServer = await requestBackup(socketPath);
  if (fromServer) return { archive: fromServer, through: "server" };
  if (isEmptyDir(pgliteDir)) throw new EmbeddedBackupError(`There is no embedded database at ${path.resolve(pgliteDir)} to back up.`);
  let database: Database | undefined;
  const control = await serveEmbeddedBackups(socketPath, () => Promise.resolve(database!));
  try {
    database = await openDatabase({ pgliteDir });
    return { archive: Buffer.from(await (await database.dumpDataDir!()).arrayBuffer()), through: "this process" };
  } finally {
    await database?.close();
    await control.close();
  }
}

/**
 * Unpacks a backup into `pgliteDir`. The directory must be empty or absent; with `force` a
 * non-empty one is moved aside (never deleted) first. Refused while a process has it open.
 */
export async function restoreEmbeddedDatabase(archive: Buffer, pgliteDir: string, options: { force?: boolean; now?: Date } = {}) {
  const dataDir = path.resolve(pgliteDir);
  // gzip's magic number: anything else is not a backup this tool wrote.
  if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b)
    throw new EmbeddedBackupError("That file is not a backup made by `npm run backup` (not gzip).");
  const control = await serveEmbeddedBackups(controlSocketPath(dataDir), () => Promise.reject(new EmbeddedBackupError("A restore is in progress.")));
  try {
    let movedAside: string | null = null;
    if (!isEmptyDir(dataDir)) {
      if (!options.force)
        throw new EmbeddedBackupError(`${dataDir} already holds a database: restore into an empty directory, or pass --force to move it aside first.`);
      movedAside = `${dataDir}.before-restore-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, "-")}`;
      fs.renameSync(dataDir, movedAside);
    }
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    const pglite = await PGlite.create({ dataDir, loadDataDir: new Blob([new Uint8Array(archive)]) });
    await pglite.close();
    return { dataDir, movedAside };
  } finally {
    await control.close();
  }
}
