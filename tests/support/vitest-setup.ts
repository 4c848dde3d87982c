import { randomBytes } from "node:crypto";

/*
 * Tests sign links in the test process and check them in servers started in it, on several
 * databases at once: one configured secret (a fresh one per run) keeps them agreeing. The
 * generated-and-kept secret of a server started without one is tested in signing-secret.test.ts.
 */
process.env.EMAIL_SIGNING_SECRET ??= randomBytes(32).toString("base64url");
