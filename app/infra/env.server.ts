import { isIP } from "node:net";
import { z } from "zod";
import { DEFAULT_UPLOAD_LIMITS, MEGABYTE, type UploadLimits } from "~/domain/resources";
import { parseAddressPolicy } from "~/infra/webhook-address.server";
import { currentRequestOrigin } from "~/infra/request-origin.server";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    /**
     * `transaction` when DATABASE_URL reaches PostgreSQL through a transaction-mode pooler
     * (PgBouncer's `pool_mode = transaction`): named prepared statements are then not used (ADR 031).
     */
    DATABASE_POOLER: z.enum(["none", "session", "transaction"]).default("none"),
    /**
     * Connections this server keeps to PostgreSQL. Across a fleet the sum must fit under the
     * database's max_connections (or the pooler's max_client_conn): docs/deploy.md sizes it.
     */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
    /** `off` for a fleet, which runs `npm run migrate` once per deploy: the server then only checks the schema is there. */
    MIGRATE_ON_START: z.enum(["on", "off"]).default("on"),
    PGLITE_DIR: z.string().min(1).default("./data/pglite"),
    APP_URL: z.string().url("must be the portal's public URL, e.g. https://plans.example.com").optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
    LOG_REQUESTS: z.enum(["on", "off"]).default("on"),
    /** The From of every email: a display name and an address the SMTP server may send as. */
    MAIL_FROM: z.string().min(3).default("Plan Together <plans@localhost>"),
    /**
     * Signs the links in emails and derives calendar feed URLs. Unset: the portal generates one on
     * first start and keeps it in its database (ADR 018).
     */
    EMAIL_SIGNING_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
    /**
     * The admins' mailbox at /dev/mailbox shows emails as sent, invitation links included. `auto`:
     * only while nothing is sent (no SMTP_URL: the demo, a trial), where it is the only way to read them.
     */
    DEV_MAILBOX: z.enum(["auto", "on", "off"]).default("auto"),
    /**
     * Which peers may tell us the client's address (X-Forwarded-For): `off`, a hop count, or a comma
     * list of addresses, CIDR ranges and `loopback`/`linklocal`/`uniquelocal`. Throttles count per
     * client address, so a balancer left out here makes every client one client.
     */
    TRUST_PROXY: z
      .string()
      .default("loopback")
      .refine(
        (value) => trustProxySetting(value) !== null,
        "must be off, a number of hops, or a comma list of addresses, CIDR ranges, loopback, linklocal or uniquelocal",
      ),
    /** `off` keeps this server from sending emails (another process, or nobody, does it). */
    EMAIL_DISPATCHER: z.enum(["on", "off"]).default("on"),
    /**
     * Private destinations webhooks may reach (a CRM on the self-hoster's own network): addresses,
     * CIDR ranges and host names, comma-separated. Unset: public addresses only (issue 17).
     */
    WEBHOOK_ALLOW_PRIVATE: z.string().optional(),
    /** Requests handled at once; more wait in a queue, and past that get a 503 (see overload.server.ts). */
    MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(10_000).default(32),
    MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(128),
    /** How long a queued request may wait for its turn before it gets a 503. */
    REQUEST_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(10_000),
    /** The largest file one upload may carry, in MB (ADR 035). */
    FILE_MAX_MB: z.coerce
      .number()
      .positive()
      .max(1024)
      .default(DEFAULT_UPLOAD_LIMITS.fileBytes / MEGABYTE),
    /** All of one organisation's stored files (every version), in MB. */
    FILE_QUOTA_MB: z.coerce
      .number()
      .positive()
      .max(10_000_000)
      .default(DEFAULT_UPLOAD_LIMITS.orgQuotaBytes / MEGABYTE),
  })
  .superRefine((env, ctx) => {
    const policy = parseAddressPolicy(env.WEBHOOK_ALLOW_PRIVATE);
    if (!policy.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["WEBHOOK_ALLOW_PRIVATE"], message: policy.message });
  });

export type Env = z.infer<typeof schema>;

/** Reads and checks the environment; throws one message naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function getEnv(): Env {
  return (cached ??= parseEnv());
}

const PROXY_PRESETS = new Set(["loopback", "linklocal", "uniquelocal"]);

/** TRUST_PROXY as Express's `trust proxy` setting, or null when it is not a valid value. */
export function trustProxySetting(value: string): false | number | string[] | null {
  const text = value.trim().toLowerCase();
  if (text === "off" || text === "false" || text === "none") return false;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const valid = (entry: string) => {
    if (PROXY_PRESETS.has(entry)) return true;
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(address);
    if (!family || extra !== undefined) return false;
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  };
  return entries.length > 0 && entries.every(valid) ? entries : null;
}

export function devMailboxEnabled(env: Env = getEnv()): boolean {
  return env.DEV_MAILBOX === "on" || (env.DEV_MAILBOX === "auto" && !env.SMTP_URL);
}

/**
 * The one source of every absolute URL the app writes (share links, feed addresses and feeds,
 * emails): APP_URL when set; else the address the current request came in on (so a link works
 * from wherever the portal was reached); else, for work no request started (reminders and digests
 * sent on a timer), this server on localhost, which only APP_URL can improve on.
 */
export function publicBaseUrl(env: Env = getEnv()): string {
  return (env.APP_URL ?? currentRequestOrigin() ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

/** The upload limits the environment sets, in bytes. */
export function uploadLimitsFromEnv(env: Pick<Env, "FILE_MAX_MB" | "FILE_QUOTA_MB">): UploadLimits {
  return { fileBytes: Math.floor(env.FILE_MAX_MB * MEGABYTE), orgQuotaBytes: Math.floor(env.FILE_QUOTA_MB * MEGABYTE) };
}
