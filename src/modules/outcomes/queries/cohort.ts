import { type RawBuilder, sql } from 'kysely';

/**
 * Which episodes a report counts, as one CTE named "cohort" that every report
 * query starts from, so the funnel, the breakdowns, the IPS measures and the
 * employment hooks all count the same episodes. Read-only: the modules that
 * own these tables keep their rules.
 */
export interface CohortSpec {
  /** Always given: the organisations whose records the caller may count (one for a provider, a commission's providers for a commissioner). */
  organisationIds: readonly string[];
  /** Referral dates, inclusive. Left out for period activity, which counts events whatever the referral date. */
  referredFrom?: string;
  referredTo?: string;
  teamId?: string;
  prisonCode?: string;
  sourceCode?: string;
  /** Hand-picked episodes, for tests of a single measure. */
  episodeIds?: readonly string[];
}

/** `column = any(organisations)`: the tenancy condition every report query applies to every table it reads. */
export function inOrganisations(column: string, organisationIds: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} = any(${sql.val([...organisationIds])}::uuid[])`;
}

/** A stage date as it stood on asAt: null when it had not happened yet. */
function asAtDate(column: string, asAt: string): RawBuilder<string | null> {
  return sql<string | null>`case when ${sql.ref(column)} <= ${asAt}::date then ${sql.ref(column)} end`;
}

/**
 * Each episode's latest prison stay, as one pass over the organisations' stays that the planner can hash-join:
 * a lateral lookup per episode costs a subplan per row, and at 100,000 episodes its estimate alone switched on JIT compilation (about 2 s).
 */
function latestPrisonJoin(organisationIds: readonly string[]): RawBuilder<unknown> {
  return sql`left join (
        select distinct on (s.episode_id) s.episode_id, s.organisation_id, s.prison_code from prison_stay s
         where ${inOrganisations('s.organisation_id', organisationIds)}
         order by s.episode_id, s.arrived_on desc nulls last, s.id desc
      ) ps on ps.organisation_id = e.organisation_id and ps.episode_id = e.id`;
}

/**
 * The CTE "cohort": one row per episode referred by asAt (and within the
 * referral period, when given) in the given organisations, narrowed by team,
 * prison and referral source. Its columns:
 *   episode_id, organisation_id, person_id, team_id, referred_on,
 *   released_on (the release recorded by asAt; null unless options.release),
 *   prison_code (the prison of the episode's latest prison stay; null unless
 *   options.prison or a prison filter asks for it), source_code (the
 *   referral's source; null unless options.source or a source filter),
 *   met_in_custody_on, seen_in_community_on, engaged_on, in_work_on,
 *   exited_on, exit_reason_code: the derived stage dates as they stood on
 *   asAt, null when later than asAt.
 */
export function cohortCte(spec: CohortSpec, asAt: string, options: { prison?: boolean; release?: boolean; source?: boolean } = {}): RawBuilder<unknown> {
  // Each joined table costs a pass over it per statement, so only what a statement reads or filters on is joined:
  // finding each episode's latest prison reads every prison stay.
  const prison = options.prison === true || Boolean(spec.prisonCode);
  const source = options.source === true || Boolean(spec.sourceCode);
  const release = options.release === true;
  const where: RawBuilder<unknown>[] = [inOrganisations('e.organisation_id', spec.organisationIds), sql`e.referred_on <= ${asAt}::date`];
  if (spec.referredFrom) where.push(sql`e.referred_on >= ${spec.referredFrom}::date`);
  if (spec.referredTo) where.push(sql`e.referred_on <= ${spec.referredTo}::date`);
  if (spec.teamId) where.push(sql`e.team_id = ${spec.teamId}`);
  if (spec.sourceCode) where.push(sql`r.source_code = ${spec.sourceCode}`);
  if (spec.prisonCode) where.push(sql`ps.prison_code = ${spec.prisonCode}`);
  if (spec.episodeIds) where.push(sql`e.id = any(${sql.val([...spec.episodeIds])}::uuid[])`);
  return sql`cohort as (
    select e.id as episode_id, e.organisation_id, e.person_id, e.team_id, e.referred_on,
           ${release ? sql`rel.released_on` : sql`null::date`} as released_on,
           ${prison ? sql`ps.prison_code` : sql`null::text`} as prison_code,
           ${source ? sql`r.source_code` : sql`null::text`} as source_code,
           ${asAtDate('e.met_in_custody_on', asAt)} as met_in_custody_on,
           ${asAtDate('e.seen_in_community_on', asAt)} as seen_in_community_on,
           ${asAtDate('e.engaged_on', asAt)} as engaged_on,
           ${asAtDate('e.in_work_on', asAt)} as in_work_on,
           ${asAtDate('e.exited_on', asAt)} as exited_on,
           case when e.exited_on <= ${asAt}::date then e.exit_reason_code end as exit_reason_code
      from episode e
      ${source ? sql`left join referral r on r.organisation_id = e.organisation_id and r.episode_id = e.id` : sql``}
      ${release ? sql`left join release rel on rel.organisation_id = e.organisation_id and rel.episode_id = e.id and rel.released_on <= ${asAt}::date` : sql``}
      ${prison ? latestPrisonJoin(spec.organisationIds) : sql``}
     where ${sql.join(where, sql` and `)}
  )`;
}
