import { sql, type Kysely } from "kysely";

/*
 * Indexes for the manager forecast (app/models/forecast.server.ts). Every forecast query starts
 * from the active plans of a set of owners (a rep, a manager's team, the organisation), so the
 * plan indexes lead with (org_id, owner_id) and are partial on status = 'active': a team's page
 * reads its team's entries, however large the organisation grows.
 */
const statements = [
  // The scope's active plans with every column the rollup, the at-risk list and the push count
  // read, so each of them is an index-only scan of the team's entries (plan details are fetched
  // by primary key for the few rows a list shows).
  `create index plans_forecast_scope_idx on plans (org_id, owner_id, forecast_close_date)
     include (id, value, currency, slip_days, go_live_confirmed_at, last_buyer_activity_at, created_at)
     where status = 'active'`,
  // Rep date vs plan date: only the plans whose CRM close date is earlier than the plan's.
  `create index plans_rep_date_earlier_idx on plans (org_id, owner_id)
     include (id, value, crm_close_date, forecast_close_date)
     where status = 'active' and crm_close_date < forecast_close_date`,
  // Overdue buyer-owned milestones: the open ones by due date, one range scan per organisation.
  `create index milestones_open_buyer_due_idx on milestones (org_id, due_date, plan_id)
     where owner_side = 'buyer' and completed_on is null`,
  // Quarter pushes: only forward moves of the forecast close date can be pushes.
  `create index plan_date_history_forward_idx on plan_date_history (org_id, plan_id)
     include (old_date, new_date) where field = 'forecast_close_date' and new_date > old_date`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ["plan_date_history_forward_idx", "milestones_open_buyer_due_idx", "plans_rep_date_earlier_idx", "plans_forecast_scope_idx"]) {
    await sql.raw(`drop index if exists ${index}`).execute(db);
  }
}
