import { sql, type RawBuilder } from "kysely";
import type { EconomicBuyerState } from "~/domain/stakeholder-map";

/**
 * Whether each plan's economic buyer is named and has opened the plan, as a SQL column for a list
 * of plans (`plan` is the plan id column): 'none', 'unseen' or 'seen' (EconomicBuyerState). Opened
 * means a visit on one of their share links; per-person engagement may replace this read later.
 * Every table is filtered by the organisation itself, so Citus keeps the list on one shard.
 */
export function economicBuyerStateSql(orgId: string, plan: RawBuilder<unknown>) {
  return sql<EconomicBuyerState>`(
    select case when count(*) = 0 then 'none'
                when bool_or(exists (
                  select 1 from share_links l where l.org_id = ${orgId} and l.stakeholder_id = st.id and l.first_visit_at is not null
                )) then 'seen'
                else 'unseen' end
    from stakeholders st
    where st.org_id = ${orgId} and st.plan_id = ${plan} and st.side = 'buyer' and st.decision_role = 'economic_buyer'
  )`;
}
