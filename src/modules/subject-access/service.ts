import * as audit from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { getPersonSummary } from '../people/service.ts';
import * as queries from './queries.ts';

/**
 * Subject access (UK GDPR article 15): everything held on one person, as
 * JSON and as a printable page. Nothing is left out; the parts a reviewer
 * must look at before release (restricted fields, criminal-offence detail,
 * notes that may name other people) are wrapped in a marker saying so.
 */

export interface ReviewMarker {
  restricted: true;
  reviewBeforeRelease: true;
  why: string;
  value: unknown;
}

export function isReviewMarker(value: unknown): value is ReviewMarker {
  return typeof value === 'object' && value !== null && (value as ReviewMarker).reviewBeforeRelease === true;
}

function review(value: unknown, why: string): ReviewMarker {
  return { restricted: true, reviewBeforeRelease: true, why, value };
}

/** Wraps the named fields of a row (those with a value) in review markers. */
function mark(row: queries.Row, fields: readonly string[], why: string): queries.Row {
  const marked = { ...row };
  for (const field of fields) {
    if (marked[field] !== null && marked[field] !== undefined && marked[field] !== '') marked[field] = review(marked[field], why);
  }
  return marked;
}

const RESTRICTED_PERSON_FIELDS = ['risk_notes', 'sexual_offence_details'] as const;
const WHY_RESTRICTED = 'Restricted field (needs people:view-restricted): risk or sexual offence information';
const WHY_PATHWAY = 'Contact note about a resettlement pathway (may hold health, substance use or offending detail)';
const WHY_OFFENCE = 'Criminal-offence information';
const WHY_OTHERS = 'Note of a contact with an employer that may also concern other people';

/** The sections in the order the document shows them. */
export const SECTIONS: ReadonlyArray<{ key: queries.SectionKey; title: string }> = [
  { key: 'aliases', title: 'Other names' },
  { key: 'episodes', title: 'Episodes of support' },
  { key: 'referrals', title: 'Referrals' },
  { key: 'custodySpells', title: 'Custody' },
  { key: 'prisonStays', title: 'Prison history' },
  { key: 'releaseDates', title: 'Release dates' },
  { key: 'releases', title: 'Releases' },
  { key: 'releasePlans', title: 'Release plans' },
  { key: 'releaseChecklist', title: 'Release-day checklist' },
  { key: 'contacts', title: 'Contacts' },
  { key: 'contactRevisions', title: 'Earlier versions of contacts' },
  { key: 'tasks', title: 'Tasks' },
  { key: 'allocations', title: 'Key workers (allocations)' },
  { key: 'custodyEvents', title: 'Returns to custody' },
  { key: 'vocationalProfiles', title: 'Vocational profile (every version)' },
  { key: 'benefitClaims', title: 'Benefit claims' },
  { key: 'benefitsSessions', title: 'Benefits-counselling sessions' },
  { key: 'employmentPlans', title: 'Employment plans' },
  { key: 'jobSearchActivities', title: 'Job search' },
  { key: 'employerContacts', title: 'Contacts with employers on their behalf' },
  { key: 'jobs', title: 'Jobs' },
  { key: 'jobCheckpoints', title: 'Job sustainment checkpoints' },
  { key: 'storedFiles', title: 'Stored files (details only)' },
  { key: 'referralDrafts', title: 'Unfinished referrals' },
  { key: 'consents', title: 'Consents to sharing' },
  { key: 'personRevisions', title: 'Changes to the record (rectification history)' },
  { key: 'auditEvents', title: 'Who viewed or changed the record (audit trail)' },
];

export interface SubjectAccessExport {
  exportedAt: string;
  exportedBy: string;
  personId: string;
  notice: string;
  person: queries.Row;
  sections: Record<queries.SectionKey, queries.Row[]>;
}

/** Marks the parts a reviewer must see before release; leaves everything else as stored. */
function markForReview(raw: Record<queries.SectionKey, queries.Row[]>): Record<queries.SectionKey, queries.Row[]> {
  const markPrevious = (row: queries.Row, fields: readonly string[], why: string) => ({
    ...row,
    previous: mark((row.previous ?? {}) as queries.Row, fields, why),
  });
  return {
    ...raw,
    contacts: raw.contacts.map((row) => ({ ...(row.pathway_code ? mark(row, ['note'], WHY_PATHWAY) : row), deleted: row.deleted_at !== null })),
    contactRevisions: raw.contactRevisions.map((row) =>
      (row.previous as queries.Row | null)?.pathway_code ? markPrevious(row, ['note'], WHY_PATHWAY) : row,
    ),
    vocationalProfiles: raw.vocationalProfiles.map((row) => mark(row, ['conviction_details', 'licence_condition_notes', 'disclosure_plan'], WHY_OFFENCE)),
    employerContacts: raw.employerContacts.map((row) => mark(row, ['note'], WHY_OTHERS)),
    personRevisions: raw.personRevisions.map((row) => markPrevious(row, RESTRICTED_PERSON_FIELDS, WHY_RESTRICTED)),
  };
}

/**
 * Everything held on the person, with review markers, audited as
 * 'person.subject-access.exported' with the format in the same transaction.
 */
export async function exportPerson(db: Db, principal: Principal, personId: string, format: 'json' | 'html', now = new Date()): Promise<SubjectAccessExport> {
  assertCan(principal, 'people:subject-access');
  return inTransaction(db, async (trx) => {
    const summary = await getPersonSummary(trx, principal, personId);
    const person = await queries.personRow(trx, principal.organisationId, summary.id);
    if (!person) throw new Error('person vanished inside its transaction');
    const raw = await queries.everythingAbout(trx, principal.organisationId, summary.id);
    const sections = markForReview(raw);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'person.subject-access.exported',
      subjectType: 'person',
      subjectId: summary.id,
      detail: { format },
    });
    return {
      exportedAt: now.toISOString(),
      exportedBy: principal.displayName,
      personId: summary.id,
      notice:
        'Everything Throughgate holds on this person. Parts marked reviewBeforeRelease must be reviewed, and redacted where the law allows, before release to the person.',
      person: { ...mark(person, RESTRICTED_PERSON_FIELDS, WHY_RESTRICTED), aliases: raw.aliases },
      sections,
    };
  });
}

/** Who the landing page is about; not a view of their record, so not audited. */
export async function subjectAccessPerson(db: Db, principal: Principal, personId: string) {
  assertCan(principal, 'people:subject-access');
  return getPersonSummary(db, principal, personId);
}

export interface DocumentField {
  name: string;
  text: string;
  review: { why: string; text: string } | null;
}

function display(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'Not recorded';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return JSON.stringify(value, null, 1);
  return String(value);
}

function fieldsOf(row: queries.Row): DocumentField[] {
  const fields: DocumentField[] = [];
  for (const [name, value] of Object.entries(row)) {
    if (name === 'organisation_id') continue;
    if (isReviewMarker(value)) {
      fields.push({ name, text: '', review: { why: value.why, text: display(value.value) } });
    } else if (name === 'previous' && value && typeof value === 'object' && Object.values(value).some(isReviewMarker)) {
      // A revision's earlier values: the marked ones each get their own box.
      for (const [inner, innerValue] of Object.entries(value)) {
        fields.push(
          isReviewMarker(innerValue)
            ? { name: `previous ${inner}`, text: '', review: { why: innerValue.why, text: display(innerValue.value) } }
            : { name: `previous ${inner}`, text: display(innerValue), review: null },
        );
      }
    } else {
      fields.push({ name, text: display(value), review: null });
    }
  }
  return fields;
}

/** The export as the printable document's sections: each row a list of fields, marked ones in review boxes. */
export function documentModel(data: SubjectAccessExport) {
  const { aliases: _aliases, ...person } = data.person;
  return {
    person: fieldsOf(person),
    sections: SECTIONS.map((section) => ({ key: section.key, title: section.title, rows: data.sections[section.key].map(fieldsOf) })),
  };
}
