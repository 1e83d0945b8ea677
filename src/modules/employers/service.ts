import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { currentProfileFacts } from '../vocational-profile/service.ts';
import type { Specialist } from './contact-log.ts';
import * as queries from './queries.ts';
import { addDays, isIsoDate, mondayOf, mondaysBetween } from './weeks.ts';

/** Employers, people and vacancies; the contact log; their rules and view models: callers reach them through this service. */
export * from './contact-log.ts';
export * from './employer-records.ts';
export { EMPLOYER_LISTS, type EmployerInput, type EmployerPersonInput, type EmployerView, OPENNESS, OPENNESS_LABELS, type VacancyInput } from './employer-rules.ts';
export { isIsoDate, mondayOf } from './weeks.ts';

/**
 * The first face-to-face employer contact on each episode's behalf (episodes
 * with none are absent), for rapid job search and the employment board. The
 * caller has already checked the principal may see these episodes.
 */
export async function firstFaceToFaceContacts(db: Db, organisationId: string, episodeIds: readonly string[]): Promise<Map<string, string>> {
  if (episodeIds.length === 0) return new Map();
  const rows = await queries.firstFaceToFaceContacts(db, organisationId, episodeIds);
  return new Map(rows.map((row) => [row.episode_id, String(row.first_on)]));
}

/** The IPS job-development standard: face-to-face employer contacts a specialist makes each week. */
export const FACE_TO_FACE_STANDARD = 6;

export interface WeeklyEmployerContacts {
  weekStart: string;
  contacts: number;
  faceToFace: number;
  meetsStandard: boolean;
  matchingPreferences: number;
  /** matchingPreferences / contacts, from 0 to 1; null in a week with no contacts. */
  matchingShare: number | null;
}

/**
 * Per specialist per week: one row for every week from fromMonday to
 * toMonday inclusive (either date is moved back to its Monday), oldest first,
 * weeks without contacts included as zeros.
 *
 * - A week runs Monday to Sunday on UK calendar dates; a contact belongs to
 *   the week holding its occurred_on.
 * - contacts: the specialist's employer contacts that week, by any method.
 * - faceToFace: those whose method is face_to_face; meetsStandard when there
 *   are at least FACE_TO_FACE_STANDARD (6), the IPS standard.
 * - matchingPreferences: contacts on behalf of at least one participant whose
 *   current vocational profile (its latest version now, not as it was then)
 *   prefers a job type the employer offers (employer.job_types overlaps
 *   preferred_job_types). A contact with no participants, or whose
 *   participants have no profile, does not match.
 * - matchingShare: matchingPreferences / contacts, or null with no contacts.
 */
export async function weeklyEmployerContacts(
  db: Db,
  organisationId: string,
  specialistId: string,
  fromMonday: string,
  toMonday: string,
): Promise<WeeklyEmployerContacts[]> {
  const weeks = mondaysBetween(mondayOf(fromMonday), mondayOf(toMonday));
  if (weeks.length === 0) return [];
  const contacts = await queries.contactsBetween(db, organisationId, specialistId, weeks[0], addDays(weeks.at(-1)!, 6));
  const participants = contacts.length ? await queries.participantsOf(db, organisationId, contacts.map((contact) => contact.id)) : [];
  const facts = await currentProfileFacts(db, organisationId, [...new Set(participants.map((participant) => participant.person_id))]);
  const rows = new Map(weeks.map((weekStart) => [weekStart, { weekStart, contacts: 0, faceToFace: 0, matchingPreferences: 0 }]));
  for (const contact of contacts) {
    const row = rows.get(mondayOf(contact.occurred_on));
    if (!row) continue;
    row.contacts += 1;
    if (contact.method_code === 'face_to_face') row.faceToFace += 1;
    const matches = participants.some(
      (participant) =>
        participant.employer_contact_id === contact.id &&
        (facts.get(participant.person_id)?.preferredJobTypes ?? []).some((code) => contact.job_types.includes(code)),
    );
    if (matches) row.matchingPreferences += 1;
  }
  return [...rows.values()].map((row) => ({
    ...row,
    meetsStandard: row.faceToFace >= FACE_TO_FACE_STANDARD,
    matchingShare: row.contacts === 0 ? null : row.matchingPreferences / row.contacts,
  }));
}

export const WEEKLY_DEFAULT_WEEKS = 12;
const WEEKLY_MAX_WEEKS = 104;

/**
 * The weekly figures for a chosen specialist (see chooseSpecialist): the last
 * 12 weeks to this one unless dates are given. More than two years at once is refused.
 */
export async function weeklyForSpecialist(db: Db, principal: Principal, specialist: Specialist, range: { from?: string; to?: string } = {}) {
  assertCan(principal, 'people:view');
  for (const field of ['from', 'to'] as const) {
    const value = range[field];
    if (value !== undefined && !isIsoDate(value)) throw new ValidationFailed([{ field, text: `${field} must be a real date, YYYY-MM-DD` }]);
  }
  const to = mondayOf(range.to ?? londonToday());
  const from = mondayOf(range.from ?? addDays(to, -7 * (WEEKLY_DEFAULT_WEEKS - 1)));
  if (from > to) throw new ValidationFailed([{ field: 'from', text: 'from must be on or before to' }]);
  if (mondaysBetween(from, to).length > WEEKLY_MAX_WEEKS) throw new ValidationFailed([{ field: 'from', text: `Ask for ${WEEKLY_MAX_WEEKS} weeks or fewer at once` }]);
  const weeks = await weeklyEmployerContacts(db, principal.organisationId, specialist.id, from, to);
  return { specialist, from, to, weeks, standard: FACE_TO_FACE_STANDARD };
}
