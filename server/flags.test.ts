import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "./flags";

describe("the production server's Node flags", () => {
  it("are the ones npm start and npm run serve pass to node", () => {
    const { scripts } = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    for (const name of ["start", "serve"]) {
      expect(scripts[name], name).toContain(`node ${SERVER_NODE_FLAGS.join(" ")} build/server/serve.js`);
    }
  });
});
