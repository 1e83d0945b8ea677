import * as audit from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { recomputeEpisodes } from '../engagement/service.ts';
import { type EpisodeHeader, getEpisodeHeader } from '../episodes/service.ts';
import type { Stage } from '../episodes/tables.ts';
import { loadReferenceData, type ReferenceData } from '../reference-data/service.ts';
import {
  CONTACT_LISTS,
  type ContactInput,
  type ContactView,
  checkContact,
  MAX_REASON_LENGTH,
  revisionOf,
  revisionSummary,
  toView,
} from './contact-view.ts';
import * as queries from './queries.ts';

/** Labels, checks and the contact view model live in contact-view.ts; callers reach them through this service. */
export * from './contact-view.ts';

/** Whether pages should offer adding, changing and deleting contacts; the service checks again on each. */
export function canEdit(principal: Principal): boolean {
  return can(principal.role, 'people:edit');
}

/** The reference lists a contact form offers, for one organisation. */
export async function contactReferenceData(db: Db, principal: Principal): Promise<ReferenceData> {
  assertCan(principal, 'people:view');
  return loadReferenceData(db, principal.organisationId, CONTACT_LISTS);
}

/** The episode a contact page belongs to: 404 for another organisation's or a malformed id. */
export async function episodeFor(db: Db, principal: Principal, episodeId: string): Promise<EpisodeHeader> {
  assertCan(principal, 'people:view');
  return getEpisodeHeader(db, principal, episodeId);
}

/** An episode's contacts, newest first; deleted ones only when asked for. Viewing them is audited. */
export async function listContacts(
  db: Db,
  principal: Principal,
  episodeId: string,
  options: { includeDeleted: boolean; limit: number; offset: number },
) {
  assertCan(principal, 'people:view');
  return db.transaction().execute(async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const reference = await loadReferenceData(trx, principal.organisationId, CONTACT_LISTS);
    const { rows, total } = await queries.listContacts(trx, principal.organisationId, episode.id, options);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'contact.list-viewed',
      subjectType: 'episode',
      subjectId: episode.id,
      detail: { includeDeleted: options.includeDeleted, offset: options.offset },
    });
    return { episode, contacts: rows.map((row) => toView(row, reference)), total };
  });
}

async function findRow(db: Db, principal: Principal, episodeId: string, contactId: string, options: { forUpdate?: boolean } = {}) {
  const row = isUuid(episodeId) && isUuid(contactId)
    ? await queries.findContact(db, principal.organisationId, episodeId, contactId, options)
    : undefined;
  if (!row) throw new NotFound();
  return row;
}

/** Locks the episode for this transaction (see queries.lockEpisode); 404 if it is not the organisation's. */
async function lockEpisode(trx: Db, principal: Principal, episodeId: string): Promise<void> {
  if (!(isUuid(episodeId) && (await queries.lockEpisode(trx, principal.organisationId, episodeId)))) throw new NotFound();
}

/** One contact with its earlier versions, for the contact page. Viewing it is audited. */
export async function getContact(db: Db, principal: Principal, episodeId: string, contactId: string) {
  assertCan(principal, 'people:view');
  return db.transaction().execute(async (trx) => {
    const episode = await getEpisodeHeader(trx, principal, episodeId);
    const row = await findRow(trx, principal, episode.id, contactId);
    const reference = await loadReferenceData(trx, principal.organisationId, CONTACT_LISTS);
    const revisions = await queries.listRevisions(trx, principal.organisationId, row.id);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'contact.viewed',
      subjectType: 'contact',
      subjectId: row.id,
    });
    return {
      episode,
      contact: toView(row, reference),
      revisions: revisions.map((revision) => ({
        id: revision.id,
        revisedAt: revision.revised_at,
        revisedByName: revision.revised_by_name,
        ...revisionSummary(revision.previous, reference),
      })),
    };
  });
}

/** A contact to edit or delete: the organisation's, on this episode, not deleted. */
export async function getEditableContact(db: Db, principal: Principal, episodeId: string, contactId: string) {
  assertCan(principal, 'people:edit');
  const episode = await getEpisodeHeader(db, principal, episodeId);
  const row = await findRow(db, principal, episode.id, contactId);
  if (row.deleted_at) throw new NotFound('This contact has been deleted.');
  const reference = await loadReferenceData(db, principal.organisationId, CONTACT_LISTS);
  return { episode, contact: toView(row, reference) };
}

export interface SavedContact {
  contactId: string;
  stage: Stage;
}

/**
 * Records a contact and recomputes the episode's stage in the same
 * transaction, with the episode locked so contacts saved at once are counted
 * one after the other.
 */
export async function createContact(db: Db, principal: Principal, episodeId: string, input: ContactInput): Promise<SavedContact> {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  if (!isUuid(episodeId)) throw new NotFound();
  const reference = await loadReferenceData(db, organisationId, CONTACT_LISTS);
  return db.transaction().execute(async (trx) => {
    await lockEpisode(trx, principal, episodeId);
    const { values, errors } = checkContact(input, reference, new Date());
    if (!values) throw new ValidationFailed(errors);
    const actor = actorOf(principal);
    const { id } = await queries.insertContact(trx, { ...values, organisation_id: organisationId, episode_id: episodeId, recorded_by: actor.userId });
    await recomputeEpisodes(trx, organisationId, [episodeId]);
    const stage = await queries.episodeStage(trx, organisationId, episodeId);
    await audit.record(trx, {
      organisationId,
      actor,
      action: 'contact.created',
      subjectType: 'contact',
      subjectId: id,
      detail: { episodeId, type: values.type_code, setting: values.setting_code, with: values.with_code, attended: values.attended, stage },
    });
    return { contactId: id, stage };
  });
}

export type UpdateOutcome = { outcome: 'saved'; stage: SavedContact['stage'] } | { outcome: 'conflict'; current: ContactView };

/**
 * Changes a contact, only if it is still at the version the form was loaded
 * from. The previous values go to contact_revision first, so editing keeps
 * history. A stale version overwrites nothing and returns what is there now.
 */
export async function updateContact(
  db: Db,
  principal: Principal,
  episodeId: string,
  contactId: string,
  input: ContactInput & { version: string },
): Promise<UpdateOutcome> {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  const version = /^\d{1,9}$/.test(input.version) ? Number(input.version) : -1;
  const reference = await loadReferenceData(db, organisationId, CONTACT_LISTS);
  return db.transaction().execute(async (trx): Promise<UpdateOutcome> => {
    await lockEpisode(trx, principal, episodeId);
    const current = await findRow(trx, principal, episodeId, contactId, { forUpdate: true });
    if (current.version !== version) return { outcome: 'conflict', current: toView(current, reference) };
    if (current.deleted_at) throw new NotFound('This contact has been deleted.');
    const { values, errors } = checkContact(input, reference, new Date(), current);
    if (!values) throw new ValidationFailed(errors);
    const actor = actorOf(principal);
    await queries.insertRevision(trx, { organisation_id: organisationId, contact_id: current.id, revised_by: actor.userId, previous: revisionOf(current) });
    if (!(await queries.updateContact(trx, organisationId, current.id, version, values))) {
      throw new Error('contact changed while locked');
    }
    await recomputeEpisodes(trx, organisationId, [episodeId]);
    const stage = await queries.episodeStage(trx, organisationId, episodeId);
    const before = revisionOf(current);
    const after: Record<string, unknown> = { ...values, occurred_at: values.occurred_at.toISOString() };
    const changed = Object.keys(after).filter((key) => before[key] !== after[key]);
    await audit.record(trx, {
      organisationId,
      actor,
      action: 'contact.updated',
      subjectType: 'contact',
      subjectId: current.id,
      // The note is case detail: the audit says it changed, the revision keeps the text.
      detail: { episodeId, changed, stage },
    });
    return { outcome: 'saved', stage };
  });
}

/** Soft-deletes a contact with a reason, and recomputes the episode's stage. Deleting twice changes nothing. */
export async function deleteContact(
  db: Db,
  principal: Principal,
  episodeId: string,
  contactId: string,
  reason: string,
): Promise<{ deleted: boolean; stage: SavedContact['stage'] }> {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  const why = reason.trim();
  if (!why) throw new ValidationFailed([{ field: 'reason', text: 'Enter why you are deleting this contact' }]);
  if (why.length > MAX_REASON_LENGTH) {
    throw new ValidationFailed([{ field: 'reason', text: `Reason must be ${MAX_REASON_LENGTH} characters or fewer` }]);
  }
  return db.transaction().execute(async (trx) => {
    await lockEpisode(trx, principal, episodeId);
    const current = await findRow(trx, principal, episodeId, contactId, { forUpdate: true });
    const actor = actorOf(principal);
    if (current.deleted_at || !(await queries.softDeleteContact(trx, organisationId, current.id, { deleted_by: actor.userId, delete_reason: why }))) {
      return { deleted: false, stage: await queries.episodeStage(trx, organisationId, episodeId) };
    }
    await recomputeEpisodes(trx, organisationId, [episodeId]);
    const stage = await queries.episodeStage(trx, organisationId, episodeId);
    await audit.record(trx, {
      organisationId,
      actor,
      action: 'contact.deleted',
      subjectType: 'contact',
      subjectId: current.id,
      reason: why,
      detail: { episodeId, stage },
    });
    return { deleted: true, stage };
  });
}
