import { type Db, inTransaction } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { type DateFieldError, type DateParts, isoDate, parseDateInput } from '../../platform/http/date-input.ts';
import { type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { createPerson, getPersonSummary, personErrors, type PersonInput } from '../people/service.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { type NewReferral, openEpisodeInto } from './referrals.ts';
import { londonToday, optionalText, requiredText, yesNo } from './rules.ts';

/** The two ways a referral arrives with its person: a peer advisor's intake form and the partner API. */

export interface IntakeForm {
  givenName: string;
  familyName: string;
  dateOfBirth: DateParts;
  prisonNumber: string;
  prisonCode: string;
  helpWith: string;
  agreesToContact: string;
}

/**
 * A peer advisor's narrow intake: creates the person and a pending referral
 * that a practitioner completes. The prison and what they would like help
 * with go into the referral's reason, since the referral has no prison
 * column and the custody record is the practitioner's to start. Nobody is
 * allocated: the practitioner who accepts it becomes the key worker.
 */
export async function submitIntake(db: Db, principal: Principal, form: IntakeForm): Promise<{ episodeId: string }> {
  assertCan(principal, 'intake:create');
  const reference = await loadReferenceData(db, principal.organisationId, ['prison']);
  const errors: DateFieldError[] = [];
  const dateOfBirth = parseDateInput(form.dateOfBirth, 'Date of birth', 'dateOfBirth', errors);
  const person: PersonInput = {
    givenName: form.givenName,
    familyName: form.familyName,
    dateOfBirth: dateOfBirth ? isoDate(dateOfBirth) : null,
    prisonNumber: form.prisonNumber || null,
  };
  if (errors.length === 0) errors.push(...(await personErrors(db, principal, person, 'dateOfBirth-day')));
  if (!form.prisonCode) errors.push({ field: 'prisonCode', text: 'Select the prison they are in' });
  else reference.check('prison', form.prisonCode, 'prisonCode', errors, 'Select a prison from the list');
  const helpWith = requiredText(form.helpWith, 'helpWith', 'Enter what they would like help with', 2000, errors);
  const agrees = yesNo(form.agreesToContact);
  if (agrees === undefined) errors.push({ field: 'agreesToContact', text: 'Select yes if they agree to be contacted' });
  if (errors.length > 0) throw new ValidationFailed(errors);

  const today = londonToday();
  return inTransaction(db, async (trx) => {
    const created = await createPerson(trx, principal, person, 'dateOfBirth-day');
    return openEpisodeInto(
      trx,
      principal,
      {
        personId: created.id,
        receivedOn: today,
        sourceCode: null,
        referringOrganisation: null,
        referrerName: principal.displayName,
        referrerContact: null,
        reason: `Prison: ${reference.label('prison', form.prisonCode)}. Would like help with: ${helpWith}`,
        personKnows: true,
        personAgrees: agrees as boolean,
        agreementConfirmedBy: `${principal.displayName} (peer advisor)`,
        agreementConfirmedOn: today,
      },
      { keyWorkerId: null, createdByPeerAdvisor: true },
    );
  });
}

/** A referral from a partner system: an existing person by id, or a new one described in full. */
export interface ApiReferral {
  personId?: string;
  person?: PersonInput;
  receivedOn: string;
  sourceCode?: string;
  referringOrganisation?: string;
  referrerName?: string;
  referrerContact?: string;
  reason?: string;
  personKnows?: boolean;
  personAgrees?: boolean;
  agreementConfirmedBy?: string;
  agreementConfirmedOn?: string;
}

/** Creates the person (or uses the one named), the episode and its pending referral in one transaction. */
export async function createReferralFromApi(db: Db, principal: Principal, body: ApiReferral): Promise<{ episodeId: string; personId: string }> {
  assertCan(principal, 'people:edit');
  const errors: FieldError[] = [];
  if (Boolean(body.personId) === Boolean(body.person)) errors.push({ field: 'personId', text: 'Give either personId or person, not both' });
  const reference = await loadReferenceData(db, principal.organisationId, ['referral_source']);
  const today = londonToday();
  if (body.receivedOn > today) errors.push({ field: 'receivedOn', text: 'receivedOn must be today or in the past' });
  if (body.agreementConfirmedOn && body.agreementConfirmedOn > today) {
    errors.push({ field: 'agreementConfirmedOn', text: 'agreementConfirmedOn must be today or in the past' });
  }
  const sourceCode = reference.check('referral_source', body.sourceCode ?? '', 'sourceCode', errors, 'sourceCode is not on the referral source list');
  const text = (value: string | undefined, field: string) => optionalText(value ?? '', field, field, 2000, errors);
  if (body.person) {
    for (const error of await personErrors(db, principal, body.person, 'dateOfBirth')) errors.push({ ...error, field: `person/${error.field}` });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  return inTransaction(db, async (trx) => {
    let personId: string;
    if (body.person) personId = (await createPerson(trx, principal, body.person)).id;
    else {
      if (!isUuid(body.personId)) throw new ValidationFailed([{ field: 'personId', text: 'No person with this id' }]);
      personId = (await getPersonSummary(trx, principal, body.personId).catch(() => {
        throw new ValidationFailed([{ field: 'personId', text: 'No person with this id' }]);
      })).id;
    }
    const input: NewReferral = {
      personId,
      receivedOn: body.receivedOn,
      sourceCode,
      referringOrganisation: text(body.referringOrganisation, 'referringOrganisation'),
      referrerName: text(body.referrerName, 'referrerName'),
      referrerContact: text(body.referrerContact, 'referrerContact'),
      reason: text(body.reason, 'reason'),
      personKnows: body.personKnows ?? null,
      personAgrees: body.personAgrees ?? null,
      agreementConfirmedBy: text(body.agreementConfirmedBy, 'agreementConfirmedBy'),
      agreementConfirmedOn: body.agreementConfirmedOn ?? null,
    };
    if (errors.length > 0) throw new ValidationFailed(errors);
    const created = await openEpisodeInto(trx, principal, input, { keyWorkerId: null, createdByPeerAdvisor: false });
    return { ...created, personId };
  });
}
