import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveAssets } from "../../server/asset-archive";
import { startStaticFileServer } from "../support/http";

/*
 * A rolling deploy: every host builds the new version while the old server still runs, then the
 * servers restart one by one. Builds are simulated the way `remix build` behaves (public/build
 * emptied, then filled with new hashed names), so the test needs no real build.
 */
describe("hashed assets across builds", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pt-assets-"));
  const assetsDir = path.join(root, "public", "build");
  const archiveDir = path.join(root, "assets-archive");
  let origin: string;
  let close: () => Promise<void>;

  function remixBuild(hash: string) {
    fs.rmSync(assetsDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(assetsDir, "routes"), { recursive: true });
    fs.writeFileSync(path.join(assetsDir, `manifest-${hash}.js`), `window.__remixManifest={version:"${hash}"}`);
    fs.writeFileSync(path.join(assetsDir, "routes", `plans-${hash}.js`), `export default "plans ${hash}"`);
    // The shared chunk did not change between these builds: the same name in every one of them.
    fs.writeFileSync(path.join(assetsDir, "chunk-SHARED.js"), "export const shared = 1");
  }

  beforeAll(async () => {
    // Static files are answered before anything touches the database or the Remix build.
    ({ origin, close } = await startStaticFileServer(path.join(root, "public"), archiveDir));
  });
  afterAll(async () => {
    await close?.();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function asset(name: string) {
    const response = await fetch(`${origin}/build/${name}`);
    return { status: response.status, cacheControl: response.headers.get("cache-control"), body: await response.text() };
  }

  it("serves the old version's files after the new build replaced them, cached as immutable", async () => {
    remixBuild("OLD1");
    archiveAssets(assetsDir, archiveDir, 2);
    remixBuild("NEW2");
    archiveAssets(assetsDir, archiveDir, 2);

    for (const name of ["routes/plans-OLD1.js", "manifest-OLD1.js", "routes/plans-NEW2.js", "manifest-NEW2.js", "chunk-SHARED.js"]) {
      const answer = await asset(name);
      expect(answer.status, name).toBe(200);
      expect(answer.cacheControl, name).toBe("public, max-age=31536000, immutable");
    }
    expect((await asset("routes/plans-OLD1.js")).body).toBe('export default "plans OLD1"');
  });

  it("answers a name no kept build has with a plain 404, never cached", async () => {
    const missing = await asset("routes/plans-NOPE9.js");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatch(/belongs to no build/);
    expect(missing.cacheControl ?? "").not.toMatch(/immutable/);
    expect((await asset("routes/")).status).toBe(404);
  });

  it("keeps the last builds only, and the files they still share", async () => {
    remixBuild("NEW3");
    archiveAssets(assetsDir, archiveDir, 2);
    expect((await asset("routes/plans-OLD1.js")).status).toBe(404);
    expect((await asset("routes/plans-NEW2.js")).status).toBe(200);
    expect((await asset("chunk-SHARED.js")).status).toBe(200);
    // Building the same bundle again keeps one entry for it, not two.
    archiveAssets(assetsDir, archiveDir, 2);
    expect((await asset("routes/plans-NEW2.js")).status).toBe(200);
    expect(JSON.parse(fs.readFileSync(`${archiveDir}.json`, "utf8")).map((b: { id: string }) => b.id)).toEqual(["NEW2", "NEW3"]);
  });
});
