import * as audit from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import type { DateFieldError, DateParts } from '../../platform/http/date-input.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { reassignPendingTasks } from '../custody/service.ts';
import { recomputeEpisodes } from '../engagement/service.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import * as queries from './queries.ts';
import { SecondOpenEpisode } from './referrals.ts';
import { optionalText, parseVersion, requiredPastDate, requiredText, StaleEpisode, WORKER_ROLES } from './rules.ts';

/** Changes to an open episode: allocation, exit and reopening, returns to custody. */

/** Locks the episode and checks the version the form was loaded from; NotFound for other organisations. */
async function lockCurrent(trx: Db, principal: Principal, episodeId: string, version: string) {
  const episode = isUuid(episodeId) ? await queries.findEpisode(trx, principal.organisationId, episodeId, { forUpdate: true }) : undefined;
  if (!episode) throw new NotFound();
  if (episode.version !== parseVersion(version)) throw new StaleEpisode(episodeId);
  return episode;
}

async function bump(trx: Db, principal: Principal, episodeId: string, version: number, values: Parameters<typeof queries.updateEpisodeIfCurrent>[4]) {
  const updated = await queries.updateEpisodeIfCurrent(trx, principal.organisationId, episodeId, version, values);
  if (!updated) throw new StaleEpisode(episodeId);
}

/** Users a manager may allocate to: active, in a role that holds a caseload. */
export async function workerChoices(db: Db, principal: Principal) {
  assertCan(principal, 'episodes:allocate');
  const rows = await queries.workers(db, principal.organisationId, WORKER_ROLES);
  return rows.map((row) => ({ value: row.id, text: row.display_name }));
}

export interface AllocationInput {
  workerId: string;
  handoverNote: string;
  version: string;
}

/**
 * Makes a worker the key worker: ends the current allocation, starts a new
 * one and points the episode at it. A handover note is required whenever
 * someone held the episode before, so the next worker knows where things are.
 * The episode's pending tasks move to the new worker with it.
 */
export async function allocate(db: Db, principal: Principal, episodeId: string, input: AllocationInput): Promise<void> {
  assertCan(principal, 'episodes:allocate');
  await inTransaction(db, async (trx) => {
    const episode = await lockCurrent(trx, principal, episodeId, input.version);
    const errors: DateFieldError[] = [];
    const choices = await workerChoices(trx, principal);
    if (!choices.some((choice) => choice.value === input.workerId)) errors.push({ field: 'workerId', text: 'Select who will be the key worker' });
    else if (input.workerId === episode.key_worker_id) errors.push({ field: 'workerId', text: 'Select someone other than the current key worker' });
    const note = episode.key_worker_id
      ? requiredText(input.handoverNote, 'handoverNote', 'Enter a handover note for the new key worker', 4000, errors)
      : optionalText(input.handoverNote, 'handoverNote', 'Handover note', 4000, errors);
    if (errors.length > 0) throw new ValidationFailed(errors);
    await queries.endCurrentAllocation(trx, principal.organisationId, episodeId, new Date());
    await queries.insertAllocation(trx, {
      organisation_id: principal.organisationId,
      episode_id: episodeId,
      worker_id: input.workerId,
      allocated_by: principal.userId,
      handover_note: note || null,
    });
    await bump(trx, principal, episodeId, episode.version, { key_worker_id: input.workerId });
    const tasksMoved = await reassignPendingTasks(trx, principal.organisationId, episodeId, input.workerId);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'episode.allocated',
      subjectType: 'episode',
      subjectId: episodeId,
      detail: { from: episode.key_worker_id, to: input.workerId, tasksMoved },
    });
  });
}

export interface ExitInput {
  reasonCode: string;
  note: string;
  exitedOn: DateParts;
  version: string;
}

/** Checks an exit before the confirmation page; returns the values to carry through it. */
export async function checkExit(db: Db, principal: Principal, episodeId: string, input: ExitInput) {
  assertCan(principal, 'people:edit');
  const episode = isUuid(episodeId) ? await queries.findEpisode(db, principal.organisationId, episodeId) : undefined;
  if (!episode) throw new NotFound();
  const reference = await loadReferenceData(db, principal.organisationId, ['exit_reason']);
  const errors: DateFieldError[] = [];
  if (episode.exited_on) errors.push({ field: 'reasonCode', text: 'This episode has already been closed' });
  if (!input.reasonCode) errors.push({ field: 'reasonCode', text: 'Select why support is ending' });
  else reference.check('exit_reason', input.reasonCode, 'reasonCode', errors, 'Select an exit reason from the list');
  const note = optionalText(input.note, 'note', 'Note', 4000, errors);
  const exitedOn = requiredPastDate(input.exitedOn, 'Exit date', 'exitedOn', errors, {
    date: episode.referred_on,
    text: 'Exit date must be on or after the date the referral was received',
  });
  if (errors.length > 0) throw new ValidationFailed(errors);
  return { reasonCode: input.reasonCode, reasonLabel: reference.label('exit_reason', input.reasonCode), note, exitedOn: exitedOn as string };
}

/** Closes the episode with a reason and date; the stage becomes exited. */
export async function exitEpisode(db: Db, principal: Principal, episodeId: string, input: ExitInput): Promise<void> {
  const checked = await checkExit(db, principal, episodeId, input);
  await inTransaction(db, async (trx) => {
    const episode = await lockCurrent(trx, principal, episodeId, input.version);
    await bump(trx, principal, episodeId, episode.version, {
      exited_on: checked.exitedOn,
      exit_reason_code: checked.reasonCode,
      exit_note: checked.note,
    });
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'episode.exited',
      subjectType: 'episode',
      subjectId: episodeId,
      detail: { reasonCode: checked.reasonCode, exitedOn: checked.exitedOn },
    });
    await recomputeEpisodes(trx, principal.organisationId, [episodeId]);
  });
}

/**
 * Reopens a closed episode: its exit is cleared and the stage recomputed
 * from the records. Refused if the person has since got another open episode.
 */
export async function reopenEpisode(db: Db, principal: Principal, episodeId: string, version: string): Promise<void> {
  assertCan(principal, 'people:edit');
  await inTransaction(db, async (trx) => {
    const found = isUuid(episodeId) ? await queries.findEpisode(trx, principal.organisationId, episodeId) : undefined;
    if (!found) throw new NotFound();
    await queries.lockPersonEpisodes(trx, found.person_id);
    const episode = await lockCurrent(trx, principal, episodeId, version);
    if (!episode.exited_on) throw new ValidationFailed([{ field: 'reopen', text: 'This episode is already open' }]);
    const other = await queries.openEpisodeFor(trx, principal.organisationId, episode.person_id, episodeId);
    if (other) throw new SecondOpenEpisode(other.id);
    await bump(trx, principal, episodeId, episode.version, { exited_on: null, exit_reason_code: null, exit_note: null });
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'episode.reopened',
      subjectType: 'episode',
      subjectId: episodeId,
      detail: { previousExitReason: episode.exit_reason_code, previousExitedOn: episode.exited_on },
    });
    await recomputeEpisodes(trx, principal.organisationId, [episodeId]);
  });
}

export const CUSTODY_EVENT_LISTS = ['custody_event_kind', 'custody_event_reason'] as const;

export interface CustodyEventInput {
  kindCode: string;
  reasonCode: string;
  occurredOn: DateParts;
  note: string;
}

/** Records a recall, remand or new sentence, with its reason and date (not before the referral). */
export async function recordCustodyEvent(db: Db, principal: Principal, episodeId: string, input: CustodyEventInput) {
  assertCan(principal, 'people:edit');
  return inTransaction(db, async (trx) => {
    const episode = isUuid(episodeId) ? await queries.findEpisode(trx, principal.organisationId, episodeId) : undefined;
    if (!episode) throw new NotFound();
    const reference = await loadReferenceData(trx, principal.organisationId, CUSTODY_EVENT_LISTS);
    const errors: DateFieldError[] = [];
    if (!input.kindCode) errors.push({ field: 'kindCode', text: 'Select what happened' });
    else reference.check('custody_event_kind', input.kindCode, 'kindCode', errors, 'Select what happened from the list');
    if (!input.reasonCode) errors.push({ field: 'reasonCode', text: 'Select the reason' });
    else reference.check('custody_event_reason', input.reasonCode, 'reasonCode', errors, 'Select a reason from the list');
    const occurredOn = requiredPastDate(input.occurredOn, 'Date', 'occurredOn', errors, {
      date: episode.referred_on,
      text: 'Date must be on or after the date the referral was received',
    });
    const note = optionalText(input.note, 'note', 'Note', 4000, errors);
    if (errors.length > 0) throw new ValidationFailed(errors);
    const row = await queries.insertCustodyEvent(trx, {
      organisation_id: principal.organisationId,
      episode_id: episodeId,
      kind_code: input.kindCode,
      reason_code: input.reasonCode,
      occurred_on: occurredOn as string,
      note,
      recorded_by: principal.userId,
    });
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'custody-event.recorded',
      subjectType: 'episode',
      subjectId: episodeId,
      detail: { custodyEventId: row.id, kindCode: input.kindCode, reasonCode: input.reasonCode, occurredOn },
    });
    return row;
  });
}
