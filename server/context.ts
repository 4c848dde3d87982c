import type { Kysely } from "kysely";
import type { DB } from "../db/types";
import type { UploadLimits } from "~/domain/resources";
import type { AppLucia, SessionUser } from "~/infra/sessions.server";
import type { JobHealth } from "~/jobs/job-health.server";
import type { JobLeadership } from "~/jobs/job-leadership.server";

/** What the HTTP layer hands every loader and action (see server/http.ts). */
export type AppContext = {
  db: Kysely<DB>;
  databaseKind: "pglite" | "postgres";
  lucia: AppLucia;
  user: SessionUser | null;
  requestId: string;
  clientIp: string;
  /** The moment the request arrived: one clock reading per request. */
  now: Date;
  /** Cookies get Secure (HTTPS deployments). */
  secureCookies: boolean;
  /** This response's Content-Security-Policy nonce. */
  cspNonce: string;
  /** Admins may read the outbox at /dev/mailbox (off once emails go out through SMTP). */
  devMailbox: boolean;
  /** How this process's background jobs are doing (absent when it runs none), for /healthz. */
  jobHealth?: JobHealth;
  /** Which periodic jobs this process leads (absent when it runs none), for /healthz. */
  jobLeadership?: Pick<JobLeadership, "instanceId" | "report">;
  /** How big a file and an organisation's files may be (FILE_MAX_MB, FILE_QUOTA_MB); absent (the benchmarks' contexts): the defaults. */
  uploadLimits?: UploadLimits;
};

declare module "@remix-run/node" {
  interface AppLoadContext extends AppContext {}
}
