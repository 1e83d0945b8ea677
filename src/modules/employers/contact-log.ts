/**
 * The employment specialist's log of contacts with employers (job
 * development), and who a log page is for. Reached through service.ts.
 */
import * as audit from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/permissions.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { type FieldError, Forbidden, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { auditEpisode } from '../custody/episode-access.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { MAX_NOTE } from './employer-rules.ts';
import * as queries from './queries.ts';
import { addDays, isIsoDate, mondayOf } from './weeks.ts';

export const CONTACT_LISTS = ['employer_contact_method', 'employer_contact_purpose'] as const;

export interface EmployerContactInput {
  employerId: string;
  occurredOn: string | undefined;
  method: string;
  purpose: string;
  note: string;
  episodeIds: string[];
  /** Errors found while reading the input, such as a date that is not a real date. */
  errors: FieldError[];
}

export interface Specialist {
  id: string;
  name: string;
}

/**
 * Whether the principal may look at someone else's log: managers (who see
 * their team's caseloads), and API tokens, which act for the organisation
 * rather than for one user.
 */
export function mayChooseSpecialist(principal: Principal): boolean {
  return can(principal.role, 'caseload:view-team') || principal.userId === null;
}

/**
 * Whose log or weekly figures: the signed-in user's own unless another is
 * asked for and allowed. A specialist outside the organisation is not found.
 */
export async function chooseSpecialist(db: Db, principal: Principal, requested: string | undefined): Promise<Specialist> {
  assertCan(principal, 'people:view');
  const wanted = requested || principal.userId;
  if (!wanted) throw new ValidationFailed([{ field: 'specialistId', text: 'Name the specialist whose contacts you want (specialistId)' }]);
  if (wanted !== principal.userId && !mayChooseSpecialist(principal)) throw new Forbidden('You may only see your own employer contacts.');
  const row = isUuid(wanted) ? await queries.findUser(db, principal.organisationId, wanted) : undefined;
  if (!row) throw new NotFound('No specialist with this id was found.');
  return { id: row.id, name: row.display_name };
}

/** The specialists a manager may choose between. */
export async function specialistChoices(db: Db, principal: Principal): Promise<Specialist[]> {
  if (!mayChooseSpecialist(principal)) return [];
  const rows = await queries.specialists(db, principal.organisationId);
  return rows.map((row) => ({ id: row.id, name: row.display_name }));
}

function personName(row: { given_name: string; family_name: string; preferred_name: string | null }): string {
  return `${row.preferred_name || row.given_name} ${row.family_name}`;
}

/** One page of a specialist's contacts, newest first; weekStart narrows it to that Monday-to-Sunday week. */
export async function listContactLog(
  db: Db,
  principal: Principal,
  specialist: Specialist,
  weekStart: string | null,
  page: { limit: number; offset: number },
) {
  assertCan(principal, 'people:view');
  const reference = await loadReferenceData(db, principal.organisationId, CONTACT_LISTS);
  const range = weekStart ? { from: weekStart, to: addDays(weekStart, 6) } : null;
  const { rows, total } = await queries.specialistContacts(db, principal.organisationId, specialist.id, range, page);
  const participants = rows.length ? await queries.participantsOf(db, principal.organisationId, rows.map((row) => row.id)) : [];
  return {
    total,
    contacts: rows.map((row) => ({
      id: row.id,
      employerId: row.employer_id,
      employerName: row.employer_name,
      occurredOn: row.occurred_on,
      method: row.method_code,
      methodLabel: reference.label('employer_contact_method', row.method_code),
      purpose: row.purpose_code,
      purposeLabel: reference.label('employer_contact_purpose', row.purpose_code),
      note: row.note,
      participants: participants
        .filter((participant) => participant.employer_contact_id === row.id)
        .map((participant) => ({ episodeId: participant.episode_id, name: personName(participant) })),
    })),
  };
}

/** What the contact form offers: employers, the methods and purposes, and the user's own open caseload. */
export async function contactFormChoices(db: Db, principal: Principal, prefillEpisodeId?: string) {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  const reference = await loadReferenceData(db, organisationId, CONTACT_LISTS);
  const employers = await queries.employerNames(db, organisationId);
  const caseload = principal.userId ? await queries.openCaseload(db, organisationId, principal.userId) : [];
  const people = caseload.map((row) => ({ episodeId: row.id, name: personName(row) }));
  // A contact made for someone on a colleague's caseload can still be logged from that person's pages.
  if (isUuid(prefillEpisodeId) && !people.some((person) => person.episodeId === prefillEpisodeId)) {
    const extra = await queries.episodeWithName(db, organisationId, prefillEpisodeId);
    if (extra) people.push({ episodeId: extra.id, name: personName(extra) });
  }
  return { reference, employers, people };
}

/**
 * Records a contact with an employer and the participants it was on behalf
 * of, in one transaction with its audit rows: one about the employer and one
 * on each participant's episode. The employer and every participant must be
 * the organisation's; otherwise nothing is written.
 */
export async function recordEmployerContact(db: Db, principal: Principal, input: EmployerContactInput, specialistId?: string): Promise<string> {
  assertCan(principal, 'people:edit');
  const organisationId = principal.organisationId;
  const reference = await loadReferenceData(db, organisationId, CONTACT_LISTS);
  return inTransaction(db, async (trx) => {
    const errors: FieldError[] = [...input.errors];
    const specialist = specialistId || principal.userId;
    if (!specialist) errors.push({ field: 'specialistId', text: 'Name the specialist who made the contact (specialistId)' });
    else if (specialist !== principal.userId && !(isUuid(specialist) && (await queries.findUser(trx, organisationId, specialist)))) {
      errors.push({ field: 'specialistId', text: 'No specialist with this id was found in your organisation' });
    }
    if (!input.employerId) errors.push({ field: 'employerId', text: 'Select the employer' });
    else if (!(isUuid(input.employerId) && (await queries.findEmployer(trx, organisationId, input.employerId)))) {
      errors.push({ field: 'employerId', text: 'No employer with this id was found in your organisation' });
    }
    if (!input.occurredOn) {
      if (!input.errors.some((error) => error.field === 'occurredOn')) errors.push({ field: 'occurredOn', text: 'Enter the date of the contact' });
    } else if (!isIsoDate(input.occurredOn)) errors.push({ field: 'occurredOn', text: 'The date of the contact must be a real date' });
    else if (input.occurredOn > londonToday()) errors.push({ field: 'occurredOn', text: 'The date of the contact must be today or in the past' });
    if (!reference.offers('employer_contact_method', input.method)) errors.push({ field: 'method', text: 'Select how you contacted the employer' });
    if (!reference.offers('employer_contact_purpose', input.purpose)) errors.push({ field: 'purpose', text: 'Select what the contact was for' });
    if (input.note.trim().length > MAX_NOTE) errors.push({ field: 'note', text: `Note must be ${MAX_NOTE} characters or fewer` });
    const episodeIds = [...new Set(input.episodeIds)];
    const known = episodeIds.length === 0 ? [] : episodeIds.every(isUuid) && episodeIds.length <= 100 ? await queries.episodesIn(trx, organisationId, episodeIds) : [];
    if (known.length !== episodeIds.length) {
      errors.push({ field: 'episodeIds', text: 'Each person the contact was on behalf of must be someone your organisation supports' });
    }
    if (errors.length > 0 || !specialist || !input.occurredOn) throw new ValidationFailed(errors);

    const { id } = await queries.insertEmployerContact(trx, {
      organisation_id: organisationId,
      employer_id: input.employerId,
      specialist_id: specialist,
      occurred_on: input.occurredOn,
      method_code: input.method,
      purpose_code: input.purpose,
      note: input.note.trim() || null,
    });
    await queries.insertParticipants(trx, organisationId, id, episodeIds);
    await audit.record(trx, {
      organisationId,
      actor: actorOf(principal),
      action: 'employer.contact-recorded',
      subjectType: 'employer',
      subjectId: input.employerId,
      detail: { employerContactId: id, specialistId: specialist, occurredOn: input.occurredOn, method: input.method, purpose: input.purpose, participants: episodeIds.length },
    });
    for (const episodeId of episodeIds) {
      await auditEpisode(trx, principal, episodeId, 'employer.contact-on-behalf', { employerContactId: id, employerId: input.employerId });
    }
    return id;
  });
}

/** A week from a query string: the Monday of the week holding any real date given, else none. */
export function weekFrom(value: unknown): string | null {
  return typeof value === 'string' && isIsoDate(value) ? mondayOf(value) : null;
}
