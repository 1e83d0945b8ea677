import * as audit from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/permissions.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { Conflict, type FieldError, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { getPersonSummary, type PersonSummary, recordView } from '../people/service.ts';
import { loadReferenceData, type ReferenceData } from '../reference-data/service.ts';
import type { ConsentInput, WithdrawInput } from './consent-form.ts';
import * as queries from './queries.ts';

/**
 * Consent to each kind of sharing, per person, with its withdrawal. A
 * withdrawn consent keeps its row: the history of what was agreed, and when,
 * is itself a record. Later modules ask hasConsent() before sharing.
 */

export const CONSENT_LISTS = ['sharing_kind'] as const;
export const MAX_RECIPIENT = 200;
export const MAX_NOTE = 2000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether the person had consented to this kind of sharing on the day: a
 * consent given on or before it and not withdrawn on or before it. A
 * malformed id or date is never consent. The caller has already checked
 * its own access to the person.
 */
export async function hasConsent(db: Db, organisationId: string, personId: string, kindCode: string, onDate: string): Promise<boolean> {
  if (!isUuid(organisationId) || !isUuid(personId) || !ISO_DATE.test(onDate) || Number.isNaN(Date.parse(onDate))) return false;
  return queries.consentHeldOn(db, organisationId, personId, kindCode, onDate);
}

export interface ConsentView {
  id: string;
  kindCode: string;
  kindLabel: string;
  recipient: string | null;
  givenOn: string;
  note: string | null;
  recordedBy: string | null;
  withdrawnOn: string | null;
  withdrawnBy: string | null;
  withdrawalNote: string | null;
  current: boolean;
  version: number;
}

function toView(row: queries.ConsentRow, reference: ReferenceData, today: string): ConsentView {
  return {
    id: row.id,
    kindCode: row.kind_code,
    kindLabel: reference.label('sharing_kind', row.kind_code),
    recipient: row.recipient,
    givenOn: row.given_on,
    note: row.note,
    recordedBy: row.recorded_by_name,
    withdrawnOn: row.withdrawn_on,
    withdrawnBy: row.withdrawn_by_name,
    withdrawalNote: row.withdrawal_note,
    current: row.given_on <= today && (row.withdrawn_on === null || row.withdrawn_on > today),
    version: row.version,
  };
}

export function canEdit(principal: Principal): boolean {
  return can(principal.role, 'people:edit');
}

/** A person's consents, for the page (grouped by kind) and the API; viewing them is a view of the person, audited. */
export async function viewConsents(db: Db, principal: Principal, personId: string, via: 'page' | 'api' = 'page') {
  assertCan(principal, 'people:view');
  return inTransaction(db, async (trx) => {
    const person = await getPersonSummary(trx, principal, personId);
    const reference = await loadReferenceData(trx, principal.organisationId, CONSENT_LISTS);
    const today = londonToday();
    const consents = (await queries.listConsents(trx, principal.organisationId, person.id)).map((row) => toView(row, reference, today));
    const kinds = reference.items('sharing_kind').map((item) => ({
      code: item.code,
      label: item.label,
      consents: consents.filter((consent) => consent.kindCode === item.code),
    }));
    // Consents of a kind since removed from the list still show, under their own code.
    for (const consent of consents) {
      if (!kinds.some((kind) => kind.code === consent.kindCode)) kinds.push({ code: consent.kindCode, label: consent.kindLabel, consents: [consent] });
    }
    await recordView(trx, principal, person.id, 'person.viewed', { via: via === 'api' ? 'api-consents' : 'consents' });
    return { person, consents, kinds };
  });
}

/** The person and the kinds of sharing, for the "record consent" form. */
export async function consentForm(db: Db, principal: Principal, personId: string, currentKind = '') {
  assertCan(principal, 'people:edit');
  const person = await getPersonSummary(db, principal, personId);
  const reference = await loadReferenceData(db, principal.organisationId, CONSENT_LISTS);
  return { person, kindOptions: reference.options('sharing_kind', currentKind) };
}

function checkText(value: string, field: string, label: string, max: number, errors: FieldError[]): string | null {
  const text = value.trim();
  if (text.length > max) errors.push({ field, text: `${label} must be ${max} characters or fewer` });
  return text || null;
}

/** Records that the person consented to one kind of sharing, from a date not in the future. */
export async function recordConsent(db: Db, principal: Principal, personId: string, input: ConsentInput, now: Date = new Date()): Promise<string> {
  assertCan(principal, 'people:edit');
  return inTransaction(db, async (trx) => {
    const person: PersonSummary = await getPersonSummary(trx, principal, personId);
    const reference = await loadReferenceData(trx, principal.organisationId, CONSENT_LISTS);
    const errors: FieldError[] = [];
    if (!input.kindCode) errors.push({ field: 'kind', text: 'Select the kind of sharing' });
    else reference.check('sharing_kind', input.kindCode, 'kind', errors, 'Select a kind of sharing from the list');
    const recipient = checkText(input.recipient, 'recipient', 'Recipient', MAX_RECIPIENT, errors);
    errors.push(...input.errors);
    if (input.givenOn === undefined) errors.push({ field: 'givenOn-day', text: 'Enter the date consent was given' });
    else if (input.givenOn && input.givenOn > londonToday(now)) errors.push({ field: 'givenOn-day', text: 'The date consent was given must be today or in the past' });
    const note = checkText(input.note, 'note', 'Note', MAX_NOTE, errors);
    if (errors.length > 0 || !input.givenOn) throw new ValidationFailed(errors);
    const actor = actorOf(principal);
    const { id } = await queries.insertConsent(trx, {
      organisation_id: principal.organisationId,
      person_id: person.id,
      kind_code: input.kindCode,
      recipient,
      given_on: input.givenOn,
      note,
      recorded_by: actor.userId,
    });
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor,
      action: 'person.consent-recorded',
      subjectType: 'person',
      subjectId: person.id,
      detail: { consentId: id, kind: input.kindCode, givenOn: input.givenOn },
    });
    return id;
  });
}

/** One of the person's consents, for the withdrawal page: 404 for anyone else's or a malformed id. */
export async function consentFor(db: Db, principal: Principal, personId: string, consentId: string) {
  assertCan(principal, 'people:edit');
  const person = await getPersonSummary(db, principal, personId);
  const row = isUuid(consentId) ? await queries.findConsent(db, principal.organisationId, person.id, consentId) : undefined;
  if (!row) throw new NotFound();
  const reference = await loadReferenceData(db, principal.organisationId, CONSENT_LISTS);
  const consent = toView({ ...row, recorded_by_name: null, withdrawn_by_name: null }, reference, londonToday());
  return { person, consent };
}

/**
 * Withdraws a consent from a date, keeping the row. Refused when it is
 * already withdrawn; a save from a stale page is a conflict and changes nothing.
 */
export async function withdrawConsent(db: Db, principal: Principal, personId: string, consentId: string, input: WithdrawInput, now: Date = new Date()) {
  assertCan(principal, 'people:edit');
  return inTransaction(db, async (trx) => {
    const person = await getPersonSummary(trx, principal, personId);
    const row = isUuid(consentId) ? await queries.findConsent(trx, principal.organisationId, person.id, consentId, { forUpdate: true }) : undefined;
    if (!row) throw new NotFound();
    const version = /^\d{1,9}$/.test(input.version) ? Number(input.version) : -1;
    if (row.version !== version) throw new Conflict();
    const errors: FieldError[] = [...input.errors];
    if (row.withdrawn_on) errors.push({ field: 'withdrawnOn-day', text: 'This consent has already been withdrawn' });
    if (input.withdrawnOn === undefined) errors.push({ field: 'withdrawnOn-day', text: 'Enter the date consent was withdrawn' });
    else if (input.withdrawnOn && input.withdrawnOn > londonToday(now)) {
      errors.push({ field: 'withdrawnOn-day', text: 'The date consent was withdrawn must be today or in the past' });
    } else if (input.withdrawnOn && input.withdrawnOn < row.given_on) {
      errors.push({ field: 'withdrawnOn-day', text: 'The date consent was withdrawn must be on or after the date it was given' });
    }
    const note = checkText(input.note, 'note', 'Note', MAX_NOTE, errors);
    if (errors.length > 0 || !input.withdrawnOn) throw new ValidationFailed(errors);
    const actor = actorOf(principal);
    if (!(await queries.withdrawConsent(trx, principal.organisationId, row.id, version, { withdrawn_on: input.withdrawnOn, withdrawn_by: actor.userId, withdrawal_note: note }))) {
      throw new Conflict();
    }
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor,
      action: 'person.consent-withdrawn',
      subjectType: 'person',
      subjectId: person.id,
      detail: { consentId: row.id, kind: row.kind_code, withdrawnOn: input.withdrawnOn },
    });
  });
}
