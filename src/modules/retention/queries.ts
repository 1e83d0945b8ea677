import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { isOpenEpisode } from '../episodes/service.ts';
import type { RetentionRuleTable } from './tables.ts';

export type RecordType = RetentionRuleTable['record_type'];

export async function findRules(db: Db, organisationId: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('retention_rule').select(['record_type', 'years', 'version']).where('organisation_id', '=', organisationId);
  if (options.forUpdate) query = query.forUpdate();
  return query.execute();
}

/** The first save of a rule; false when someone else saved it first. */
export async function insertRule(db: Db, organisationId: string, recordType: RecordType, years: number, userId: string | null): Promise<boolean> {
  const row = await db
    .insertInto('retention_rule')
    .values({ organisation_id: organisationId, record_type: recordType, years, updated_by: userId })
    .onConflict((conflict) => conflict.columns(['organisation_id', 'record_type']).doNothing())
    .returning('version')
    .executeTakeFirst();
  return Boolean(row);
}

/** Saves a rule only if it is still at `version`; false otherwise. */
export async function updateRule(db: Db, organisationId: string, recordType: RecordType, version: number, years: number, userId: string | null) {
  const result = await db
    .updateTable('retention_rule')
    .set((eb) => ({ years, updated_by: userId, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('record_type', '=', recordType)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface DuePersonRow {
  person_id: string;
  rule: 'closed_episode' | 'declined_referral';
  closed_on: string;
  first_referred_on: string | null;
  episodes: number;
}

/**
 * People due for anonymisation: not yet anonymised, not a merged duplicate
 * (those follow the record they were merged into), every episode closed, and
 * the latest closure before the cut-off. An episode closes when it exits, or
 * when its referral is declined or withdrawn (on the decision date). People
 * whose every referral was declined or withdrawn follow the declined-referral
 * rule; everyone else the closed-episode rule. A person never referred counts
 * as closed on the day their record was created.
 */
export async function duePeople(db: Db, organisationId: string, cutoffs: { closedBefore: string; declinedBefore: string }): Promise<DuePersonRow[]> {
  const result = await sql<DuePersonRow>`
    with closures as (
      select p.id as person_id, e.referred_on,
             case when e.id is null then (p.created_at at time zone 'Europe/London')::date
                  when e.exited_on is not null then e.exited_on
                  when r.status in ('declined', 'withdrawn') then coalesce(r.decided_on, r.received_on) end as closed_on,
             (e.id is not null and e.exited_on is null and r.status in ('declined', 'withdrawn')) as declined,
             e.id as episode_id
        from person p
        left join episode e on e.organisation_id = p.organisation_id and e.person_id = p.id
        left join referral r on r.organisation_id = e.organisation_id and r.episode_id = e.id
       where p.organisation_id = ${organisationId} and p.anonymised_at is null and p.merged_into_id is null
    ), people as (
      select person_id, max(closed_on) as closed_on, min(referred_on) as first_referred_on, count(episode_id)::int as episodes,
             bool_and(declined) as all_declined, count(*) filter (where closed_on is null) as still_open
        from closures group by person_id
    )
    select person_id, case when all_declined then 'declined_referral' else 'closed_episode' end as rule,
           closed_on::text as closed_on, first_referred_on::text as first_referred_on, episodes
      from people
     where still_open = 0
       and closed_on < case when all_declined then ${cutoffs.declinedBefore}::date else ${cutoffs.closedBefore}::date end
     order by closed_on, person_id`.execute(db);
  return result.rows;
}

/** Soft-deleted contacts whose text the schedule has not yet removed, deleted before the cut-off. */
export async function dueContacts(db: Db, organisationId: string, deletedBefore: string): Promise<number> {
  const result = await sql<{ count: number }>`
    select count(*)::int as count from contact
     where organisation_id = ${organisationId} and deleted_at < ${deletedBefore}::date and note_purged_at is null`.execute(db);
  return result.rows[0]?.count ?? 0;
}

/** Removes the note and delete reason of the due deleted contacts, and their edit history (which holds old notes). */
export async function purgeContactText(db: Db, organisationId: string, deletedBefore: string): Promise<number> {
  const due = sql`select id from contact where organisation_id = ${organisationId} and deleted_at < ${deletedBefore}::date and note_purged_at is null`;
  await sql`delete from contact_revision where organisation_id = ${organisationId} and contact_id in (${due})`.execute(db);
  const result = await sql`
    update contact set note = null, delete_reason = 'Removed under the retention schedule', note_purged_at = now(), updated_at = now()
     where organisation_id = ${organisationId} and id in (${due})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Locks a person for anonymisation; undefined when already anonymised or not in this organisation. */
export async function lockPersonForAnonymising(db: Db, organisationId: string, personId: string) {
  const result = await sql<{ id: string }>`
    select id from person where organisation_id = ${organisationId} and id = ${personId} and anonymised_at is null for update`.execute(db);
  return result.rows[0];
}

/**
 * Removes everything that identifies a person (and any duplicate merged into
 * them) while keeping the codes and dates reports count. The date of birth
 * becomes the earliest day of the same year that gives the same age in whole
 * years at every one of their referrals, so age bands and age figures in the
 * outcomes report do not move. See docs/retention.md for each column.
 */
export async function anonymisePerson(db: Db, organisationId: string, personId: string): Promise<void> {
  const org = organisationId;
  const people = sql`select id from person where organisation_id = ${org} and (id = ${personId} or merged_into_id = ${personId})`;
  const episodes = sql`select id from episode where organisation_id = ${org} and person_id in (${people})`;
  await sql`
    update person p set
      given_name = 'Anonymised', family_name = 'Anonymised', preferred_name = null, gender = null, language = null,
      phone = null, email = null, address = null, postcode = null, immigration_status = null,
      prison_number = null, crn = null, pnc_id = null, nhs_number = null, ni_number = null,
      risk_notes = null, sexual_offence_details = null,
      date_of_birth = (
        select min(day)::date from generate_series(
          make_date(extract(year from p.date_of_birth)::int, 1, 1)::timestamp, p.date_of_birth::timestamp, interval '1 day') day
         where not exists (
           select 1 from episode e where e.organisation_id = p.organisation_id and e.person_id = p.id
              and extract(year from age(e.referred_on, day::date)) <> extract(year from age(e.referred_on, p.date_of_birth)))),
      anonymised_at = now(), updated_at = now(), version = version + 1
     where p.organisation_id = ${org} and p.id in (${people})`.execute(db);
  const statements = [
    sql`delete from person_alias where organisation_id = ${org} and person_id in (${people})`,
    sql`delete from person_revision where organisation_id = ${org} and person_id in (${people})`,
    sql`delete from referral_draft where organisation_id = ${org} and person_id in (${people})`,
    sql`update person_consent set recipient = null, note = null, withdrawal_note = null where organisation_id = ${org} and person_id in (${people})`,
    sql`update job_search_activity set file_id = null where organisation_id = ${org} and file_id in (select id from stored_file where organisation_id = ${org} and person_id in (${people}))`,
    sql`delete from stored_file where organisation_id = ${org} and person_id in (${people})`,
    sql`update vocational_profile set preferred_hours = null, preferred_places = null, does_not_want = null, work_history = '[]',
          qualifications = (select coalesce(jsonb_agg(q - 'title'), '[]') from jsonb_array_elements(qualifications) q),
          skills = null, barriers = null, conviction_details = null, disclosure_plan = null, licence_condition_notes = null, right_to_work_notes = null
         where organisation_id = ${org} and person_id in (${people})`,
    sql`update benefit_claim set note = null where organisation_id = ${org} and person_id in (${people})`,
    sql`update episode set exit_note = null, expected_release_area = null, release_address = null, local_authority = null
         where organisation_id = ${org} and id in (${episodes})`,
    sql`update referral set referrer_name = null, referrer_contact = null, reason = null, agreement_confirmed_by = null,
          decision_note = null, external_id = null where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`update release set note = null where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`update release_plan set meeting_point = null, meeting_time = null, note = null where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`update release_checklist set note = null where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`delete from contact_revision where organisation_id = ${org} and contact_id in (select id from contact where organisation_id = ${org} and episode_id in (${episodes}))`,
    sql`update contact set note = null, delete_reason = case when delete_reason is null then null else 'Removed under the retention schedule' end
         where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`update task set title = 'Anonymised' where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`update allocation set handover_note = null where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`update custody_event set note = null where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`update benefits_session set note = null where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`update job_search_activity set title = null, note = null, certificate = null where organisation_id = ${org} and episode_id in (${episodes})`,
    sql`update job set title = 'Anonymised', end_note = null where organisation_id = ${org} and episode_id in (${episodes})`,
    // An employer contact's note may name the people it was on behalf of.
    sql`update employer_contact set note = null where organisation_id = ${org} and id in (
          select employer_contact_id from employer_contact_participant where organisation_id = ${org} and episode_id in (${episodes}))`,
  ];
  for (const statement of statements) await statement.execute(db);
}

/** Provider organisations, for the daily job and the command line. */
export async function providerOrganisations(db: Db) {
  return db.selectFrom('organisation').select(['id', 'name']).where('kind', '=', 'provider').orderBy('name').execute();
}

// Erasure ---------------------------------------------------------------------------------------

export async function lockPersonForErasure(db: Db, organisationId: string, personId: string) {
  return db
    .selectFrom('person')
    .select(['id', 'merged_into_id'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', personId)
    .forUpdate()
    .executeTakeFirst();
}

export async function openEpisodeCount(db: Db, organisationId: string, personId: string): Promise<number> {
  const row = await db
    .selectFrom('episode as e')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('e.organisation_id', '=', organisationId)
    .where('e.person_id', '=', personId)
    .where(isOpenEpisode('e'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

interface ForeignKey {
  child_table: string;
  child_column: string;
  parent_column: string;
}

/** Single-column foreign keys that point at `table`, read from the catalogue so that tables added later are covered. */
async function foreignKeysTo(db: Db, table: string): Promise<ForeignKey[]> {
  const result = await sql<ForeignKey>`
    select child.relname as child_table, ca.attname as child_column, pa.attname as parent_column
      from pg_constraint c
      join pg_class child on child.oid = c.conrelid
      join pg_class parent on parent.oid = c.confrelid
      join pg_namespace n on n.oid = parent.relnamespace
      join pg_attribute ca on ca.attrelid = c.conrelid and ca.attnum = c.conkey[1]
      join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
     where c.contype = 'f' and cardinality(c.conkey) = 1 and parent.relname = ${table} and n.nspname = current_schema()
     order by child.relname, ca.attname`.execute(db);
  return result.rows;
}

/**
 * Deletes the rows of `table` whose `column` is one of `values`, after
 * deleting, depth first, every row that refers to them by a foreign key. Used
 * only by erasure, on a person id: it removes the person, any duplicate merged
 * into them, their episodes and everything hanging off those. The caller has
 * checked the person belongs to the organisation; ids are unique across
 * organisations, so what refers to them is theirs. Counts deleted rows per
 * table into `deleted`.
 */
export async function deleteWithDependents(
  db: Db,
  target: { table: string; column: string; values: string[] },
  deleted: Record<string, number>,
  depth = 0,
): Promise<void> {
  if (target.values.length === 0) return;
  if (depth > 12) throw new Error(`Erasure followed foreign keys too deep at ${target.table}`);
  const rows = sql`${sql.ref(target.column)}::text = any(${target.values}::text[])`;
  for (const key of await foreignKeysTo(db, target.table)) {
    const parents = await sql<{ value: string }>`
      select distinct ${sql.ref(key.parent_column)}::text as value from ${sql.table(target.table)} where ${rows}`.execute(db);
    await deleteWithDependents(
      db,
      { table: key.child_table, column: key.child_column, values: parents.rows.map((row) => row.value).filter((value) => value !== null) },
      deleted,
      depth + 1,
    );
  }
  const result = await sql`delete from ${sql.table(target.table)} where ${rows}`.execute(db);
  const count = Number(result.numAffectedRows ?? 0);
  if (count > 0) deleted[target.table] = (deleted[target.table] ?? 0) + count;
}
