import * as audit from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/permissions.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { uuidV7 } from '../../platform/db/uuid-v7.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { checkCrn, checkNhsNumber, checkNiNumber, checkPncId, checkPrisonNumber, pncMatchKey } from './identifiers.ts';
import { checkPerson, londonToday, PERSON_LISTS, type PersonInput, RESTRICTED_FIELDS } from './person-input.ts';
import { type PersonRow, toApiPerson, toInput, toPersonPage } from './person-view.ts';
import { historyEntries, OTHER_NAMES, previousValues, RESTRICTED_COLUMNS } from './history.ts';
import * as queries from './queries.ts';

export type { PersonInput } from './person-input.ts';
export { PERSON_LISTS } from './person-input.ts';

export interface PersonSummary {
  id: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string | null;
  prisonNumber: string | null;
  crn: string | null;
}

/** Another organisation's person, a malformed id and a missing one all look the same from outside. */
async function findRow(db: Db, principal: Principal, id: string, options: { forUpdate?: boolean } = {}): Promise<PersonRow> {
  const row = isUuid(id) ? await queries.findPerson(db, principal.organisationId, id, options) : undefined;
  if (!row) throw new NotFound();
  return row;
}

/** Who a person is, for other modules' page headers. Not audited: callers audit their own page view. */
export async function getPersonSummary(db: Db, principal: Principal, personId: string): Promise<PersonSummary> {
  assertCan(principal, 'people:view');
  const row = await findRow(db, principal, personId);
  return {
    id: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    dateOfBirth: row.date_of_birth,
    prisonNumber: row.prison_number,
    crn: row.crn,
  };
}

function assertMayCreate(principal: Principal) {
  // A peer advisor's narrow intake form creates the person it refers.
  if (!can(principal.role, 'people:edit') && !can(principal.role, 'intake:create')) throw new Forbidden();
}

/**
 * Checks a person without saving, for forms that show every error at once.
 * `dateField` is where a date-of-birth error points (the page's day box, or the API's field).
 */
export async function personErrors(db: Db, principal: Principal, input: PersonInput, dateField = 'dateOfBirth') {
  const reference = await loadReferenceData(db, principal.organisationId, PERSON_LISTS);
  return checkPerson(reference, input, {
    mayRecordRestricted: can(principal.role, 'people:view-restricted'),
    today: londonToday(),
    dateField,
  }).errors;
}

/** Validates, inserts and audits a person; joins the caller's transaction (the referral journey, the importer). */
export async function createPerson(trx: Db, principal: Principal, input: PersonInput, dateField = 'dateOfBirth'): Promise<{ id: string }> {
  assertMayCreate(principal);
  const reference = await loadReferenceData(trx, principal.organisationId, PERSON_LISTS);
  const checked = checkPerson(reference, input, {
    mayRecordRestricted: can(principal.role, 'people:view-restricted'),
    today: londonToday(),
    dateField,
  });
  if (checked.errors.length > 0) throw new ValidationFailed(checked.errors);
  return inTransaction(trx, async (db) => {
    const person = await queries.insertPerson(db, principal.organisationId, checked.values);
    await queries.insertAliases(db, principal.organisationId, person.id, checked.otherNames);
    await audit.record(db, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'person.created',
      subjectType: 'person',
      subjectId: person.id,
    });
    return { id: person.id };
  });
}

/**
 * createPerson for many people in one go (the importer's chunks): the same
 * checks, columns, other names and `person.created` events, in a few
 * statements. Joins the caller's transaction. One invalid person refuses the
 * lot with that person's errors. Returns the new ids in the order given.
 */
export async function createPeople(trx: Db, principal: Principal, inputs: readonly PersonInput[]): Promise<string[]> {
  assertMayCreate(principal);
  if (inputs.length === 0) return [];
  const reference = await loadReferenceData(trx, principal.organisationId, PERSON_LISTS);
  const options = { mayRecordRestricted: can(principal.role, 'people:view-restricted'), today: londonToday() };
  const people = inputs.map((input) => {
    const checked = checkPerson(reference, input, options);
    if (checked.errors.length > 0) throw new ValidationFailed(checked.errors);
    return { id: uuidV7(), values: checked.values, otherNames: checked.otherNames };
  });
  return inTransaction(trx, async (db) => {
    await queries.insertPeople(
      db,
      principal.organisationId,
      people.map((person) => ({ id: person.id, ...person.values })),
    );
    for (const person of people) await queries.insertAliases(db, principal.organisationId, person.id, person.otherNames);
    await audit.recordMany(
      db,
      people.map((person) => ({
        organisationId: principal.organisationId,
        actor: actorOf(principal),
        action: 'person.created',
        subjectType: 'person',
        subjectId: person.id,
      })),
    );
    return people.map((person) => person.id);
  });
}

export { type BulkMatchQuery, bulkMatchCandidates, type CandidatePerson, findMatches, type MatchQuery, type PersonMatch } from './matching.ts';

export interface PeopleFilters {
  name: string;
  dateOfBirth: string | null;
  identifier: string;
}

/** One box for any identifier: each kind is tried in its own normal form. */
function identifierSearch(raw: string): queries.IdentifierQuery {
  if (!raw.trim()) return {};
  const value = (check: (raw: string) => { ok: boolean; value?: string }) => {
    const result = check(raw);
    return result.ok && 'value' in result ? (result.value ?? null) : null;
  };
  const pnc = value(checkPncId);
  const compact = raw.replace(/[\s-]+/g, '').toUpperCase();
  return {
    prisonNumber: value(checkPrisonNumber) ?? compact,
    crn: value(checkCrn) ?? compact,
    pncKey: pnc ? pncMatchKey(pnc) : null,
    nhsNumber: value(checkNhsNumber) ?? compact,
    niNumber: value(checkNiNumber) ?? compact,
  };
}

export async function listPeople(db: Db, principal: Principal, filters: PeopleFilters, page: { limit: number; offset: number }) {
  assertCan(principal, 'people:view');
  const { rows, total } = await queries.searchPeople(
    db,
    principal.organisationId,
    { name: filters.name.trim().replace(/\s+/g, ' '), dateOfBirth: filters.dateOfBirth, identifiers: identifierSearch(filters.identifier) },
    page.limit,
    page.offset,
  );
  const people = rows.map((row) => ({
    id: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    dateOfBirth: row.date_of_birth,
    prisonNumber: row.prison_number,
    crn: row.crn,
  }));
  return { people, total };
}

/** Audits a view of a person's record (or of part of it, named by action and detail), in the caller's transaction. */
export async function recordView(db: Db, principal: Principal, personId: string, action: string, detail?: Record<string, unknown>) {
  await audit.record(db, {
    organisationId: principal.organisationId,
    actor: actorOf(principal),
    action,
    subjectType: 'person',
    subjectId: personId,
    detail,
  });
}

/**
 * The person page, audited on every view. A merged record answers with the
 * id of the person it was merged into, for the caller to redirect to.
 */
export async function viewPerson(db: Db, principal: Principal, id: string) {
  assertCan(principal, 'people:view');
  const row = await findRow(db, principal, id);
  if (row.merged_into_id) return { mergedIntoId: row.merged_into_id, person: null };
  const [aliases, reference] = await Promise.all([
    queries.aliasesOf(db, principal.organisationId, row.id),
    loadReferenceData(db, principal.organisationId, PERSON_LISTS),
  ]);
  await recordView(db, principal, row.id, 'person.viewed');
  return { mergedIntoId: null, person: toPersonPage(row, aliases, reference) };
}

/** "Show restricted information": a separate, explicit and audited action. */
export async function revealRestricted(db: Db, principal: Principal, id: string) {
  assertCan(principal, 'people:view-restricted');
  const row = await findRow(db, principal, id);
  await recordView(db, principal, row.id, 'person.restricted-viewed');
  return { riskNotes: row.risk_notes, sexualOffenceDetails: row.sexual_offence_details };
}

/** The API's person, audited as a view; restricted fields only for roles that may see them, and then audited too. */
export async function getPersonForApi(db: Db, principal: Principal, id: string, options: { justCreated?: boolean } = {}) {
  assertCan(principal, 'people:view');
  const row = await findRow(db, principal, id);
  const includeRestricted = can(principal.role, 'people:view-restricted');
  const aliases = await queries.aliasesOf(db, principal.organisationId, row.id);
  // Echoing back a record the caller has just created shows them nothing new, so it is not a view.
  if (!options.justCreated) {
    await inTransaction(db, async (trx) => {
      await recordView(trx, principal, row.id, 'person.viewed', { via: 'api' });
      if (includeRestricted) await recordView(trx, principal, row.id, 'person.restricted-viewed', { via: 'api' });
    });
  }
  return { ...toApiPerson(row, aliases, includeRestricted), mergedIntoId: row.merged_into_id };
}

/**
 * Form values for the edit page. Showing restricted values in the form counts
 * as viewing them; re-showing a submitted form (`resubmitted`) shows only what
 * the user sent, so is not audited again.
 */
export async function personForEdit(db: Db, principal: Principal, id: string, options: { resubmitted?: boolean } = {}) {
  assertCan(principal, 'people:edit');
  const row = await findRow(db, principal, id);
  if (row.merged_into_id) throw new NotFound();
  const includeRestricted = can(principal.role, 'people:view-restricted');
  if (includeRestricted && !options.resubmitted && (row.risk_notes || row.sexual_offence_details)) {
    await recordView(db, principal, row.id, 'person.restricted-viewed', { via: 'edit' });
  }
  const aliases = await queries.aliasesOf(db, principal.organisationId, row.id);
  return { id: row.id, version: row.version, input: toInput(row, includeRestricted), aliases, includeRestricted };
}

/** How long the optional "reason for the change" on an edit may be. */
export const MAX_REASON_LENGTH = 500;

const COLUMN_FIELDS: Record<string, string> = {
  given_name: 'givenName',
  family_name: 'familyName',
  preferred_name: 'preferredName',
  date_of_birth: 'dateOfBirth',
  sex_code: 'sex',
  gender: 'gender',
  ethnicity_code: 'ethnicity',
  language: 'language',
  interpreter_needed: 'interpreterNeeded',
  phone: 'phone',
  email: 'email',
  address: 'address',
  postcode: 'postcode',
  consents_to_texts: 'consentsToTexts',
  consents_to_email: 'consentsToEmail',
  right_to_work_code: 'rightToWork',
  immigration_status: 'immigrationStatus',
  prison_number: 'prisonNumber',
  crn: 'crn',
  pnc_id: 'pncId',
  nhs_number: 'nhsNumber',
  ni_number: 'niNumber',
  primary_diagnosis_code: 'primaryDiagnosis',
  secondary_diagnosis_codes: 'secondaryDiagnoses',
  offence_category_code: 'offenceCategory',
  priority_offender: 'priorityOffender',
  risk_notes: 'riskNotes',
  sexual_offence_details: 'sexualOffenceDetails',
};

/**
 * Saves an edit if nobody else saved since `version` was read (else 409,
 * nothing written). Audits the names of the changed fields, never values.
 * Someone without people:view-restricted never sees restricted fields, so
 * their save leaves them as they were.
 */
export async function updatePerson(
  db: Db,
  principal: Principal,
  id: string,
  version: number,
  input: PersonInput & { removeOtherNameIds?: string[]; reason?: string | null },
  dateField = 'dateOfBirth',
) {
  assertCan(principal, 'people:edit');
  const includeRestricted = can(principal.role, 'people:view-restricted');
  const reference = await loadReferenceData(db, principal.organisationId, PERSON_LISTS);
  const checked = checkPerson(reference, includeRestricted ? input : { ...input, riskNotes: null, sexualOffenceDetails: null }, {
    mayRecordRestricted: includeRestricted,
    today: londonToday(),
    dateField,
  });
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > MAX_REASON_LENGTH) {
    checked.errors.push({ field: 'reason', text: `Reason for the change must be ${MAX_REASON_LENGTH} characters or fewer` });
  }
  if (checked.errors.length > 0) throw new ValidationFailed(checked.errors);
  return inTransaction(db, async (trx) => {
    const current = await findRow(trx, principal, id, { forUpdate: true });
    if (current.merged_into_id) throw new NotFound();
    if (current.version !== version) throw new Conflict();
    const values: Partial<queries.PersonValues> = { ...checked.values };
    if (!includeRestricted) {
      for (const column of ['risk_notes', 'sexual_offence_details'] as const) delete values[column];
    }
    const changed = Object.entries(values)
      .filter(([column, value]) => JSON.stringify(value) !== JSON.stringify(current[column as keyof PersonRow]))
      .map(([column]) => COLUMN_FIELDS[column]);
    const aliases = await queries.aliasesOf(trx, principal.organisationId, current.id);
    const removing = (input.removeOtherNameIds ?? []).filter((aliasId) => aliases.some((alias) => alias.id === aliasId));
    if (removing.length > 0 || checked.otherNames.length > 0) changed.push('otherNames');
    if (!(await queries.updatePerson(trx, principal.organisationId, current.id, version, values))) throw new Conflict();
    // Rectification keeps what was there before: only the changed columns, in the same transaction.
    const previous = previousValues(current, values);
    if (changed.includes('otherNames')) {
      previous[OTHER_NAMES] = aliases.map((alias) => ({ givenName: alias.given_name, familyName: alias.family_name, kind: alias.kind }));
    }
    if (Object.keys(previous).length > 0) {
      await queries.insertRevision(trx, {
        organisation_id: principal.organisationId,
        person_id: current.id,
        revised_by: actorOf(principal).userId,
        reason,
        previous,
      });
    }
    await queries.deleteAliases(trx, principal.organisationId, current.id, removing);
    await queries.insertAliases(trx, principal.organisationId, current.id, checked.otherNames);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'person.updated',
      subjectType: 'person',
      subjectId: current.id,
      detail: { fields: changed, restrictedChanged: changed.some((field) => (RESTRICTED_FIELDS as readonly string[]).includes(field)) },
    });
    return { id: current.id, changed };
  });
}

/**
 * Merges a duplicate into the record being kept: the duplicate stays (its
 * history is kept) but points to the kept person; its episodes and other
 * names move across and its own name becomes one of the kept person's other
 * names. Both records get a 'person.merged' audit row naming both ids.
 */
export async function mergePeople(db: Db, principal: Principal, keptId: string, duplicateId: string) {
  assertCan(principal, 'people:merge');
  if (keptId === duplicateId) throw new ValidationFailed([{ field: 'otherId', text: 'Choose a different record to merge' }]);
  return inTransaction(db, async (trx) => {
    const kept = await findRow(trx, principal, keptId, { forUpdate: true });
    const duplicate = await findRow(trx, principal, duplicateId, { forUpdate: true });
    if (kept.merged_into_id || duplicate.merged_into_id) {
      throw new ValidationFailed([{ field: 'otherId', text: 'One of these records has already been merged' }]);
    }
    const moved = await queries.mergeInto(trx, principal.organisationId, duplicate.id, kept.id);
    await queries.insertAliases(trx, principal.organisationId, kept.id, [
      { givenName: duplicate.given_name, familyName: duplicate.family_name, kind: 'alias' },
    ]);
    const detail = { keptId: kept.id, duplicateId: duplicate.id, episodesMoved: moved.episodeIds.length };
    for (const subjectId of [kept.id, duplicate.id]) {
      await audit.record(trx, {
        organisationId: principal.organisationId,
        actor: actorOf(principal),
        action: 'person.merged',
        subjectType: 'person',
        subjectId,
        detail,
      });
    }
    return { keptId: kept.id, episodeIds: moved.episodeIds };
  });
}

/**
 * The rectification history page: who changed what and when, old and new
 * values. Restricted fields show their values only to people:view-restricted
 * (and that showing is audited as a restricted view); others see that they changed.
 */
export async function viewPersonHistory(db: Db, principal: Principal, id: string) {
  assertCan(principal, 'people:view');
  const row = await findRow(db, principal, id);
  const showRestricted = can(principal.role, 'people:view-restricted');
  const [revisions, aliases, reference] = await Promise.all([
    queries.listRevisions(db, principal.organisationId, row.id),
    queries.aliasesOf(db, principal.organisationId, row.id),
    loadReferenceData(db, principal.organisationId, PERSON_LISTS),
  ]);
  const now: Record<string, unknown> = {
    ...row,
    [OTHER_NAMES]: aliases.map((alias) => ({ givenName: alias.given_name, familyName: alias.family_name, kind: alias.kind })),
  };
  const entries = historyEntries(revisions, now, reference, showRestricted);
  const restrictedShown = showRestricted && revisions.some((revision) => RESTRICTED_COLUMNS.some((column) => column in revision.previous));
  await inTransaction(db, async (trx) => {
    await recordView(trx, principal, row.id, 'person.history-viewed', { revisions: revisions.length });
    if (restrictedShown) await recordView(trx, principal, row.id, 'person.restricted-viewed', { via: 'history' });
  });
  return { person: { id: row.id, name: `${row.given_name} ${row.family_name}` }, entries, showRestricted };
}
