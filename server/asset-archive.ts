/*
 * `remix build` empties public/build before writing the new bundle, so during a rolling deploy a
 * server still running the old version (or a tab holding its pages) would ask for files that are
 * gone, and a page from the new version may reach a server that has not restarted yet. Every
 * build's content-hashed files are therefore also copied into an archive that the build never
 * wipes, and /build falls back to it; the last few builds are kept (ADR 033).
 */
import fs from "node:fs";
import path from "node:path";

/** Where the hashed files of recent builds stay, beside the server build (remix build leaves build/ alone). */
export const ASSET_ARCHIVE_DIR = path.resolve("build/assets-archive");

/**
 * How many builds' assets stay servable: the running one and the previous one are what a rolling
 * deploy needs; the rest cover a deploy rolled back and tabs left open across two deploys.
 */
export const ASSET_BUILDS_KEPT = 5;

interface ArchivedBuild {
  id: string;
  archivedAt: string;
  files: string[];
}

/** The list of archived builds sits beside the archive, so /build never serves it. */
function indexPath(archiveDir: string) {
  return `${archiveDir}.json`;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function readIndex(archiveDir: string): ArchivedBuild[] {
  try {
    return JSON.parse(fs.readFileSync(indexPath(archiveDir), "utf8")) as ArchivedBuild[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Copies the build in `assetsDir` (public/build) into `archiveDir` and deletes the files no kept
 * build refers to. A build is named by its Remix manifest, whose name carries the bundle's hash.
 */
export function archiveAssets(assetsDir: string, archiveDir: string, keep = ASSET_BUILDS_KEPT) {
  const files = filesUnder(assetsDir);
  const manifest = files.find((file) => /^manifest-[\w-]+\.js$/.test(file));
  if (!manifest) throw new Error(`No Remix manifest in ${assetsDir}: run \`remix build\` first.`);
  const id = manifest.replace(/^manifest-|\.js$/g, "");

  fs.mkdirSync(archiveDir, { recursive: true });
  fs.cpSync(assetsDir, archiveDir, { recursive: true });

  // The same bundle built again moves to the front rather than taking a second place.
  const builds = [...readIndex(archiveDir).filter((b) => b.id !== id), { id, archivedAt: new Date().toISOString(), files }].slice(-keep);
  const referenced = new Set(builds.flatMap((b) => b.files));
  let removed = 0;
  for (const file of filesUnder(archiveDir)) {
    if (referenced.has(file)) continue;
    fs.rmSync(path.join(archiveDir, file));
    removed++;
  }
  for (const entry of fs.readdirSync(archiveDir, { recursive: true, withFileTypes: true }).reverse()) {
    const dir = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory() && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
  fs.writeFileSync(indexPath(archiveDir), JSON.stringify(builds, null, 2));
  return { id, builds: builds.length, removed };
}
