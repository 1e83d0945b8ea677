import { type Db, inTransaction } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import type { DateFieldError, DateParts } from '../../platform/http/date-input.ts';
import { type FieldError, Forbidden, ValidationFailed } from '../../platform/http/errors.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { loadReferenceData, type ReferenceData } from '../reference-data/service.ts';
import * as queries from './queries.ts';
import { type NewReferral, openEpisodeInto } from './referrals.ts';
import { optionalText, requiredPastDate, requiredText, yesNo } from './rules.ts';

/**
 * The referral form journey: a task list of three sections, each saved into
 * a draft (table referral_draft) once it is valid, then check your answers,
 * then one transaction that opens the episode. The draft is kept per person
 * and per practitioner, so a half-entered referral survives a lost session
 * or a switch of device, and never counts as a referral until submitted.
 */
export const SECTIONS = ['source', 'details', 'agreement'] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_TITLES: Record<Section, string> = {
  source: 'Referral source',
  details: 'Referral details',
  agreement: 'The person’s agreement',
};

export interface SourceAnswers {
  sourceCode: string;
  referringOrganisation: string | null;
  referrerName: string | null;
  referrerContact: string | null;
}
export interface DetailsAnswers {
  receivedOn: string;
  reason: string;
}
export interface AgreementAnswers {
  personKnows: boolean;
  personAgrees: boolean;
  confirmedBy: string;
  confirmedOn: string;
}
export interface DraftAnswers {
  source?: SourceAnswers;
  details?: DetailsAnswers;
  agreement?: AgreementAnswers;
}

export function isSection(value: string): value is Section {
  return (SECTIONS as readonly string[]).includes(value);
}

function requireDraftOwner(principal: Principal): string {
  assertCan(principal, 'people:edit');
  if (!principal.userId) throw new Forbidden('Referral drafts belong to a signed-in user.');
  return principal.userId;
}

export async function loadDraft(db: Db, principal: Principal, personId: string): Promise<DraftAnswers> {
  const userId = requireDraftOwner(principal);
  const row = await queries.findDraft(db, principal.organisationId, personId, userId);
  return (row?.answers ?? {}) as DraftAnswers;
}

export function journeyReferenceData(db: Db, principal: Principal): Promise<ReferenceData> {
  return loadReferenceData(db, principal.organisationId, ['referral_source']);
}

/** The raw form fields of each section, as posted. */
export interface SectionForm {
  sourceCode?: string;
  referringOrganisation?: string;
  referrerName?: string;
  referrerContact?: string;
  receivedOn?: DateParts;
  reason?: string;
  personKnows?: string;
  personAgrees?: string;
  confirmedBy?: string;
  confirmedOn?: DateParts;
}

function checkSource(reference: ReferenceData, form: SectionForm, errors: FieldError[]): SourceAnswers {
  const code = form.sourceCode ?? '';
  if (!code) errors.push({ field: 'sourceCode', text: 'Select who referred the person' });
  else reference.check('referral_source', code, 'sourceCode', errors, 'Select a referral source from the list');
  return {
    sourceCode: code,
    referringOrganisation: optionalText(form.referringOrganisation ?? '', 'referringOrganisation', 'Referring organisation', 200, errors),
    referrerName: optionalText(form.referrerName ?? '', 'referrerName', 'Referrer’s name', 200, errors),
    referrerContact: optionalText(form.referrerContact ?? '', 'referrerContact', 'Referrer’s contact details', 200, errors),
  };
}

function checkDetails(form: SectionForm, errors: DateFieldError[]): DetailsAnswers {
  const receivedOn = requiredPastDate(form.receivedOn ?? { day: '', month: '', year: '' }, 'Date received', 'receivedOn', errors);
  const reason = requiredText(form.reason ?? '', 'reason', 'Enter the reason for the referral', 2000, errors);
  return { receivedOn: receivedOn ?? '', reason };
}

function checkAgreement(form: SectionForm, errors: DateFieldError[]): AgreementAnswers {
  const personKnows = yesNo(form.personKnows ?? '');
  if (personKnows === undefined) errors.push({ field: 'personKnows', text: 'Select yes if the person knows about the referral' });
  const personAgrees = yesNo(form.personAgrees ?? '');
  if (personAgrees === undefined) errors.push({ field: 'personAgrees', text: 'Select yes if the person agrees to the referral' });
  const confirmedBy = requiredText(form.confirmedBy ?? '', 'confirmedBy', 'Enter who confirmed this', 200, errors);
  const confirmedOn = requiredPastDate(form.confirmedOn ?? { day: '', month: '', year: '' }, 'Date confirmed', 'confirmedOn', errors);
  return { personKnows: personKnows ?? false, personAgrees: personAgrees ?? false, confirmedBy, confirmedOn: confirmedOn ?? '' };
}

/** Checks one section; when it is valid, saves it into the draft. */
export async function saveSection(db: Db, principal: Principal, personId: string, section: Section, form: SectionForm) {
  const userId = requireDraftOwner(principal);
  const errors: DateFieldError[] = [];
  const reference = await journeyReferenceData(db, principal);
  const answers =
    section === 'source' ? checkSource(reference, form, errors) : section === 'details' ? checkDetails(form, errors) : checkAgreement(form, errors);
  if (errors.length > 0) throw new ValidationFailed(errors);
  const draft = await loadDraft(db, principal, personId);
  await queries.saveDraft(db, principal.organisationId, personId, userId, { ...draft, [section]: answers });
}

/** Which sections are still to do, as errors pointing at their task list rows. */
export function missingSections(draft: DraftAnswers): FieldError[] {
  return SECTIONS.filter((section) => !draft[section]).map((section) => ({
    field: `task-${section}`,
    text: `Complete “${SECTION_TITLES[section]}”`,
  }));
}

/**
 * Submits the draft: every section must be there and still valid (a saved
 * date received cannot become wrong, but a reference item can be retired).
 * The episode, referral, allocation to the submitting practitioner and audit
 * row commit together with the draft's deletion.
 */
export async function submitDraft(db: Db, principal: Principal, personId: string): Promise<{ episodeId: string }> {
  const userId = requireDraftOwner(principal);
  const draft = await loadDraft(db, principal, personId);
  const errors = missingSections(draft);
  if (errors.length > 0) throw new ValidationFailed(errors);
  const { source, details, agreement } = draft as Required<DraftAnswers>;
  const reference = await journeyReferenceData(db, principal);
  if (!reference.offers('referral_source', source.sourceCode)) {
    throw new ValidationFailed([{ field: 'task-source', text: 'The referral source is no longer on the list: change it' }]);
  }
  const input: NewReferral = {
    personId,
    receivedOn: details.receivedOn,
    sourceCode: source.sourceCode,
    referringOrganisation: source.referringOrganisation,
    referrerName: source.referrerName,
    referrerContact: source.referrerContact,
    reason: details.reason,
    personKnows: agreement.personKnows,
    personAgrees: agreement.personAgrees,
    agreementConfirmedBy: agreement.confirmedBy,
    agreementConfirmedOn: agreement.confirmedOn,
  };
  return inTransaction(db, async (trx) => {
    const created = await openEpisodeInto(trx, principal, input, { keyWorkerId: userId, createdByPeerAdvisor: false });
    await queries.deleteDraft(trx, principal.organisationId, personId, userId);
    return created;
  });
}

/** Rows for "Check your answers", each with its change link's section. */
export function answerRows(draft: DraftAnswers, reference: ReferenceData) {
  const yes = (value: boolean | undefined) => (value === undefined ? '' : value ? 'Yes' : 'No');
  const { source, details, agreement } = draft;
  return [
    { section: 'source', key: 'Referral source', value: source ? reference.label('referral_source', source.sourceCode) : '' },
    { section: 'source', key: 'Referring organisation', value: source?.referringOrganisation ?? '' },
    { section: 'source', key: 'Referrer’s name', value: source?.referrerName ?? '' },
    { section: 'source', key: 'Referrer’s contact details', value: source?.referrerContact ?? '' },
    { section: 'details', key: 'Date received', value: details?.receivedOn ?? '', isDate: true },
    { section: 'details', key: 'Reason for referral', value: details?.reason ?? '' },
    { section: 'agreement', key: 'Knows about the referral', value: yes(agreement?.personKnows) },
    { section: 'agreement', key: 'Agrees to the referral', value: yes(agreement?.personAgrees) },
    { section: 'agreement', key: 'Confirmed by', value: agreement?.confirmedBy ?? '' },
    { section: 'agreement', key: 'Date confirmed', value: agreement?.confirmedOn ?? '', isDate: true },
  ];
}
