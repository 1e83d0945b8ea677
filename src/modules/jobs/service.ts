import * as audit from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/permissions.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { counsellingDates } from '../benefits/service.ts';
import { parseVersion } from '../custody/episode-access.ts';
import { recomputeEpisodes } from '../engagement/service.ts';
import { type EpisodeHeader, getEpisodeHeader } from '../episodes/service.ts';
import { loadReferenceData, type ReferenceData } from '../reference-data/service.ts';
import { checkConfirmation, checkEnd, checkJob, JOB_LISTS, type JobEndInput, type JobInput } from './job-checks.ts';
import { type JobView, toView } from './job-view.ts';
import * as queries from './queries.ts';
import { assessCompetitive, checkpointsFor, type Expectation, followAlong, type Weeks } from './rules.ts';

export * from './job-checks.ts';
export * from './job-view.ts';
export { CHECKPOINT_WEEKS, isCheckpointWeeks, type Weeks } from './rules.ts';

/** Whether pages should offer adding and changing jobs; the service checks again on each. */
export function canEdit(principal: Principal): boolean {
  return can(principal.role, 'people:edit');
}

/** The episode a jobs page belongs to: 404 for another organisation's or a malformed id. */
export function episodeFor(db: Db, principal: Principal, episodeId: string): Promise<EpisodeHeader> {
  assertCan(principal, 'people:view');
  return getEpisodeHeader(db, principal, episodeId);
}

/** What the job form offers: the organisation's job types, end reasons and employers. */
export async function formChoices(db: Db, principal: Principal): Promise<{ reference: ReferenceData; employers: Array<{ id: string; name: string }> }> {
  assertCan(principal, 'people:view');
  const reference = await loadReferenceData(db, principal.organisationId, JOB_LISTS);
  return { reference, employers: await queries.employerChoices(db, principal.organisationId) };
}

/** Views of the given job rows with everything derived: competitive explanation, counselling flag, checkpoints, follow-along. */
async function viewsOf(db: Db, organisationId: string, rows: queries.JobRow[], today: string): Promise<JobView[]> {
  if (rows.length === 0) return [];
  const episodeIds = [...new Set(rows.map((row) => row.episode_id))];
  const [reference, rates, births, confirmations, sessions, contacts] = await Promise.all([
    loadReferenceData(db, organisationId, JOB_LISTS),
    queries.wageRates(db),
    queries.datesOfBirth(db, organisationId, episodeIds),
    queries.checkpointsOf(db, organisationId, rows.map((row) => row.id)),
    counsellingDates(db, organisationId, episodeIds),
    inWorkDates(db, organisationId, episodeIds),
  ]);
  const birthOf = new Map(births.map((b) => [b.episode_id, b.date_of_birth]));
  return rows.map((row) =>
    toView(row, reference, {
      rates,
      dateOfBirth: birthOf.get(row.episode_id) ?? null,
      confirmations: confirmations
        .filter((c) => c.job_id === row.id)
        .map((c) => ({ weeks: c.weeks, stillInWork: c.still_in_work, confirmedOn: c.confirmed_on })),
      counsellingDates: sessions.get(row.episode_id) ?? [],
      inWorkContactDates: contacts.get(row.episode_id) ?? [],
      today,
    }),
  );
}

async function inWorkDates(db: Db, organisationId: string, episodeIds: readonly string[]): Promise<Map<string, string[]>> {
  const dates = new Map<string, string[]>(episodeIds.map((id) => [id, []]));
  for (const row of await queries.inWorkContactDates(db, organisationId, episodeIds)) dates.get(row.episode_id)?.push(row.on);
  return dates;
}

/**
 * Follow-along timing of in-work support for each job on the given episodes,
 * against the IPS expectations, for reports as well as the jobs page. The
 * caller has already checked the principal may see these episodes.
 */
export async function followAlongTiming(
  db: Db,
  organisationId: string,
  episodeIds: readonly string[],
  today: string = londonToday(),
): Promise<Map<string, Array<{ jobId: string; startsOn: string; endsOn: string | null; expectations: Expectation[] }>>> {
  const timing = new Map<string, Array<{ jobId: string; startsOn: string; endsOn: string | null; expectations: Expectation[] }>>(episodeIds.map((id) => [id, []]));
  const rows = await queries.listJobs(db, organisationId, episodeIds);
  const contacts = await inWorkDates(db, organisationId, episodeIds);
  for (const row of rows) {
    timing.get(row.episode_id)?.push({
      jobId: row.id,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      expectations: followAlong({ startsOn: row.starts_on, endsOn: row.ends_on }, contacts.get(row.episode_id) ?? [], today),
    });
  }
  return timing;
}

/** An episode's jobs, oldest first, every one kept. Viewing them is audited. */
export async function listJobs(db: Db, principal: Principal, episodeId: string): Promise<{ episode: EpisodeHeader; jobs: JobView[] }> {
  assertCan(principal, 'people:view');
  return inTransaction(db, async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const rows = await queries.listJobs(trx, principal.organisationId, [episode.id]);
    const jobs = await viewsOf(trx, principal.organisationId, rows, londonToday());
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'job.list-viewed',
      subjectType: 'episode',
      subjectId: episode.id,
    });
    return { episode, jobs };
  });
}

async function findRow(db: Db, principal: Principal, episodeId: string, jobId: string, options: { forUpdate?: boolean } = {}) {
  const row = isUuid(episodeId) && isUuid(jobId) ? await queries.findJob(db, principal.organisationId, episodeId, jobId, options) : undefined;
  if (!row) throw new NotFound();
  return row;
}

/** One job of the episode, for its change, end and checkpoint forms. */
export async function getJob(db: Db, principal: Principal, episodeId: string, jobId: string): Promise<{ episode: EpisodeHeader; job: JobView }> {
  assertCan(principal, 'people:view');
  const episode = await getEpisodeHeader(db, principal, episodeId);
  const row = await findRow(db, principal, episode.id, jobId);
  const [job] = await viewsOf(db, principal.organisationId, [row], londonToday());
  return { episode, job };
}

/** Locks the episode for this transaction and returns the person's date of birth; 404 if it is not the organisation's. */
async function lockEpisode(trx: Db, principal: Principal, episodeId: string) {
  const row = isUuid(episodeId) ? await queries.lockEpisode(trx, principal.organisationId, episodeId) : undefined;
  if (!row) throw new NotFound();
  return row;
}

export interface SavedJob {
  jobId: string;
  stage: string;
  inWorkOn: string | null;
}

async function afterWrite(trx: Db, principal: Principal, episodeId: string, jobId: string, action: string, detail: Record<string, unknown>): Promise<SavedJob> {
  const organisationId = principal.organisationId;
  await recomputeEpisodes(trx, organisationId, [episodeId]);
  const { stage, in_work_on } = await queries.episodeStage(trx, organisationId, episodeId);
  await audit.record(trx, { organisationId, actor: actorOf(principal), action, subjectType: 'job', subjectId: jobId, detail: { episodeId, stage, ...detail } });
  return { jobId, stage, inWorkOn: in_work_on };
}

/**
 * Records a job (optionally already ended, from the API). Competitive is
 * worked out here from the pay, the person's age on the start date and the
 * rates, never taken from the caller. The stage is recomputed in the same
 * transaction: the first counted start puts the episode in work.
 */
export async function createJob(db: Db, principal: Principal, episodeId: string, input: JobInput, end?: JobEndInput): Promise<SavedJob> {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  if (!isUuid(episodeId)) throw new NotFound();
  const reference = await loadReferenceData(db, organisationId, JOB_LISTS);
  const rates = await queries.wageRates(db);
  return inTransaction(db, async (trx) => {
    const episode = await lockEpisode(trx, principal, episodeId);
    const today = londonToday();
    const employerKnown = isUuid(input.employerId) && (await queries.employerExists(trx, organisationId, input.employerId));
    const ending = end && input.startsOn ? checkEnd(end, reference, { starts_on: input.startsOn, counted_start_on: null }, today) : undefined;
    const checked = checkJob(input, reference, { employerKnown, today, endsOn: ending?.values?.ends_on ?? null });
    const errors = [...checked.errors, ...(ending?.errors ?? [])];
    if (!checked.values || errors.length > 0) throw new ValidationFailed(errors);
    const assessment = assessCompetitive(
      { openToAnyone: checked.values.open_to_anyone, hourlyPay: checked.values.hourly_pay, startsOn: checked.values.starts_on, dateOfBirth: episode.date_of_birth },
      rates,
    );
    const { id } = await queries.insertJob(trx, {
      ...checked.values,
      ...(ending?.values ?? {}),
      competitive: assessment.competitive,
      minimum_hourly_rate: assessment.minimumHourlyRate,
      organisation_id: organisationId,
      episode_id: episodeId,
      recorded_by: actorOf(principal).userId,
    });
    return afterWrite(trx, principal, episodeId, id, 'job.created', { competitive: assessment.competitive, counted: checked.values.counted_start_on !== null, ended: Boolean(ending) });
  });
}

export type JobOutcome = { outcome: 'saved'; saved: SavedJob } | { outcome: 'conflict'; current: JobView };

/** A job at the version the form was loaded from, locked; a stale version returns what is there now. */
async function currentAtVersion(trx: Db, principal: Principal, episodeId: string, jobId: string, version: string) {
  const episode = await lockEpisode(trx, principal, episodeId);
  const row = await findRow(trx, principal, episodeId, jobId, { forUpdate: true });
  const expected = parseVersion(version);
  if (row.version !== expected) {
    const [current] = await viewsOf(trx, principal.organisationId, [row], londonToday());
    return { episode, row, conflict: current };
  }
  return { episode, row, conflict: undefined };
}

/** Changes a job, only if it is still at the version the form was loaded from; competitive is worked out again. */
export async function updateJob(db: Db, principal: Principal, episodeId: string, jobId: string, input: JobInput & { version: string }): Promise<JobOutcome> {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  const reference = await loadReferenceData(db, organisationId, JOB_LISTS);
  const rates = await queries.wageRates(db);
  return inTransaction(db, async (trx): Promise<JobOutcome> => {
    const { episode, row, conflict } = await currentAtVersion(trx, principal, episodeId, jobId, input.version);
    if (conflict) return { outcome: 'conflict', current: conflict };
    const employerKnown = isUuid(input.employerId) && (await queries.employerExists(trx, organisationId, input.employerId));
    const checked = checkJob(input, reference, { employerKnown, today: londonToday(), endsOn: row.ends_on, keptJobType: row.job_type_code });
    if (!checked.values) throw new ValidationFailed(checked.errors);
    const assessment = assessCompetitive(
      { openToAnyone: checked.values.open_to_anyone, hourlyPay: checked.values.hourly_pay, startsOn: checked.values.starts_on, dateOfBirth: episode.date_of_birth },
      rates,
    );
    const values = { ...checked.values, competitive: assessment.competitive, minimum_hourly_rate: assessment.minimumHourlyRate };
    if (!(await queries.updateJob(trx, organisationId, row.id, row.version, values))) throw new Error('job changed while locked');
    const before: Record<string, unknown> = { ...row, hours_per_week: Number(row.hours_per_week), hourly_pay: Number(row.hourly_pay) };
    const changed = Object.keys(checked.values).filter((key) => before[key] !== (checked.values as unknown as Record<string, unknown>)[key]);
    return { outcome: 'saved', saved: await afterWrite(trx, principal, episodeId, row.id, 'job.updated', { changed, competitive: assessment.competitive }) };
  });
}

/** Records how a job ended; a job may be ended again to correct it. */
export async function endJob(db: Db, principal: Principal, episodeId: string, jobId: string, input: JobEndInput & { version: string }): Promise<JobOutcome> {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  const reference = await loadReferenceData(db, organisationId, JOB_LISTS);
  return inTransaction(db, async (trx): Promise<JobOutcome> => {
    const { row, conflict } = await currentAtVersion(trx, principal, episodeId, jobId, input.version);
    if (conflict) return { outcome: 'conflict', current: conflict };
    const checked = checkEnd(input, reference, row, londonToday());
    if (!checked.values) throw new ValidationFailed(checked.errors);
    if (!(await queries.updateJob(trx, organisationId, row.id, row.version, checked.values))) throw new Error('job changed while locked');
    return {
      outcome: 'saved',
      saved: await afterWrite(trx, principal, episodeId, row.id, 'job.ended', { endsOn: checked.values.ends_on, reason: checked.values.end_reason_code }),
    };
  });
}

/** Confirms a sustainment checkpoint once it is due. */
export async function confirmCheckpoint(
  db: Db,
  principal: Principal,
  episodeId: string,
  jobId: string,
  weeks: Weeks,
  input: { stillInWork: boolean | undefined; confirmedOn: string | undefined; errors?: Array<{ field: string; text: string }> },
): Promise<SavedJob> {
  assertCan(principal, 'people:edit');
  return inTransaction(db, async (trx) => {
    await lockEpisode(trx, principal, episodeId);
    const row = await findRow(trx, principal, episodeId, jobId, { forUpdate: true });
    const today = londonToday();
    const checkpoint = checkpointsFor({ countedStartOn: row.counted_start_on, endsOn: row.ends_on }, [], today).find((c) => c.weeks === weeks)!;
    const checked = checkConfirmation(input, checkpoint, row, today);
    if (!checked.values) throw new ValidationFailed(checked.errors);
    await queries.saveCheckpoint(trx, { organisation_id: principal.organisationId, job_id: row.id, weeks, ...checked.values, confirmed_by: actorOf(principal).userId });
    return afterWrite(trx, principal, episodeId, row.id, 'job.checkpoint-confirmed', { weeks, stillInWork: checked.values.still_in_work });
  });
}
