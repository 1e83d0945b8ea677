/**
 * Employers, their contact people and their vacancies: the job-development
 * records. Reached through service.ts.
 */
import * as audit from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/permissions.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { auditEpisode } from '../custody/episode-access.ts';
import { getEpisodeHeader } from '../episodes/service.ts';
import { loadReferenceData, type ReferenceData } from '../reference-data/service.ts';
import { currentProfileFacts } from '../vocational-profile/service.ts';
import {
  type EmployerInput,
  type EmployerPersonInput,
  type EmployerView,
  EMPLOYER_LISTS,
  OPENNESS,
  type VacancyInput,
  VACANCY_KIND_LABELS,
  checkEmployer,
  checkEmployerPerson,
  checkVacancy,
  licenceConflicts,
  pounds,
  toEmployerView,
} from './employer-rules.ts';
import * as queries from './queries.ts';

const RECENT_CONTACTS = 10;

/** Whether pages should offer adding and changing employers; the service checks again on each. */
export function canEdit(principal: Principal): boolean {
  return can(principal.role, 'people:edit');
}

export async function employerReferenceData(db: Db, principal: Principal): Promise<ReferenceData> {
  assertCan(principal, 'people:view');
  return loadReferenceData(db, principal.organisationId, EMPLOYER_LISTS);
}

function audited(trx: Db, principal: Principal, action: string, employerId: string, detail: Record<string, unknown> = {}) {
  return audit.record(trx, {
    organisationId: principal.organisationId,
    actor: actorOf(principal),
    action,
    subjectType: 'employer',
    subjectId: employerId,
    detail,
  });
}

async function employerOr404(db: Db, principal: Principal, employerId: string, options: { forUpdate?: boolean } = {}) {
  const row = isUuid(employerId) ? await queries.findEmployer(db, principal.organisationId, employerId, options) : undefined;
  if (!row) throw new NotFound('No employer with this id was found.');
  return row;
}

/** Filters from a query string: unknown codes are dropped rather than refused, so an old link still lists something. */
export function cleanFilters(raw: Partial<Record<keyof queries.EmployerFilters, unknown>>, reference: ReferenceData): queries.EmployerFilters {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 200) : '');
  const sector = text(raw.sector);
  const openness = text(raw.openness);
  return {
    q: text(raw.q),
    sector: reference.has('employer_sector', sector) ? sector : '',
    area: text(raw.area),
    openness: (OPENNESS as string[]).includes(openness) ? openness : '',
  };
}

export interface EmployerSearchResult extends EmployerView {
  warnings: ReturnType<typeof licenceConflicts>;
  matchesPreferences: boolean;
}

/**
 * A page of employers. With forEpisodeId, the search is on that person's
 * behalf: each employer carries the licence-condition conflicts and whether
 * it offers a job type the person prefers, and the view of the episode is audited.
 */
export async function searchEmployers(
  db: Db,
  principal: Principal,
  rawFilters: Partial<Record<keyof queries.EmployerFilters, unknown>>,
  page: { limit: number; offset: number },
  forEpisodeId?: string,
) {
  assertCan(principal, 'people:view');
  return inTransaction(db, async (trx) => {
    const reference = await loadReferenceData(trx, principal.organisationId, EMPLOYER_LISTS);
    const filters = cleanFilters(rawFilters, reference);
    const episode = forEpisodeId === undefined ? undefined : await getEpisodeHeader(trx, principal, forEpisodeId);
    const facts = episode ? (await currentProfileFacts(trx, principal.organisationId, [episode.personId])).get(episode.personId) : undefined;
    const { rows, total } = await queries.listEmployers(trx, principal.organisationId, filters, page);
    if (episode) await auditEpisode(trx, principal, episode.id, 'employer.searched-for-episode', { filters });
    const employers: EmployerSearchResult[] = rows.map((row) => ({
      ...toEmployerView(row, reference),
      warnings: facts ? licenceConflicts(row.work_features, facts.licenceConditions, reference) : [],
      matchesPreferences: facts ? row.job_types.some((code) => facts.preferredJobTypes.includes(code)) : false,
    }));
    return { filters, employers, total, episode, hasProfile: facts !== undefined, reference };
  });
}

function toVacancyView(row: Awaited<ReturnType<typeof queries.vacancies>>[number], reference: ReferenceData) {
  const hours = row.hours_per_week === null ? null : Number(row.hours_per_week);
  const pay = row.hourly_pay === null ? null : Number(row.hourly_pay);
  return {
    id: row.id,
    kind: row.kind,
    kindLabel: VACANCY_KIND_LABELS[row.kind],
    title: row.title,
    jobType: row.job_type_code,
    jobTypeLabel: reference.label('soc_major_group', row.job_type_code),
    hoursPerWeek: hours,
    hourlyPay: pay,
    hourlyPayText: pounds(pay),
    closesOn: row.closes_on,
    filled: row.filled,
    note: row.note,
  };
}

export type VacancyView = ReturnType<typeof toVacancyView>;

/** The employer page: details, people, vacancies and the latest contacts with it. */
export async function getEmployer(db: Db, principal: Principal, employerId: string) {
  assertCan(principal, 'people:view');
  const row = await employerOr404(db, principal, employerId);
  const reference = await loadReferenceData(db, principal.organisationId, [...EMPLOYER_LISTS, 'employer_contact_method', 'employer_contact_purpose']);
  const [people, vacancyRows, contacts] = await Promise.all([
    queries.employerPeople(db, principal.organisationId, row.id),
    queries.vacancies(db, principal.organisationId, row.id),
    queries.employerContactsFor(db, principal.organisationId, row.id, RECENT_CONTACTS),
  ]);
  return {
    employer: toEmployerView(row, reference),
    people: people.map((person) => ({ id: person.id, name: person.name, role: person.role, phone: person.phone, email: person.email })),
    vacancies: vacancyRows.map((vacancy) => toVacancyView(vacancy, reference)),
    contacts: contacts.map((contact) => ({
      id: contact.id,
      occurredOn: contact.occurred_on,
      methodLabel: reference.label('employer_contact_method', contact.method_code),
      purposeLabel: reference.label('employer_contact_purpose', contact.purpose_code),
      specialistName: contact.specialist_name,
    })),
  };
}

/** Just the employer's details, for headings and the edit form. */
export async function getEmployerSummary(db: Db, principal: Principal, employerId: string): Promise<EmployerView> {
  assertCan(principal, 'people:view');
  const row = await employerOr404(db, principal, employerId);
  return toEmployerView(row, await loadReferenceData(db, principal.organisationId, EMPLOYER_LISTS));
}

export async function createEmployer(db: Db, principal: Principal, input: EmployerInput): Promise<string> {
  assertCan(principal, 'people:edit');
  const reference = await loadReferenceData(db, principal.organisationId, EMPLOYER_LISTS);
  const { values, errors } = checkEmployer(input, reference);
  if (!values) throw new ValidationFailed(errors);
  return inTransaction(db, async (trx) => {
    const { id } = await queries.insertEmployer(trx, { ...values, organisation_id: principal.organisationId });
    await audited(trx, principal, 'employer.created', id, { name: values.name });
    return id;
  });
}

export type EmployerUpdate = { outcome: 'saved' } | { outcome: 'conflict'; current: EmployerView };

/** Changes an employer only if it is still at the version the form was loaded from; a stale save changes nothing. */
export async function updateEmployer(db: Db, principal: Principal, employerId: string, input: EmployerInput & { version: number | null }): Promise<EmployerUpdate> {
  assertCan(principal, 'people:edit');
  const reference = await loadReferenceData(db, principal.organisationId, EMPLOYER_LISTS);
  return inTransaction(db, async (trx): Promise<EmployerUpdate> => {
    const current = await employerOr404(trx, principal, employerId, { forUpdate: true });
    if (current.version !== input.version) return { outcome: 'conflict', current: toEmployerView(current, reference) };
    const { values, errors } = checkEmployer(input, reference);
    if (!values) throw new ValidationFailed(errors);
    if (!(await queries.updateEmployer(trx, principal.organisationId, current.id, current.version, values))) throw new Error('employer changed while locked');
    const changed = (Object.keys(values) as Array<keyof typeof values>).filter((key) => JSON.stringify(values[key]) !== JSON.stringify(current[key]));
    await audited(trx, principal, 'employer.updated', current.id, { changed });
    return { outcome: 'saved' };
  });
}

export async function addEmployerPerson(db: Db, principal: Principal, employerId: string, input: EmployerPersonInput): Promise<string> {
  assertCan(principal, 'people:edit');
  return inTransaction(db, async (trx) => {
    const employer = await employerOr404(trx, principal, employerId);
    const { values, errors } = checkEmployerPerson(input);
    if (!values) throw new ValidationFailed(errors);
    const { id } = await queries.insertEmployerPerson(trx, { ...values, organisation_id: principal.organisationId, employer_id: employer.id });
    await audited(trx, principal, 'employer.person-added', employer.id, { employerPersonId: id });
    return id;
  });
}

export async function addVacancy(db: Db, principal: Principal, employerId: string, input: VacancyInput): Promise<string> {
  assertCan(principal, 'people:edit');
  const reference = await loadReferenceData(db, principal.organisationId, EMPLOYER_LISTS);
  return inTransaction(db, async (trx) => {
    const employer = await employerOr404(trx, principal, employerId);
    const { values, errors } = checkVacancy(input, reference);
    if (!values) throw new ValidationFailed(errors);
    const { id } = await queries.insertVacancy(trx, { ...values, organisation_id: principal.organisationId, employer_id: employer.id });
    await audited(trx, principal, 'employer.vacancy-added', employer.id, { vacancyId: id, kind: values.kind });
    return id;
  });
}

async function vacancyOr404(db: Db, principal: Principal, employerId: string, vacancyId: string) {
  const employer = await employerOr404(db, principal, employerId);
  const row = isUuid(vacancyId) ? await queries.findVacancy(db, principal.organisationId, employer.id, vacancyId) : undefined;
  if (!row) throw new NotFound('No vacancy with this id was found for this employer.');
  return { employer, row };
}

/** A vacancy of this employer, for the "mark as filled" question; another employer's vacancy is not found. */
export async function getVacancy(db: Db, principal: Principal, employerId: string, vacancyId: string) {
  assertCan(principal, 'people:edit');
  const { employer, row } = await vacancyOr404(db, principal, employerId, vacancyId);
  const reference = await loadReferenceData(db, principal.organisationId, EMPLOYER_LISTS);
  return { employer: toEmployerView(employer, reference), vacancy: toVacancyView(row, reference) };
}

/** Marks a vacancy filled; doing it twice changes nothing the second time. */
export async function markVacancyFilled(db: Db, principal: Principal, employerId: string, vacancyId: string): Promise<boolean> {
  assertCan(principal, 'people:edit');
  return inTransaction(db, async (trx) => {
    const { employer, row } = await vacancyOr404(trx, principal, employerId, vacancyId);
    if (!(await queries.markVacancyFilled(trx, principal.organisationId, row.id))) return false;
    await audited(trx, principal, 'employer.vacancy-filled', employer.id, { vacancyId: row.id });
    return true;
  });
}
