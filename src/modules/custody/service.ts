import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { Conflict, type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { addDays, type DateValue, dateError, describeSentence, formatDate, isShortSentence, readDate, todayInLondon } from './dates.ts';
import { auditEpisode, episodeOr404 } from './episode-access.ts';
import * as queries from './queries.ts';
import * as taskQueries from './tasks-queries.ts';

export { EXPECTED_RELEASE_KINDS } from './queries.ts';
export * from './custody-details.ts';
export * from './release-plan.ts';
export * from './tasks.ts';
export * from './board.ts';

export const RELEASE_DATE_KINDS = ['conditional_release', 'hdc_eligibility', 'parole_eligibility', 'licence_end'] as const;
export type ReleaseDateKind = (typeof RELEASE_DATE_KINDS)[number];
export type ReleaseDates = Partial<Record<ReleaseDateKind, string | null>>;

const LISTS = ['custody_status', 'prison', 'release_date_kind', 'release_type'] as const;

/** A fingerprint of the dates as shown, so a save over someone else's change is refused (release_date keeps no version). */
function datesToken(rows: ReadonlyArray<{ kind_code: string; on_date: string }>): string {
  return RELEASE_DATE_KINDS.map((kind) => rows.find((row) => row.kind_code === kind)?.on_date ?? '-').join('|');
}

/** Everything the custody page and the API show about an episode's custody and release. */
export async function getCustody(db: Db, principal: Principal, episodeId: string) {
  assertCan(principal, 'people:view');
  return db.transaction().execute(async (trx) => {
    const episode = await episodeOr404(trx, principal, episodeId);
    // One after another: a transaction holds one connection.
    const spell = await queries.currentSpell(trx, principal.organisationId, episode.id);
    const stays = await queries.prisonStays(trx, principal.organisationId, episode.id);
    const dates = await queries.releaseDates(trx, principal.organisationId, episode.id);
    const release = await queries.findRelease(trx, principal.organisationId, episode.id);
    const reference = await loadReferenceData(trx, principal.organisationId, LISTS);
    await auditEpisode(trx, principal, episode.id, 'custody.viewed');
    const expected = dates.filter((row) => (queries.EXPECTED_RELEASE_KINDS as readonly string[]).includes(row.kind_code));
    const sentenceDays = spell?.sentence_length_days ?? null;
    return {
      episodeId: episode.id,
      episodeVersion: episode.version,
      referredOn: episode.referred_on,
      status: spell ? { code: spell.status_code, label: reference.label('custody_status', spell.status_code) } : null,
      spellVersion: spell?.version ?? null,
      sentenceDays,
      sentenceText: sentenceDays === null ? null : describeSentence(sentenceDays),
      shortSentence: isShortSentence(sentenceDays),
      stays: stays.map((stay) => ({
        id: stay.id,
        prisonCode: stay.prison_code,
        prisonLabel: reference.label('prison', stay.prison_code),
        arrivedOn: stay.arrived_on,
        leftOn: stay.left_on,
      })),
      currentStayId: stays.find((stay) => stay.left_on === null)?.id ?? null,
      releaseDates: RELEASE_DATE_KINDS.map((kind) => ({
        kind,
        label: reference.label('release_date_kind', kind),
        onDate: dates.find((row) => row.kind_code === kind)?.on_date ?? null,
      })),
      datesToken: datesToken(dates),
      expectedReleaseOn: expected.map((row) => row.on_date).sort()[0] ?? null,
      release: release
        ? {
            releasedOn: release.released_on,
            typeCode: release.release_type_code,
            typeLabel: reference.label('release_type', release.release_type_code),
            withoutNotice: release.without_notice,
            note: release.note,
            version: release.version,
          }
        : null,
      expectedReleaseArea: episode.expected_release_area,
      releaseAddressStatus: episode.release_address_status,
      releaseAddress: episode.release_address,
      localAuthority: episode.local_authority,
    };
  });
}

export type CustodyView = Awaited<ReturnType<typeof getCustody>>;

/**
 * Sets, changes or clears release dates. A kind left out is untouched; null
 * (or a blank form date) removes it. release_date keeps only the current
 * value, so the audit row keeps the old and new of each change. `token`, when
 * given, is the fingerprint of the dates the form showed.
 */
export async function saveReleaseDates(
  db: Db,
  principal: Principal,
  episodeId: string,
  input: Partial<Record<ReleaseDateKind, DateValue>>,
  token: string | null,
) {
  assertCan(principal, 'people:edit');
  const errors: FieldError[] = [];
  const reference = await loadReferenceData(db, principal.organisationId, ['release_date_kind']);
  const wanted: ReleaseDates = {};
  for (const kind of RELEASE_DATE_KINDS) {
    if (!(kind in input)) continue;
    wanted[kind] = readDate(input[kind], reference.label('release_date_kind', kind), kind, errors) ?? null;
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  return db.transaction().execute(async (trx) => {
    const episode = await episodeOr404(trx, principal, episodeId, { forUpdate: true });
    const current = await queries.releaseDates(trx, principal.organisationId, episode.id);
    if (token !== null && token !== datesToken(current)) throw new Conflict('The release dates were changed by someone else. Check them and try again.');
    const changes: Array<{ kind: string; from: string | null; to: string | null }> = [];
    for (const kind of RELEASE_DATE_KINDS) {
      if (!(kind in wanted)) continue;
      const from = current.find((row) => row.kind_code === kind)?.on_date ?? null;
      const to = wanted[kind] ?? null;
      if (from === to) continue;
      if (to === null) await queries.deleteReleaseDate(trx, principal.organisationId, episode.id, kind);
      else await queries.setReleaseDate(trx, principal.organisationId, episode.id, kind, to);
      changes.push({ kind, from, to });
    }
    if (changes.length === 0) return { changes };
    const tasks = await rescheduleReleaseTasks(trx, principal.organisationId, episode.id);
    await auditEpisode(trx, principal, episode.id, 'release_dates.changed', { changes, tasks });
    return { changes };
  });
}

export interface ReleaseInput {
  releasedOn: DateValue;
  typeCode: string;
  withoutNotice: boolean;
  note: string;
  /** The version of the release the form showed; null when it showed none. */
  version: number | null;
}

/**
 * Records the actual release (one per episode; a second save edits it). It
 * closes the open prison stay on that day, and re-anchors the release
 * schedule on the actual date, all in one transaction.
 */
export async function recordRelease(db: Db, principal: Principal, episodeId: string, input: ReleaseInput) {
  assertCan(principal, 'people:edit');
  const reference = await loadReferenceData(db, principal.organisationId, ['release_type', 'prison']);
  return db.transaction().execute(async (trx) => {
    const episode = await episodeOr404(trx, principal, episodeId, { forUpdate: true });
    const errors: FieldError[] = [];
    const releasedOn = readDate(input.releasedOn, 'Release date', 'releasedOn', errors);
    const hadDateError = errors.length > 0;
    const dateProblem = (text: string) => dateError(input.releasedOn, 'releasedOn', text);
    if (!releasedOn && !hadDateError) errors.push(dateProblem('Enter the release date'));
    if (releasedOn && releasedOn > todayInLondon()) errors.push(dateProblem('The release date must be today or in the past'));
    else if (releasedOn && releasedOn < episode.referred_on) {
      errors.push(dateProblem(`The release date must be on or after the referral date (${formatDate(episode.referred_on)})`));
    }
    if (!input.typeCode) errors.push({ field: 'typeCode', text: 'Select the type of release' });
    else reference.check('release_type', input.typeCode, 'typeCode', errors, 'Select a type of release from the list');
    const note = input.note.trim();
    if (note.length > 2000) errors.push({ field: 'note', text: 'The note must be 2,000 characters or fewer' });

    const existing = await queries.findRelease(trx, principal.organisationId, episode.id);
    const open = await queries.openStay(trx, principal.organisationId, episode.id);
    const lastClosed = open || !existing ? undefined : await queries.lastClosedStay(trx, principal.organisationId, episode.id);
    // A stay this release closed follows the release date when it is corrected.
    const stayToClose = open ?? (lastClosed && lastClosed.left_on === existing?.released_on ? lastClosed : undefined);
    if (releasedOn && errors.length === 0 && stayToClose?.arrived_on && stayToClose.arrived_on > releasedOn) {
      const prison = reference.label('prison', stayToClose.prison_code);
      errors.push(dateProblem(`The release date must be on or after they arrived at ${prison} (${formatDate(stayToClose.arrived_on)})`));
    }
    if (errors.length > 0 || !releasedOn) throw new ValidationFailed(errors);

    const values = { released_on: releasedOn, release_type_code: input.typeCode, without_notice: input.withoutNotice, note: note || null };
    if (existing) {
      if (input.version === null || !(await queries.updateRelease(trx, principal.organisationId, episode.id, input.version, values))) {
        throw new Conflict('The release was changed by someone else. Check it and try again.');
      }
    } else {
      if (input.version !== null) throw new Conflict('The release was removed by someone else. Check it and try again.');
      await queries.insertRelease(trx, principal.organisationId, episode.id, values);
    }
    if (stayToClose) await queries.setStayLeftOn(trx, principal.organisationId, stayToClose.id, releasedOn);
    const tasks = await rescheduleReleaseTasks(trx, principal.organisationId, episode.id);
    await auditEpisode(trx, principal, episode.id, existing ? 'release.updated' : 'release.recorded', {
      from: existing
        ? { releasedOn: existing.released_on, typeCode: existing.release_type_code, withoutNotice: existing.without_notice }
        : null,
      to: { releasedOn, typeCode: input.typeCode, withoutNotice: input.withoutNotice },
      closedPrisonStay: stayToClose?.id ?? null,
      tasks,
    });
    return { releasedOn, created: !existing };
  });
}

/**
 * The timeline anchored on release. Anchor: the actual release date when one
 * is recorded, else the expected date (earliest of the expected-release
 * kinds). Each schedule item becomes one task for the key worker, due on
 * anchor + offset_days. Pending tasks move with the anchor; completed ones
 * stay; with no anchor, pending scheduled tasks are cancelled. Call it in the
 * same transaction as every change to release dates or the release.
 */
export async function rescheduleReleaseTasks(trx: Db, organisationId: string, episodeId: string) {
  const row = await taskQueries.releaseAnchor(trx, organisationId, episodeId);
  const anchor = row?.released_on ?? row?.expected_on ?? null;
  if (!row || !anchor) {
    const cancelled = await taskQueries.cancelPendingScheduledTasks(trx, organisationId, episodeId);
    return { anchor: null, moved: 0, cancelled: cancelled.length };
  }
  const reference = await loadReferenceData(trx, organisationId, ['release_contact_schedule']);
  const tasks = reference.choices('release_contact_schedule').flatMap((item) => {
    const offset = item.attributes.offset_days;
    // An item without a whole-number offset cannot be placed on the timeline; it is skipped, not guessed.
    return typeof offset === 'number' && Number.isInteger(offset) ? [{ code: item.code, title: item.label, dueOn: addDays(anchor, offset) }] : [];
  });
  const changed = await taskQueries.upsertScheduledTasks(trx, organisationId, episodeId, row.key_worker_id, tasks);
  return { anchor, moved: changed.length, cancelled: 0 };
}
