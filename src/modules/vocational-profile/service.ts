import * as audit from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/permissions.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { getPersonSummary, type PersonSummary } from '../people/service.ts';
import { loadReferenceData, type ReferenceData } from '../reference-data/service.ts';
import { changedFieldNames, changesBetween, checkProfile, PROFILE_LISTS, type ProfileInput, type ProfileView, toView } from './profile-rules.ts';
import * as queries from './queries.ts';

export interface ProfileFacts {
  version: number;
  licenceConditions: string[];
  preferredJobTypes: string[];
}

/**
 * The current profile's licence conditions and preferred job types for each
 * person who has a profile, for employer matching and conflict warnings.
 * The caller has already checked the principal may see these people.
 */
export async function currentProfileFacts(db: Db, organisationId: string, personIds: readonly string[]): Promise<Map<string, ProfileFacts>> {
  if (personIds.length === 0) return new Map();
  const rows = await queries.currentProfileFacts(db, organisationId, personIds);
  return new Map(
    rows.map((row) => [row.person_id, { version: row.version, licenceConditions: row.licence_conditions, preferredJobTypes: row.preferred_job_types }]),
  );
}

// Pages and API -------------------------------------------------------------------------

export type { ProfileInput, ProfileView, FieldChange } from './profile-rules.ts';

/** Whether pages should offer editing; the service checks again when saving. */
export function canEdit(principal: Principal): boolean {
  return can(principal.role, 'people:edit');
}

/** Another organisation's person, a malformed id and a missing one all look the same. */
async function personOr404(db: Db, principal: Principal, personId: string): Promise<PersonSummary> {
  if (!isUuid(personId)) throw new NotFound();
  return getPersonSummary(db, principal, personId);
}

function auditPerson(trx: Db, principal: Principal, personId: string, action: string, detail: Record<string, unknown>) {
  return audit.record(trx, { organisationId: principal.organisationId, actor: actorOf(principal), action, subjectType: 'person', subjectId: personId, detail });
}

async function loadCurrent(trx: Db, principal: Principal, personId: string, reference: ReferenceData) {
  const row = await queries.latestProfile(trx, principal.organisationId, personId);
  return row ? toView(row, reference, londonToday()) : null;
}

/**
 * The current profile and its versions. Conviction details are shown to
 * anyone who may view the person, for disclosure work, so every view is audited.
 */
export async function viewProfile(db: Db, principal: Principal, personId: string, action = 'vocational-profile.viewed') {
  assertCan(principal, 'people:view');
  return inTransaction(db, async (trx) => {
    const person = await personOr404(trx, principal, personId);
    const reference = await loadReferenceData(trx, principal.organisationId, PROFILE_LISTS);
    const current = await loadCurrent(trx, principal, person.id, reference);
    const versions = await queries.listVersions(trx, principal.organisationId, person.id);
    await auditPerson(trx, principal, person.id, action, { version: current?.version ?? null });
    return { person, current, versions: versions.map((row) => ({ version: row.version, recordedAt: row.recorded_at, recordedByName: row.recorded_by_name })), reference };
  });
}

/** One version and what changed from the one before it. Viewing it is audited. */
export async function viewVersion(db: Db, principal: Principal, personId: string, versionText: string) {
  assertCan(principal, 'people:view');
  if (!/^\d{1,9}$/.test(versionText)) throw new NotFound();
  const version = Number(versionText);
  return inTransaction(db, async (trx) => {
    const person = await personOr404(trx, principal, personId);
    const reference = await loadReferenceData(trx, principal.organisationId, PROFILE_LISTS);
    const rows = await queries.versionAndPrevious(trx, principal.organisationId, person.id, version);
    const today = londonToday();
    const [profile, previous] = rows.map((row) => toView(row, reference, today));
    if (!profile || profile.version !== version) throw new NotFound();
    await auditPerson(trx, principal, person.id, 'vocational-profile.version-viewed', { version });
    return { person, profile, previousVersion: previous?.version ?? null, changes: changesBetween(previous, profile) };
  });
}

/** The reference lists the form offers. */
export async function profileReferenceData(db: Db, principal: Principal): Promise<ReferenceData> {
  assertCan(principal, 'people:view');
  return loadReferenceData(db, principal.organisationId, PROFILE_LISTS);
}

export type SaveOutcome = { outcome: 'saved'; version: number } | { outcome: 'conflict'; current: ProfileView | null };

/**
 * Saves the profile as a new version. Rows are never updated: the save adds
 * version current+1, and only if the form was based on the current version;
 * a stale form writes nothing and returns what is there now.
 */
export async function saveProfile(db: Db, principal: Principal, personId: string, input: ProfileInput): Promise<SaveOutcome> {
  assertCan(principal, 'people:edit');
  if (!isUuid(personId)) throw new NotFound();
  return inTransaction(db, async (trx): Promise<SaveOutcome> => {
    if (!(await queries.lockPerson(trx, principal.organisationId, personId))) throw new NotFound();
    const reference = await loadReferenceData(trx, principal.organisationId, PROFILE_LISTS);
    const current = await loadCurrent(trx, principal, personId, reference);
    if (input.basedOnVersion !== (current?.version ?? 0)) return { outcome: 'conflict', current };
    const today = londonToday();
    const { values, errors } = checkProfile(input, reference, today);
    if (!values) throw new ValidationFailed(errors);
    const actor = actorOf(principal);
    const version = (current?.version ?? 0) + 1;
    const saved = await queries.insertProfile(trx, {
      ...values,
      work_history: JSON.stringify(values.work_history),
      qualifications: JSON.stringify(values.qualifications),
      organisation_id: principal.organisationId,
      person_id: personId,
      version,
      recorded_by: actor.userId,
    });
    const next = toView({ ...values, ...saved, organisation_id: principal.organisationId, person_id: personId, recorded_at: new Date(), recorded_by: actor.userId, recorded_by_name: null }, reference, today);
    await auditPerson(trx, principal, personId, 'vocational-profile.saved', { version, changed: changedFieldNames(current ?? undefined, next) });
    return { outcome: 'saved', version };
  });
}
