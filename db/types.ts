import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { AccountTokenPurpose } from "~/domain/account-tokens";
import type { ApiTokenScope } from "~/domain/api";
import type { OwnerSide } from "~/domain/owner-side";
import type { LossReason, PlanStatus } from "~/domain/plan-outcome";
import type { Role } from "~/domain/roles";
import type { DateHistoryField } from "~/domain/forecast-accuracy";

// The domain owns these words; the schema uses them.
export type { AccountTokenPurpose, ApiTokenScope, LossReason, OwnerSide, PlanStatus, Role };

/** 'YYYY-MM-DD': `date` columns are parsed to strings on both drivers (see app/infra/db.server.ts). */
export type ISODateColumn = string;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in on insert (a default) and the app may move later. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;
/** jsonb with a default in the schema: an insert may leave it out. */
type DefaultedJson<T> = ColumnType<T, string | undefined, string>;

export type Side = "buyer" | "seller";
export type MilestoneScheduleStatus = "done" | "overdue" | "at_risk" | "on_track";

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  fiscal_year_start_month: Generated<number>;
  working_weekdays: DefaultedJson<number[]>;
  holidays: DefaultedJson<string[]>;
  /** Holiday date → its name (migration 007); dates without one show as "Holiday". */
  holiday_names: ColumnType<Record<string, string>, string | undefined, string>;
  /** The national set (date-holidays code, e.g. "GB-ENG") the holidays were started from. */
  holiday_region: ColumnType<string | null, string | null | undefined, string | null>;
  time_zone: Generated<string>;
  created_at: CreatedAt;
}

export interface UsersTable {
  org_id: string;
  id: Generated<string>;
  email: string;
  name: string;
  role: Role;
  manager_id: string | null;
  /** Null until an invited teammate sets their password (ADR 020): such an account cannot sign in. */
  password_hash: string | null;
  created_at: CreatedAt;
  /** When an admin deactivated them (migration 021); NULL = active. */
  deactivated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SessionsTable {
  org_id: string;
  id: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

/** A set-password link (an invitation or a reset): only the token's SHA-256 is kept (ADR 020). */
export interface AccountTokensTable {
  org_id: string;
  id: Generated<string>;
  user_id: string;
  purpose: AccountTokenPurpose;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  replaced_at: Timestamp | null;
}

export interface AuthThrottleTable {
  key: string;
  failures: Generated<number>;
  window_started_at: DefaultedTimestamp;
  blocked_until: Timestamp | null;
}

export interface PlansTable {
  org_id: string;
  id: Generated<string>;
  owner_id: string;
  buyer_company: string;
  title: string;
  value: Generated<number>;
  currency: Generated<string>;
  status: Generated<PlanStatus>;
  go_live: ISODateColumn;
  go_live_set_side: Generated<Side>;
  go_live_set_by_name: string;
  go_live_set_at: Generated<Date>;
  go_live_confirmed_by_name: string | null;
  go_live_confirmed_at: Timestamp | null;
  crm_close_date: ISODateColumn | null;
  external_crm_id: string | null;
  version: Generated<number>;
  projected_go_live: ISODateColumn | null;
  slip_days: Generated<number>;
  forecast_close_date: ISODateColumn | null;
  schedule_computed_on: ISODateColumn | null;
  milestones_total: Generated<number>;
  milestones_done: Generated<number>;
  last_buyer_activity_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  /** The head of the plan's event log: see migration 005. */
  last_event_seq: Generated<number>;
  last_event_hash: string | null;
  /** Quarter pushes of the forecast close date and overdue buyer milestones: see migration 006. */
  close_date_pushes: Generated<number>;
  overdue_buyer_milestones: Generated<number>;
  /** The buyer's own calendar for buyer-side milestones (migration 007); NULL = the organisation's. */
  buyer_holiday_region: ColumnType<string | null, string | null | undefined, string | null>;
  buyer_working_weekdays: ColumnType<number[] | null, string | null | undefined, string | null>;
  buyer_holidays: ColumnType<string[] | null, string | null | undefined, string | null>;
  /** How the deal ended (migration 026): set on won, lost and no-decision plans only (a check). */
  closed_on: ColumnType<ISODateColumn | null, ISODateColumn | null | undefined, ISODateColumn | null>;
  loss_reason: ColumnType<LossReason | null, LossReason | null | undefined, LossReason | null>;
  close_note: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface StakeholdersTable {
  org_id: string;
  id: Generated<string>;
  plan_id: string;
  side: Side;
  name: string;
  email: string;
  title: Generated<string>;
  user_id: string | null;
  created_at: CreatedAt;
}

export interface MilestonesTable {
  org_id: string;
  id: Generated<string>;
  plan_id: string;
  title: string;
  description: Generated<string>;
  owner_side: OwnerSide;
  owner_stakeholder_id: string | null;
  duration_days: Generated<number>;
  lag_days: Generated<number>;
  pinned_date: ISODateColumn | null;
  completed_on: ISODateColumn | null;
  is_close: Generated<boolean>;
  position: Generated<number>;
  version: Generated<number>;
  start_date: ISODateColumn | null;
  due_date: ISODateColumn | null;
  projected_start: ISODateColumn | null;
  projected_finish: ISODateColumn | null;
  float_days: number | null;
  schedule_status: MilestoneScheduleStatus | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface MilestoneDependenciesTable {
  org_id: string;
  plan_id: string;
  milestone_id: string;
  depends_on_id: string;
}

export interface ShareLinksTable {
  org_id: string;
  id: Generated<string>;
  plan_id: string;
  stakeholder_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  first_visit_at: Timestamp | null;
  last_visit_at: Timestamp | null;
  visit_count: Generated<number>;
}

export interface BuyerSessionsTable {
  org_id: string;
  id: string;
  share_link_id: string;
  plan_id: string;
  stakeholder_id: string;
  name: string;
  email: string;
  created_at: CreatedAt;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
}

export type ActorSide = Side | "system";
export type EntityType = "plan" | "milestone" | "stakeholder" | "share_link" | "comment";
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface PlanEventsTable {
  org_id: string;
  id: Generated<string>;
  plan_id: string;
  seq: number;
  actor_user_id: string | null;
  actor_stakeholder_id: string | null;
  actor_name: string;
  actor_side: ActorSide;
  action: string;
  entity_type: EntityType;
  entity_id: string | null;
  changes: DefaultedJson<FieldChanges>;
  reason: string | null;
  request_id: string | null;
  created_at: DefaultedTimestamp;
  prev_hash: string | null;
  hash: string;
}

export interface PlanDateHistoryTable {
  org_id: string;
  id: Generated<string>;
  plan_id: string;
  field: DateHistoryField;
  old_date: ISODateColumn | null;
  new_date: ISODateColumn | null;
  reason: string | null;
  actor_name: string;
  actor_side: ActorSide;
  created_at: DefaultedTimestamp;
  /** The plan day the change belongs to (the command's `today`): what forecast accuracy reads. */
  effective_on: Generated<ISODateColumn>;
}

export interface CommentsTable {
  org_id: string;
  id: Generated<string>;
  plan_id: string;
  milestone_id: string | null;
  author_user_id: string | null;
  author_stakeholder_id: string | null;
  author_name: string;
  author_side: Side;
  body: string;
  created_at: CreatedAt;
}

export interface TemplatesTable {
  org_id: string;
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface TemplateMilestonesTable {
  org_id: string;
  id: Generated<string>;
  template_id: string;
  title: string;
  description: Generated<string>;
  owner_side: OwnerSide;
  duration_days: Generated<number>;
  lag_days: Generated<number>;
  is_close: Generated<boolean>;
  position: Generated<number>;
}

export interface TemplateDependenciesTable {
  org_id: string;
  template_id: string;
  milestone_id: string;
  depends_on_id: string;
}

export interface EmailOutboxTable {
  org_id: string;
  id: Generated<string>;
  kind: string;
  plan_id: string | null;
  to_address: string;
  to_name: Generated<string>;
  subject: string;
  html: string;
  text: string;
  headers: DefaultedJson<Record<string, string>>;
  message_id: string;
  status: Generated<EmailStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: Timestamp | null;
  last_error: string | null;
  sent_at: Timestamp | null;
  dedupe_key: string | null;
  created_at: CreatedAt;
  audience: Generated<EmailAudience>;
  share_link_id: string | null;
}

/** Per plan: the last log entry the seller side was told about, and when the last buyer-activity email went out. */
export interface BuyerActivityNoticesTable {
  org_id: string;
  plan_id: string;
  last_seq: number;
  last_sent_at: Timestamp | null;
}

/** Which side an email is for: buyers and sellers have different defaults. */
export type EmailAudience = "buyer" | "seller";
export type EmailStatus = "pending" | "sent" | "failed" | "dev_mailbox" | "skipped";

export interface NotificationPreferencesTable {
  org_id: string;
  email: string;
  /** Only the kinds the person chose; the others follow their side's defaults. */
  choices: DefaultedJson<Record<string, boolean>>;
  unsubscribed_all: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface CalendarFeedsTable {
  org_id: string;
  id: Generated<string>;
  token_hash: string;
  kind: "buyer" | "rep";
  share_link_id: string | null;
  user_id: string | null;
  scope: Generated<"mine" | "plan">;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
  last_fetched_at: Timestamp | null;
}

export interface ApiTokensTable {
  org_id: string;
  id: Generated<string>;
  name: string;
  token_hash: string;
  scope: ApiTokenScope;
  rate_limit_per_minute: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ApiRateLimitsTable {
  org_id: string;
  token_id: string;
  window_start: Timestamp;
  count: Generated<number>;
}

export interface WebhookEndpointsTable {
  org_id: string;
  id: Generated<string>;
  url: string;
  /** Kept in clear: an HMAC is computed from the secret itself, so it cannot be hashed. */
  secret: string;
  events: DefaultedJson<string[]>;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  /** Failed attempts in a row (any delivery); a success resets it. */
  consecutive_failures: Generated<number>;
  /** The circuit breaker: nothing is sent before this moment; then one probe at a time. */
  circuit_open_until: Timestamp | null;
  /** When the current run of failures paused the endpoint; null while it delivers. */
  circuit_opened_at: Timestamp | null;
  /** Our own short wording of the latest failed attempt. */
  last_failure: string | null;
  last_claimed_at: Timestamp | null;
}

export type WebhookDeliveryStatus = "pending" | "delivered" | "failed";

export interface WebhookDeliveriesTable {
  org_id: string;
  id: Generated<string>;
  /** Insert order (identity): deliveries for one endpoint and plan go out in this order. An int8, read as a number (app/infra/db.server.ts). */
  seq: ColumnType<number, never, never>;
  endpoint_id: string;
  plan_id: string | null;
  event_type: string;
  event_id: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: CreatedAt;
}

/** Secrets the portal generated for itself (e.g. the email-link signing key); see ADR 018. */
export interface AppSecretsTable {
  name: string;
  value: string;
  created_at: Generated<Date>;
}

export interface DB {
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  auth_throttle: AuthThrottleTable;
  account_tokens: AccountTokensTable;
  plans: PlansTable;
  stakeholders: StakeholdersTable;
  milestones: MilestonesTable;
  milestone_dependencies: MilestoneDependenciesTable;
  share_links: ShareLinksTable;
  buyer_sessions: BuyerSessionsTable;
  plan_events: PlanEventsTable;
  plan_date_history: PlanDateHistoryTable;
  comments: CommentsTable;
  templates: TemplatesTable;
  template_milestones: TemplateMilestonesTable;
  template_dependencies: TemplateDependenciesTable;
  email_outbox: EmailOutboxTable;
  notification_preferences: NotificationPreferencesTable;
  buyer_activity_notices: BuyerActivityNoticesTable;
  calendar_feeds: CalendarFeedsTable;
  api_tokens: ApiTokensTable;
  api_rate_limits: ApiRateLimitsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  app_secrets: AppSecretsTable;
}

export type Organisation = Selectable<OrganisationsTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Plan = Selectable<PlansTable>;
export type NewPlan = Insertable<PlansTable>;
export type PlanUpdate = Updateable<PlansTable>;
export type Milestone = Selectable<MilestonesTable>;
export type NewMilestone = Insertable<MilestonesTable>;
export type Stakeholder = Selectable<StakeholdersTable>;
export type PlanEvent = Selectable<PlanEventsTable>;
export type Template = Selectable<TemplatesTable>;
export type TemplateMilestone = Selectable<TemplateMilestonesTable>;
export type OutboxEmail = Selectable<EmailOutboxTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type WebhookEndpoint = Selectable<WebhookEndpointsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
