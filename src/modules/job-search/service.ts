import { createHash } from 'node:crypto';
import * as audit from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { Conflict, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { auditEpisode } from '../custody/episode-access.ts';
import { firstFaceToFaceContacts } from '../employers/service.ts';
import { type EpisodeHeader, getEpisodeHeader } from '../episodes/service.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { ACTIVITY_LISTS, type ActivityInput, checkActivity, daysBetween, KIND_LABELS, toView } from './activity-rules.ts';
import { cleanFileName } from './file-type.ts';
import * as queries from './queries.ts';
import { ACTIVITY_KINDS, type ActivityKind } from './tables.ts';

export * from './activity-rules.ts';

/** IPS rapid job search: the first face-to-face employer contact within 30 days of the episode's start. */
export const RAPID_JOB_SEARCH_DAYS = 30;

export function canEdit(principal: Principal): boolean {
  return can(principal.role, 'people:edit');
}

export interface RapidJobSearch {
  firstEmployerContactOn: string | null;
  /** Days from the episode's start to the first contact, or to today while there is none. */
  days: number | null;
  overdue: boolean;
}

/**
 * Rapid job search for several episodes, counted from each episode's
 * referred_on. The caller has already checked the principal may see them.
 */
export async function rapidJobSearch(
  db: Db,
  organisationId: string,
  episodes: ReadonlyArray<{ id: string; referredOn: string }>,
  today: string,
): Promise<Map<string, RapidJobSearch>> {
  const firsts = await firstFaceToFaceContacts(db, organisationId, episodes.map((episode) => episode.id));
  return new Map(
    episodes.map((episode) => {
      const first = firsts.get(episode.id) ?? null;
      const days = daysBetween(episode.referredOn, first ?? today);
      return [episode.id, { firstEmployerContactOn: first, days, overdue: days > RAPID_JOB_SEARCH_DAYS }];
    }),
  );
}

export type ActivityCounts = Record<ActivityKind, number>;

/** Current (not deleted) activities per kind for each episode; episodes with none count zero everywhere. */
export async function activityCounts(db: Db, organisationId: string, episodeIds: readonly string[]): Promise<Map<string, ActivityCounts>> {
  const zero = () => Object.fromEntries(ACTIVITY_KINDS.map((kind) => [kind, 0])) as ActivityCounts;
  const counts = new Map(episodeIds.map((id) => [id, zero()]));
  if (episodeIds.length === 0) return counts;
  for (const row of await queries.countByKind(db, organisationId, episodeIds)) {
    const entry = counts.get(row.episode_id);
    if (entry) entry[row.kind] = Number(row.n);
  }
  return counts;
}

/** The episode a job search page belongs to: 404 for another organisation's or a malformed id. */
export async function episodeFor(db: Db, principal: Principal, episodeId: string): Promise<EpisodeHeader> {
  assertCan(principal, 'people:view');
  return getEpisodeHeader(db, principal, episodeId);
}

/** The episode's job search: its dates, counts per kind and one page of activities, newest first. Viewing it is audited. */
export async function getJobSearch(
  db: Db,
  principal: Principal,
  episodeId: string,
  options: { kind: ActivityKind | ''; limit: number; offset: number; today?: string },
) {
  assertCan(principal, 'people:view');
  const today = options.today ?? londonToday();
  return db.transaction().execute(async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const organisationId = principal.organisationId;
    const reference = await loadReferenceData(trx, organisationId, ACTIVITY_LISTS);
    const plan = await queries.findPlan(trx, organisationId, episode.id);
    const rapid = (await rapidJobSearch(trx, organisationId, [{ id: episode.id, referredOn: episode.referredOn }], today)).get(episode.id)!;
    const counts = (await activityCounts(trx, organisationId, [episode.id])).get(episode.id)!;
    const { rows, total } = await queries.listActivities(trx, organisationId, episode.id, options);
    await auditEpisode(trx, principal, episode.id, 'job_search.viewed', { kind: options.kind || null, offset: options.offset });
    return {
      episode,
      startedOn: plan?.job_search_started_on ? String(plan.job_search_started_on) : null,
      rapid,
      counts: ACTIVITY_KINDS.map((kind) => ({ kind, label: KIND_LABELS[kind], count: counts[kind] })),
      activities: rows.map((row) => toView(row, reference)),
      total,
    };
  });
}

async function findRow(db: Db, principal: Principal, episodeId: string, activityId: string) {
  const row = isUuid(activityId) ? await queries.findActivity(db, principal.organisationId, episodeId, activityId) : undefined;
  if (!row) throw new NotFound();
  return row;
}

/** One activity of this episode (another episode's is not found). Viewing it is audited. */
export async function getActivity(db: Db, principal: Principal, episodeId: string, activityId: string) {
  assertCan(principal, 'people:view');
  return db.transaction().execute(async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const row = await findRow(trx, principal, episode.id, activityId);
    const reference = await loadReferenceData(trx, principal.organisationId, ACTIVITY_LISTS);
    await auditEpisode(trx, principal, episode.id, 'job_search.activity_viewed', { activityId: row.id });
    return { episode, activity: toView(row, reference) };
  });
}

/** What the form offers: the outcomes and the organisation's employers. */
export async function formChoices(db: Db, principal: Principal) {
  assertCan(principal, 'people:edit');
  const reference = await loadReferenceData(db, principal.organisationId, ACTIVITY_LISTS);
  const employers = await queries.employerChoices(db, principal.organisationId);
  return { reference, employers };
}

/**
 * Records an activity, with its CV (if any) stored in the same transaction,
 * so a refused upload leaves neither a file nor an activity.
 */
export async function createActivity(db: Db, principal: Principal, episodeId: string, input: ActivityInput, today = londonToday()): Promise<string> {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  return db.transaction().execute(async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const reference = await loadReferenceData(trx, organisationId, ACTIVITY_LISTS);
    const employerKnown = isUuid(input.employerId) && (await queries.employerExists(trx, organisationId, input.employerId));
    const { values, errors } = checkActivity(input, reference, employerKnown, today);
    if (!values) throw new ValidationFailed(errors);
    const actor = actorOf(principal);
    const { file, ...activity } = values;
    const sha256 = file ? createHash('sha256').update(file.content).digest('hex') : null;
    let fileId: string | null = null;
    if (file && sha256) {
      fileId = await queries.insertFile(trx, {
        organisation_id: organisationId,
        person_id: episode.personId,
        file_name: cleanFileName(file.fileName),
        content_type: file.type.contentType,
        size_bytes: file.content.length,
        sha256,
        content: file.content,
        uploaded_by: actor.userId,
      });
    }
    const id = await queries.insertActivity(trx, { ...activity, organisation_id: organisationId, episode_id: episode.id, file_id: fileId, recorded_by: actor.userId });
    // The note is case detail: the audit names what was recorded, not what it says.
    await auditEpisode(trx, principal, episode.id, 'job_search.activity_created', {
      activityId: id,
      kind: activity.kind,
      occurredOn: activity.occurred_on,
      employerId: activity.employer_id,
      outcome: activity.outcome_code,
      fileId,
      fileSha256: sha256,
    });
    return id;
  });
}

/** An activity to delete: this episode's and the organisation's. */
export async function getActivityToDelete(db: Db, principal: Principal, episodeId: string, activityId: string) {
  assertCan(principal, 'people:edit');
  const episode = await getEpisodeHeader(db, principal, episodeId);
  const row = await findRow(db, principal, episode.id, activityId);
  const reference = await loadReferenceData(db, principal.organisationId, ACTIVITY_LISTS);
  return { episode, activity: toView(row, reference) };
}

/** Soft-deletes an activity; deleting it twice changes nothing. Its CV stays, as the person's file. */
export async function deleteActivity(db: Db, principal: Principal, episodeId: string, activityId: string): Promise<boolean> {
  assertCan(principal, 'people:edit');
  return db.transaction().execute(async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const row = await findRow(trx, principal, episode.id, activityId);
    if (!(await queries.softDeleteActivity(trx, principal.organisationId, row.id))) return false;
    await auditEpisode(trx, principal, episode.id, 'job_search.activity_deleted', { activityId: row.id, kind: row.kind });
    return true;
  });
}

export interface JobSearchDates {
  startedOn: string | null;
  version: number | null;
}

/** The job search dates with rapid job search, for the dates form and the API. */
export async function getDates(db: Db, principal: Principal, episodeId: string, today = londonToday()) {
  assertCan(principal, 'people:view');
  const episode = await getEpisodeHeader(db, principal, episodeId);
  const plan = await queries.findPlan(db, principal.organisationId, episode.id);
  const rapid = (await rapidJobSearch(db, principal.organisationId, [{ id: episode.id, referredOn: episode.referredOn }], today)).get(episode.id)!;
  return { episode, rapid, startedOn: plan?.job_search_started_on ? String(plan.job_search_started_on) : null, version: plan?.version ?? null };
}

/**
 * Saves when the job search started. The first save creates the plan (no
 * version given); later saves must give the version they started from, and a
 * stale one overwrites nothing (409).
 */
export async function saveDates(
  db: Db,
  principal: Principal,
  episodeId: string,
  input: { startedOn: string | null; version: number | null; errors?: Array<{ field: string; text: string }> },
  today = londonToday(),
): Promise<JobSearchDates> {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  return db.transaction().execute(async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const errors = [...(input.errors ?? [])];
    if (input.startedOn && input.startedOn > today) errors.push({ field: 'startedOn', text: 'The date the job search started must be today or in the past' });
    if (errors.length > 0) throw new ValidationFailed(errors);
    const stale = () => new Conflict('The job search dates were changed by someone else. Check them and try again.');
    const existing = await queries.findPlan(trx, organisationId, episode.id);
    if (existing) {
      if (input.version === null || !(await queries.updatePlan(trx, organisationId, episode.id, input.version, input.startedOn))) throw stale();
    } else {
      if (input.version !== null) throw stale();
      await queries.insertPlan(trx, organisationId, episode.id, input.startedOn);
    }
    await auditEpisode(trx, principal, episode.id, 'job_search.dates_saved', { startedOn: input.startedOn });
    const saved = await queries.findPlan(trx, organisationId, episode.id);
    return { startedOn: saved?.job_search_started_on ? String(saved.job_search_started_on) : null, version: saved?.version ?? null };
  });
}

/** A stored file to download: the organisation's only. Downloading it is audited as a view of the person. */
export async function downloadFile(db: Db, principal: Principal, fileId: string) {
  assertCan(principal, 'people:view');
  if (!isUuid(fileId)) throw new NotFound();
  return db.transaction().execute(async (trx) => {
    const file = await queries.findFile(trx, principal.organisationId, fileId);
    if (!file) throw new NotFound();
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'file.downloaded',
      subjectType: 'person',
      subjectId: file.person_id,
      detail: { fileId: file.id, fileName: file.file_name },
    });
    return { fileName: file.file_name, contentType: file.content_type, content: file.content };
  });
}
