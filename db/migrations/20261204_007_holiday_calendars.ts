import { sql, type Kysely } from "kysely";

/*
 * Holiday calendars people can set (docs/scheduling.md, ADR 013):
 *  - the organisation's holidays get names (date → name), and the national set they were started
 *    from, so the settings page can say what a date is and offer the same set for the next years;
 *  - a plan can carry the buyer's own calendar for buyer-side milestones: the national set it was
 *    made from, its working week, and its holidays (materialised from the set when the rep picks
 *    it, so a schedule only ever reads stored data). NULL means "as the organisation's".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organisations
    add column holiday_names jsonb not null default '{}' check (jsonb_typeof(holiday_names) = 'object'),
    add column holiday_region text check (holiday_region is null or length(holiday_region) between 2 and 20)`.execute(db);
  await sql`alter table plans
    add column buyer_holiday_region text check (buyer_holiday_region is null or length(buyer_holiday_region) between 2 and 20),
    add column buyer_working_weekdays jsonb check (buyer_working_weekdays is null or (jsonb_typeof(buyer_working_weekdays) = 'array' and jsonb_array_length(buyer_working_weekdays) between 1 and 7)),
    add column buyer_holidays jsonb check (buyer_holidays is null or jsonb_typeof(buyer_holidays) = 'array')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table plans drop column buyer_holidays, drop column buyer_working_weekdays, drop column buyer_holiday_region`.execute(db);
  await sql`alter table organisations drop column holiday_region, drop column holiday_names`.execute(db);
}
