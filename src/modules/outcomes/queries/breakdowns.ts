import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';
import { type CohortSpec, cohortCte, inOrganisations } from './cohort.ts';

export const BREAKDOWN_DIMENSIONS = ['offence', 'diagnosis', 'source', 'sex', 'age', 'ethnicity', 'prison'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export interface BreakdownCountRow {
  dimension: BreakdownDimension;
  /** null when not recorded. */
  code: string | null;
  referred: number;
  engaged: number;
}

/**
 * The cohort's episodes with the person's details (the person the episode
 * belongs to now, so after a merge the kept record's details) and the age at
 * referral, as a CTE named "described". Needs "cohort".
 */
function describedCte(organisationIds: readonly string[]) {
  return sql`described as (
    select c.episode_id, c.engaged_on is not null as engaged, c.source_code, c.prison_code,
           p.offence_category_code, p.primary_diagnosis_code, p.sex_code, p.ethnicity_code,
           extract(year from age(c.referred_on, p.date_of_birth))::int as age
      from cohort c
      join person p on p.id = c.person_id and ${inOrganisations('p.organisation_id', organisationIds)}
  )`;
}

const AGE_BAND = sql`case
  when age is null then null
  when age < 18 then 'under_18'
  when age <= 24 then '18_24'
  when age <= 34 then '25_34'
  when age <= 44 then '35_44'
  when age <= 54 then '45_54'
  else '55_plus' end`;

/** Referred and engaged episodes by each breakdown, in one statement. */
export async function breakdownCounts(db: Db, spec: CohortSpec, asAt: string): Promise<BreakdownCountRow[]> {
  const part = (dimension: BreakdownDimension, expression: ReturnType<typeof sql>) => sql`
    select ${dimension}::text as dimension, ${expression} as code, count(*)::int as referred, count(*) filter (where engaged)::int as engaged
      from described group by 2`;
  const result = await sql<BreakdownCountRow>`
    with ${cohortCte(spec, asAt, { prison: true })}, ${describedCte(spec.organisationIds)}
    ${part('offence', sql`offence_category_code`)}
    union all ${part('diagnosis', sql`primary_diagnosis_code`)}
    union all ${part('source', sql`source_code`)}
    union all ${part('sex', sql`sex_code`)}
    union all ${part('age', AGE_BAND)}
    union all ${part('ethnicity', sql`ethnicity_code`)}
    union all ${part('prison', sql`prison_code`)}
  `.execute(db);
  return result.rows.map((row) => ({ ...row, referred: Number(row.referred), engaged: Number(row.engaged) }));
}

export interface AgeSummary {
  people: number;
  mean: number | null;
  youngest: number | null;
  oldest: number | null;
}

/** Age at referral over the referred episodes with a date of birth, and over the engaged ones. */
export async function ageSummary(db: Db, spec: CohortSpec, asAt: string): Promise<{ referred: AgeSummary; engaged: AgeSummary }> {
  const result = await sql<Record<string, number | string | null>>`
    with ${cohortCte(spec, asAt, { prison: true })}, ${describedCte(spec.organisationIds)}
    select count(age)::int as referred_people, avg(age)::float8 as referred_mean, min(age) as referred_youngest, max(age) as referred_oldest,
           count(age) filter (where engaged)::int as engaged_people, (avg(age) filter (where engaged))::float8 as engaged_mean,
           min(age) filter (where engaged) as engaged_youngest, max(age) filter (where engaged) as engaged_oldest
      from described
  `.execute(db);
  const row = result.rows[0];
  const number = (value: number | string | null | undefined) => (value === null || value === undefined ? null : Number(value));
  const summary = (prefix: string): AgeSummary => ({
    people: Number(row[`${prefix}_people`] ?? 0),
    mean: number(row[`${prefix}_mean`]),
    youngest: number(row[`${prefix}_youngest`]),
    oldest: number(row[`${prefix}_oldest`]),
  });
  return { referred: summary('referred'), engaged: summary('engaged') };
}
