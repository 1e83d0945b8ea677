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

export interface AgeSummary {
  people: number;
  mean: number | null;
  youngest: number | null;
  oldest: number | null;
}

/** The age band code of an age at referral; null when the date of birth is not recorded. */
function ageBand(age: number | null): string | null {
  if (age === null) return null;
  if (age < 18) return 'under_18';
  if (age <= 24) return '18_24';
  if (age <= 34) return '25_34';
  if (age <= 44) return '35_44';
  if (age <= 54) return '45_54';
  return '55_plus';
}

function summariseAges(ages: Array<{ age: number; episodes: number }>): AgeSummary {
  const people = ages.reduce((sum, row) => sum + row.episodes, 0);
  if (people === 0) return { people: 0, mean: null, youngest: null, oldest: null };
  const present = ages.filter((row) => row.episodes > 0).map((row) => row.age);
  return {
    people,
    mean: ages.reduce((sum, row) => sum + row.age * row.episodes, 0) / people,
    youngest: Math.min(...present),
    oldest: Math.max(...present),
  };
}

/**
 * Referred and engaged episodes by each breakdown, and the age summary, in
 * one statement: ages are counted year by year, then banded and summarised
 * here, so the cohort is read once for all eight tables.
 */
export async function breakdownCounts(db: Db, spec: CohortSpec, asAt: string): Promise<{ rows: BreakdownCountRow[]; ages: { referred: AgeSummary; engaged: AgeSummary } }> {
  const part = (dimension: string, expression: ReturnType<typeof sql>) => sql`
    select ${dimension}::text as dimension, ${expression} as code, count(*)::int as referred, count(*) filter (where engaged)::int as engaged
      from described group by 2`;
  const result = await sql<{ dimension: BreakdownDimension | 'age_years'; code: string | null; referred: number; engaged: number }>`
    with ${cohortCte(spec, asAt, { prison: true, source: true })}, ${describedCte(spec.organisationIds)}
    ${part('offence', sql`offence_category_code`)}
    union all ${part('diagnosis', sql`primary_diagnosis_code`)}
    union all ${part('source', sql`source_code`)}
    union all ${part('sex', sql`sex_code`)}
    union all ${part('age_years', sql`age::text`)}
    union all ${part('ethnicity', sql`ethnicity_code`)}
    union all ${part('prison', sql`prison_code`)}
  `.execute(db);
  const rows: BreakdownCountRow[] = [];
  const bands = new Map<string | null, BreakdownCountRow>();
  const ages: Array<{ age: number; referred: number; engaged: number }> = [];
  for (const raw of result.rows) {
    const row = { code: raw.code, referred: Number(raw.referred), engaged: Number(raw.engaged) };
    if (raw.dimension !== 'age_years') {
      rows.push({ dimension: raw.dimension, ...row });
      continue;
    }
    const age = row.code === null ? null : Number(row.code);
    if (age !== null) ages.push({ age, referred: row.referred, engaged: row.engaged });
    const band = ageBand(age);
    const total = bands.get(band) ?? { dimension: 'age', code: band, referred: 0, engaged: 0 };
    total.referred += row.referred;
    total.engaged += row.engaged;
    bands.set(band, total);
  }
  rows.push(...bands.values());
  return {
    rows,
    ages: {
      referred: summariseAges(ages.map((row) => ({ age: row.age, episodes: row.referred }))),
      engaged: summariseAges(ages.map((row) => ({ age: row.age, episodes: row.engaged }))),
    },
  };
}
