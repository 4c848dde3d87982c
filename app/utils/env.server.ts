import { z } from "zod";

/** Public on purpose: it only works where nobody else can reach the server. */
export const DEV_EMAIL_SIGNING_SECRET = "dev-only-email-signing-secret-do-not-use-in-production";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  PGLITE_DIR: z.string().min(1).default("./data/pglite"),
  APP_URL: z.string().url("must be the portal's public URL, e.g. https://plans.example.com").optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
  SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
  LOG_REQUESTS: z.enum(["on", "off"]).default("on"),
  /** The From of every email: a display name and an address the SMTP server may send as. */
  MAIL_FROM: z.string().min(3).default("Plan Together <plans@localhost>"),
  /**
   * Signs the preference links in emails and derives calendar feed URLs. The default is for
   * development only: a deployment on https refuses to start without its own (see ADR 005).
   */
  EMAIL_SIGNING_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").default(DEV_EMAIL_SIGNING_SECRET),
  /** `off` keeps this server from sending emails (another process, or nobody, does it). */
  EMAIL_DISPATCHER: z.enum(["on", "off"]).default("on"),
  /** Requests handled at once; more wait in a queue, and past that get a 503 (see overload.server.ts). */
  MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(10_000).default(32),
  MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(128),
  /** How long a queued request may wait for its turn before it gets a 503. */
  REQUEST_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(10_000),
}).superRefine((env, ctx) => {
  if (env.NODE_ENV === "production" && env.APP_URL?.startsWith("https://") && env.EMAIL_SIGNING_SECRET === DEV_EMAIL_SIGNING_SECRET) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["EMAIL_SIGNING_SECRET"], message: "must be set in production (the development default would let anyone forge preference and calendar links)" });
  }
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

/** The portal's public origin for links in emails and feeds: APP_URL, or this server on localhost. */
export function publicBaseUrl(env: Env = getEnv()): string {
  return (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}
