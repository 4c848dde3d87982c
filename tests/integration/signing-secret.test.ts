import { afterAll, describe, expect, it } from "vitest";
import { ensureAppSecret } from "~/models/app-secrets.server";
import { signPreferenceToken } from "~/models/email-preferences.server";
import { postgresAdminUrl, testDatabaseTargets } from "../support/databases";
import { requireBuild, scratchDatabase, startServer, type ServerProcess } from "../support/server-process";
import pg from "pg";

/*
 * Issue 17, item 7: without EMAIL_SIGNING_SECRET the server used to sign preference and "open the
 * plan" links with a constant written in the source, so anyone could forge them. Now a server
 * started without one generates a random key on first start and keeps it in its database.
 */
const OLD_PUBLIC_CONSTANT = "dev-only-email-signing-secret-do-not-use-in-production";

describe.each(testDatabaseTargets())("the generated signing secret on $name", (target) => {
  it("is made once, random, and the same for every later caller and concurrent starters", { timeout: 180_000 }, async () => {
    const first = await target.open();
    const second = await target.open();
    try {
      const [a, b, c] = await Promise.all([0, 1, 2].map(() => ensureAppSecret(first.db, "email-signing")));
      expect(new Set([a, b, c]).size).toBe(1);
      expect(Buffer.from(a, "base64url")).toHaveLength(32);
      expect(await ensureAppSecret(first.db, "email-signing")).toBe(a);
      expect(await ensureAppSecret(second.db, "email-signing")).not.toBe(a);
    } finally {
      await first.drop();
      await second.drop();
    }
  });
});

describe.runIf(postgresAdminUrl())("a server started without EMAIL_SIGNING_SECRET", () => {
  let server: ServerProcess | undefined;
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  afterAll(async () => {
    server?.child.kill("SIGKILL");
    await scratch?.drop();
  });

  const preferenceToken = (orgId: string, secret: string) => signPreferenceToken({ orgId, email: "rep1@demo.example", audience: "seller" }, secret);
  const start = () => startServer({ port: 3690 + Math.floor(Math.random() * 200), databaseUrl: scratch.url, env: { EMAIL_SIGNING_SECRET: "" } });

  it("refuses links signed with the old public constant, and keeps its own key across restarts", { timeout: 180_000 }, async () => {
    requireBuild();
    scratch = await scratchDatabase("pt_secret");
    server = await start();
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const read = async () => (await client.query<{ value: string }>("select value from app_secrets where name = 'email-signing'")).rows;
      const [{ id: orgId }] = (await client.query<{ id: string }>("select id from organisations order by created_at limit 1")).rows;
      const [kept] = await read();
      expect(kept.value).not.toBe(OLD_PUBLIC_CONSTANT);

      const forged = await fetch(`${server.origin}/email-preferences/${preferenceToken(orgId, OLD_PUBLIC_CONSTANT)}`);
      expect(forged.status).toBe(404);
      const genuine = await fetch(`${server.origin}/email-preferences/${preferenceToken(orgId, kept.value)}`);
      expect(genuine.status).toBe(200);
      expect(await genuine.text()).toContain("rep1@demo.example");

      server.child.kill("SIGTERM");
      await new Promise((resolve) => server!.child.once("exit", resolve));
      server = await start();
      expect(await read()).toEqual([kept]);
      expect((await fetch(`${server.origin}/email-preferences/${preferenceToken(orgId, kept.value)}`)).status).toBe(200);
    } finally {
      await client.end();
    }
  });
});
