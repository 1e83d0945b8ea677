import * as audit from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { STAGE_LABELS } from '../engagement/service.ts';
import { getPersonSummary } from '../people/service.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { toEpisodePage, VIEW_LISTS } from './episode-view.ts';
import * as queries from './queries.ts';
import type { Stage } from './tables.ts';

/**
 * Episodes of support and the referrals that open them. Other modules reach
 * this one only through this file; the rules live in the files it re-exports.
 */
export { allocate, CUSTODY_EVENT_LISTS, checkExit, exitEpisode, recordCustodyEvent, reopenEpisode, workerChoices } from './changes.ts';
export type { AllocationInput, CustodyEventInput, ExitInput } from './changes.ts';
export type { EpisodePage } from './episode-view.ts';
export { createReferralFromApi, submitIntake } from './intake.ts';
export type { ApiReferral, IntakeForm } from './intake.ts';
export * as journey from './journey.ts';
export { checkDecision, decideReferral, listPendingReferrals, openEpisodeInto, SecondOpenEpisode } from './referrals.ts';
export type { Decision, DecisionInput, NewReferral } from './referrals.ts';
export { StaleEpisode } from './rules.ts';
/** SQL condition for an open episode (not exited, referral not declined or withdrawn), for other modules' read queries. */
export { isOpenEpisode } from './queries.ts';

export type ReferralStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};

export interface EpisodeSummary {
  id: string;
  referredOn: string;
  stage: Stage;
  stageLabel: string;
  exitedOn: string | null;
  exitReasonLabel: string | null;
  keyWorkerName: string | null;
  referralStatus: ReferralStatus | null;
}

/** A person's episodes of support, newest first, for the person page. */
/** `personFound`: the caller has already found the person in the principal's organisation (the person page), so it is not looked up again. */
export async function listEpisodesForPerson(db: Db, principal: Principal, personId: string, options: { personFound?: boolean } = {}): Promise<EpisodeSummary[]> {
  assertCan(principal, 'people:view');
  if (!options.personFound) await getPersonSummary(db, principal, personId); // another organisation's person is not found
  const [rows, reference] = await Promise.all([
    queries.episodesForPerson(db, principal.organisationId, personId),
    loadReferenceData(db, principal.organisationId, ['exit_reason']),
  ]);
  return rows.map((row) => ({
    id: row.id,
    referredOn: row.referred_on,
    stage: row.stage,
    stageLabel: STAGE_LABELS[row.stage],
    exitedOn: row.exited_on,
    exitReasonLabel: row.exit_reason_code ? reference.label('exit_reason', row.exit_reason_code) : null,
    keyWorkerName: row.key_worker_name,
    referralStatus: row.referral_status,
  }));
}

export interface EpisodeHeader {
  id: string;
  personId: string;
  personName: string;
  referredOn: string;
  stage: Stage;
  stageLabel: string;
  exitedOn: string | null;
  keyWorkerId: string | null;
  keyWorkerName: string | null;
  version: number;
}

/** The episode with its person's name, stage and key worker: for page headers in contacts and custody. */
export async function getEpisodeHeader(db: Db, principal: Principal, episodeId: string): Promise<EpisodeHeader> {
  assertCan(principal, 'people:view');
  const row = await findEpisodeRow(db, principal, episodeId);
  return {
    id: row.id,
    personId: row.person_id,
    personName: personName(row),
    referredOn: row.referred_on,
    stage: row.stage,
    stageLabel: STAGE_LABELS[row.stage],
    exitedOn: row.exited_on,
    keyWorkerId: row.key_worker_id,
    keyWorkerName: row.key_worker_name,
    version: row.version,
  };
}

async function findEpisodeRow(db: Db, principal: Principal, episodeId: string, options: { forUpdate?: boolean } = {}) {
  // Another organisation's episode and a malformed id look the same from outside.
  const row = isUuid(episodeId) ? await queries.findEpisode(db, principal.organisationId, episodeId, options) : undefined;
  if (!row) throw new NotFound();
  return row;
}

function personName(row: { given_name: string; family_name: string; preferred_name: string | null }): string {
  return `${row.preferred_name || row.given_name} ${row.family_name}`;
}

/**
 * Everything the episode page shows, and the audit row for having seen it.
 * The audit row commits with the read, so a page view is never unrecorded.
 */
export async function viewEpisode(db: Db, principal: Principal, episodeId: string) {
  assertCan(principal, 'people:view');
  return inTransaction(db, async (trx) => {
    const row = await findEpisodeRow(trx, principal, episodeId);
    const organisationId = principal.organisationId;
    // One after another: a transaction holds a single connection.
    const person = await getPersonSummary(trx, principal, row.person_id);
    const referral = await queries.findReferral(trx, organisationId, row.id);
    const allocations = await queries.allocationHistory(trx, organisationId, row.id);
    const events = await queries.custodyEvents(trx, organisationId, row.id);
    const reference = await loadReferenceData(trx, organisationId, VIEW_LISTS);
    await audit.record(trx, {
      organisationId,
      actor: actorOf(principal),
      action: 'episode.viewed',
      subjectType: 'episode',
      subjectId: row.id,
      detail: { personId: row.person_id },
    });
    return toEpisodePage(row, person, referral, allocations, events, reference);
  });
}

/** The referral's version, for the decision forms' optimistic-concurrency field. */
export async function viewReferralVersion(db: Db, principal: Principal, episodeId: string): Promise<number | undefined> {
  assertCan(principal, 'referrals:decide');
  const row = await findEpisodeRow(db, principal, episodeId);
  return (await queries.findReferral(db, principal.organisationId, row.id))?.version;
}

/** An episode for partner systems: status and stage with dates. Audited like a page view. */
export async function getEpisodeForApi(db: Db, principal: Principal, episodeId: string) {
  assertCan(principal, 'people:view');
  return inTransaction(db, async (trx) => {
    const row = await findEpisodeRow(trx, principal, episodeId);
    const referral = await queries.findReferral(trx, principal.organisationId, row.id);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'episode.viewed',
      subjectType: 'episode',
      subjectId: row.id,
      detail: { personId: row.person_id, via: 'api' },
    });
    return {
      id: row.id,
      personId: row.person_id,
      referralStatus: referral?.status ?? null,
      stage: row.stage,
      stageDates: {
        referred: row.referred_on,
        metInCustody: row.met_in_custody_on,
        seenInCommunity: row.seen_in_community_on,
        engaged: row.engaged_on,
        inWork: row.in_work_on,
        exited: row.exited_on,
      },
      exitReasonCode: row.exit_reason_code,
      keyWorkerId: row.key_worker_id,
      keyWorkerName: row.key_worker_name,
      version: row.version,
      referralVersion: referral?.version ?? null,
    };
  });
}
