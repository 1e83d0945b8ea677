import * as audit from '../../platform/audit/service.ts';
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { Conflict, type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import * as queries from './queries.ts';
import type { RecordType } from './queries.ts';

export type { RecordType } from './queries.ts';

/** The schedule's record types, their defaults in years, and what happens when the time is up. */
export const RECORD_TYPES: ReadonlyArray<{ type: RecordType; label: string; defaultYears: number; action: string }> = [
  {
    type: 'closed_episode',
    label: 'People whose support has ended',
    defaultYears: 6,
    action: 'Anonymise the person this many years after their last episode closed (exited, or referral declined or withdrawn)',
  },
  {
    type: 'declined_referral',
    label: 'People who were only ever referred and declined',
    defaultYears: 2,
    action: 'Anonymise the person this many years after the decision, when every referral was declined or withdrawn',
  },
  {
    type: 'deleted_contact',
    label: 'Deleted contacts',
    defaultYears: 1,
    action: 'Remove the note and delete reason of a deleted contact this many years after it was deleted',
  },
];

export interface ScheduleRule {
  type: RecordType;
  label: string;
  action: string;
  years: number;
  defaultYears: number;
  /** 0 while the organisation uses the default (no row yet), so the first save is version-checked too. */
  version: number;
}

export async function schedule(db: Db, organisationId: string, options: { forUpdate?: boolean } = {}): Promise<ScheduleRule[]> {
  const rows = await queries.findRules(db, organisationId, options);
  return RECORD_TYPES.map((kind) => {
    const row = rows.find((candidate) => candidate.record_type === kind.type);
    return { ...kind, years: row?.years ?? kind.defaultYears, version: row?.version ?? 0 };
  });
}

export async function getSchedule(db: Db, principal: Principal): Promise<ScheduleRule[]> {
  assertCan(principal, 'settings:manage');
  return schedule(db, principal.organisationId);
}

/** Form values: `years-<type>` and `version-<type>` for each record type. */
export type ScheduleInput = Record<string, string>;

const STALE = 'The retention schedule was changed by someone else. Reload the page to see it, then make your change again.';

export async function updateSchedule(db: Db, principal: Principal, input: ScheduleInput): Promise<void> {
  assertCan(principal, 'settings:manage');
  const errors: FieldError[] = [];
  const wanted = RECORD_TYPES.map((kind) => {
    const raw = (input[`years-${kind.type}`] ?? '').trim();
    const years = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!raw) errors.push({ field: `years-${kind.type}`, text: `Enter how many years to keep: ${kind.label.toLowerCase()}` });
    else if (!(years >= 1 && years <= 100)) {
      errors.push({ field: `years-${kind.type}`, text: `Years for ${kind.label.toLowerCase()} must be a whole number between 1 and 100` });
    }
    const version = /^\d{1,9}$/.test(input[`version-${kind.type}`] ?? '') ? Number(input[`version-${kind.type}`]) : Number.NaN;
    return { type: kind.type, years, version };
  });
  if (errors.length > 0) throw new ValidationFailed(errors);
  if (wanted.some((rule) => Number.isNaN(rule.version))) throw new Conflict(STALE);
  await inTransaction(db, async (trx) => {
    const before = await schedule(trx, principal.organisationId, { forUpdate: true });
    const changes: Record<string, { before: number; after: number }> = {};
    for (const rule of wanted) {
      const current = before.find((candidate) => candidate.type === rule.type)!;
      if (current.version !== rule.version) throw new Conflict(STALE);
      if (current.years === rule.years) continue;
      const saved =
        rule.version === 0
          ? await queries.insertRule(trx, principal.organisationId, rule.type, rule.years, principal.userId)
          : await queries.updateRule(trx, principal.organisationId, rule.type, rule.version, rule.years, principal.userId);
      if (!saved) throw new Conflict(STALE);
      changes[rule.type] = { before: current.years, after: rule.years };
    }
    if (Object.keys(changes).length === 0) return;
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'retention.schedule-updated',
      subjectType: 'organisation',
      subjectId: principal.organisationId,
      detail: { changes },
    });
  });
}

/** The same calendar day `years` years before `date` (28 February for 29 February). */
export function yearsBefore(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = year - years;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  const safeDay = month === 2 && day === 29 && !leap ? 28 : day;
  return `${String(target).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(safeDay).padStart(2, '0')}`;
}

export interface DueReport {
  today: string;
  rules: Array<ScheduleRule & { cutoff: string; due: number }>;
  /** Opaque references only: the person's id and dates, never a name (organisation admins may not view people). */
  people: Array<{ reference: string; rule: RecordType; closedOn: string; firstReferredOn: string | null; episodes: number }>;
  contacts: number;
}

/** What the schedule would do today, changing nothing. */
export async function dueFor(db: Db, organisationId: string, today = londonToday()): Promise<DueReport> {
  const rules = await schedule(db, organisationId);
  const cutoff = (type: RecordType) => yearsBefore(today, rules.find((rule) => rule.type === type)!.years);
  const rows = await queries.duePeople(db, organisationId, { closedBefore: cutoff('closed_episode'), declinedBefore: cutoff('declined_referral') });
  const contacts = await queries.dueContacts(db, organisationId, cutoff('deleted_contact'));
  const people = rows.map((row) => ({
    reference: row.person_id,
    rule: row.rule,
    closedOn: row.closed_on,
    firstReferredOn: row.first_referred_on,
    episodes: row.episodes,
  }));
  return {
    today,
    rules: rules.map((rule) => ({
      ...rule,
      cutoff: cutoff(rule.type),
      due: rule.type === 'deleted_contact' ? contacts : people.filter((person) => person.rule === rule.type).length,
    })),
    people,
    contacts,
  };
}

/** The dry-run page for organisation admins; looking is audited, as it lists person ids. */
export async function getDue(db: Db, principal: Principal): Promise<DueReport> {
  assertCan(principal, 'settings:manage');
  const report = await dueFor(db, principal.organisationId);
  await audit.record(db, {
    organisationId: principal.organisationId,
    actor: actorOf(principal),
    action: 'retention.due-viewed',
    subjectType: 'organisation',
    subjectId: principal.organisationId,
    detail: { people: report.people.length, contacts: report.contacts },
  });
  return report;
}

/**
 * Anonymises one person in one transaction, with its audit event (the rule
 * and dates, never a name). False when the person was already anonymised.
 */
export async function anonymise(
  db: Db,
  organisationId: string,
  personId: string,
  why: { rule: RecordType; closedOn: string },
  actor: Actor = SYSTEM_ACTOR,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    if (!(await queries.lockPersonForAnonymising(trx, organisationId, personId))) return false;
    await queries.anonymisePerson(trx, organisationId, personId);
    await audit.record(trx, {
      organisationId,
      actor,
      action: 'person.anonymised',
      subjectType: 'person',
      subjectId: personId,
      detail: { rule: why.rule, closedOn: why.closedOn },
    });
    return true;
  });
}

export interface ApplyResult {
  anonymised: number;
  contactsPurged: number;
}

/**
 * Applies the schedule to one organisation: each person due is anonymised in
 * their own transaction (a failure leaves the others done), then the text of
 * old deleted contacts is removed in one more.
 */
export async function applyRetention(db: Db, organisationId: string, options: { today?: string; actor?: Actor } = {}): Promise<ApplyResult> {
  const report = await dueFor(db, organisationId, options.today);
  let anonymised = 0;
  for (const person of report.people) {
    if (await anonymise(db, organisationId, person.reference, { rule: person.rule, closedOn: person.closedOn }, options.actor)) anonymised += 1;
  }
  let contactsPurged = 0;
  if (report.contacts > 0) {
    const cutoff = report.rules.find((rule) => rule.type === 'deleted_contact')!.cutoff;
    contactsPurged = await inTransaction(db, async (trx) => {
      const purged = await queries.purgeContactText(trx, organisationId, cutoff);
      await audit.record(trx, {
        organisationId,
        actor: options.actor ?? SYSTEM_ACTOR,
        action: 'retention.contacts-purged',
        subjectType: 'organisation',
        subjectId: organisationId,
        detail: { contacts: purged, deletedBefore: cutoff },
      });
      return purged;
    });
  }
  return { anonymised, contactsPurged };
}

export const providerOrganisations = queries.providerOrganisations;

/** The daily job: every provider organisation in turn; one organisation's failure does not stop the rest. */
export async function applyToAll(db: Db, log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void }) {
  for (const organisation of await queries.providerOrganisations(db)) {
    try {
      const result = await applyRetention(db, organisation.id);
      if (result.anonymised || result.contactsPurged) log.info({ organisationId: organisation.id, ...result }, 'retention applied');
    } catch (error) {
      log.error({ err: error, organisationId: organisation.id }, 'retention failed');
    }
  }
}
