import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { Conflict, type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { type DateValue, dateError, formatDate, readDate, sentenceDays, todayInLondon } from './dates.ts';
import { auditEpisode, episodeOr404 } from './episode-access.ts';
import * as queries from './queries.ts';

export const ADDRESS_STATUSES = ['known', 'unknown', 'no_fixed_abode'] as const;
export type AddressStatus = (typeof ADDRESS_STATUSES)[number];
export const ADDRESS_STATUS_LABELS: Record<AddressStatus, string> = {
  known: 'Known',
  unknown: 'Not known yet',
  no_fixed_abode: 'No fixed abode',
};

/** The reference lists the custody forms offer. */
export async function custodyChoices(db: Db, principal: Principal) {
  assertCan(principal, 'people:view');
  return loadReferenceData(db, principal.organisationId, ['custody_status', 'prison', 'release_type', 'release_date_kind']);
}

export interface CustodyDetailsInput {
  statusCode: string;
  sentenceYears: string;
  sentenceMonths: string;
  sentenceDays: string;
  expectedReleaseArea: string;
  releaseAddressStatus: string;
  releaseAddress: string;
  localAuthority: string;
  episodeVersion: number | null;
  /** The custody spell's version the form showed; null when it showed none. */
  spellVersion: number | null;
}

function wholeNumber(value: string, max: number, field: string, label: string, errors: FieldError[]): number {
  if (!value) return 0;
  if (!/^\d{1,6}$/.test(value) || Number(value) > max) {
    errors.push({ field, text: `${label} must be a whole number from 0 to ${max}` });
    return 0;
  }
  return Number(value);
}

function optionalText(value: string, max: number, field: string, label: string, errors: FieldError[]): string | null {
  const text = value.trim();
  if (text.length > max) errors.push({ field, text: `${label} must be ${max} characters or fewer` });
  return text || null;
}

/**
 * Saves custody status and sentence (the current custody spell) and the
 * episode's release area, address and local authority, each guarded by the
 * version the form showed.
 */
export async function updateCustodyDetails(db: Db, principal: Principal, episodeId: string, input: CustodyDetailsInput) {
  assertCan(principal, 'people:edit');
  const reference = await loadReferenceData(db, principal.organisationId, ['custody_status']);
  const errors: FieldError[] = [];
  const status = reference.check('custody_status', input.statusCode, 'statusCode', errors, 'Select remand or sentenced');
  const years = wholeNumber(input.sentenceYears, 99, 'sentenceYears', 'Years', errors);
  const months = wholeNumber(input.sentenceMonths, 1200, 'sentenceMonths', 'Months', errors);
  const days = wholeNumber(input.sentenceDays, 36500, 'sentenceDays', 'Days', errors);
  const sentence = years + months + days > 0 ? sentenceDays(years, months, days) : null;
  if (sentence !== null && status !== 'sentenced' && !errors.some((error) => error.field === 'statusCode')) {
    errors.push({ field: 'statusCode', text: 'Select sentenced, or remove the sentence length' });
  }
  const addressStatus = (ADDRESS_STATUSES as readonly string[]).includes(input.releaseAddressStatus)
    ? (input.releaseAddressStatus as AddressStatus)
    : null;
  if (!addressStatus) errors.push({ field: 'releaseAddressStatus', text: 'Select whether the release address is known' });
  const address = addressStatus === 'known' ? optionalText(input.releaseAddress, 500, 'releaseAddress', 'The address', errors) : null;
  if (addressStatus === 'known' && !address && !errors.some((e) => e.field === 'releaseAddress')) {
    errors.push({ field: 'releaseAddress', text: 'Enter the release address' });
  }
  const values = {
    expected_release_area: optionalText(input.expectedReleaseArea, 100, 'expectedReleaseArea', 'The release area', errors),
    release_address: address,
    release_address_status: addressStatus ?? 'unknown',
    local_authority: optionalText(input.localAuthority, 100, 'localAuthority', 'The local authority', errors),
  };
  if (errors.length > 0) throw new ValidationFailed(errors);

  return db.transaction().execute(async (trx) => {
    const episode = await episodeOr404(trx, principal, episodeId, { forUpdate: true });
    const stale = () => new Conflict('The custody details were changed by someone else. Check them and try again.');
    const spell = await queries.currentSpell(trx, principal.organisationId, episode.id);
    if (input.episodeVersion === null) throw stale();
    if (!(await queries.updateEpisodeReleaseColumns(trx, principal.organisationId, episode.id, input.episodeVersion, values))) throw stale();
    if (spell) {
      if (input.spellVersion === null) throw stale();
      const spellValues = { status_code: status ?? spell.status_code, sentence_length_days: sentence, started_on: spell.started_on };
      if (!(await queries.updateSpell(trx, principal.organisationId, spell.id, input.spellVersion, spellValues))) throw stale();
    } else if (input.spellVersion !== null) {
      throw stale();
    } else if (status) {
      await queries.insertSpell(trx, {
        organisation_id: principal.organisationId,
        episode_id: episode.id,
        status_code: status,
        sentence_length_days: sentence,
        started_on: null,
      });
    }
    await auditEpisode(trx, principal, episode.id, 'custody.updated', {
      from: {
        statusCode: spell?.status_code ?? null,
        sentenceLengthDays: spell?.sentence_length_days ?? null,
        expectedReleaseArea: episode.expected_release_area,
        releaseAddressStatus: episode.release_address_status,
        localAuthority: episode.local_authority,
      },
      to: {
        statusCode: status ?? spell?.status_code ?? null,
        sentenceLengthDays: sentence,
        expectedReleaseArea: values.expected_release_area,
        releaseAddressStatus: values.release_address_status,
        localAuthority: values.local_authority,
      },
    });
  });
}

export interface PrisonMoveInput {
  prisonCode: string;
  arrivedOn: DateValue;
  /** The open stay the form showed (its id, or null for none), so two moves recorded at once do not both win. */
  currentStayId: string | null;
}

/** Records arrival at a prison: a transfer closes the open stay on the same day and opens the next. */
export async function recordPrisonMove(db: Db, principal: Principal, episodeId: string, input: PrisonMoveInput) {
  assertCan(principal, 'people:edit');
  const reference = await loadReferenceData(db, principal.organisationId, ['prison']);
  const errors: FieldError[] = [];
  if (!input.prisonCode) errors.push({ field: 'prisonCode', text: 'Select the prison' });
  else reference.check('prison', input.prisonCode, 'prisonCode', errors, 'Select a prison from the list');
  const arrivedOn = readDate(input.arrivedOn, 'The date they arrived', 'arrivedOn', errors);
  const dateProblem = (text: string) => dateError(input.arrivedOn, 'arrivedOn', text);
  if (!arrivedOn && !errors.some((e) => e.field.startsWith('arrivedOn'))) errors.push(dateProblem('Enter the date they arrived'));
  if (arrivedOn && arrivedOn > todayInLondon()) errors.push(dateProblem('The date they arrived must be today or in the past'));
  if (errors.length > 0 || !arrivedOn) throw new ValidationFailed(errors);

  return db.transaction().execute(async (trx) => {
    const episode = await episodeOr404(trx, principal, episodeId, { forUpdate: true });
    const open = await queries.openStay(trx, principal.organisationId, episode.id);
    if ((open?.id ?? null) !== input.currentStayId) throw new Conflict('The prison history was changed by someone else. Check it and try again.');
    if (open?.prison_code === input.prisonCode) {
      throw new ValidationFailed([{ field: 'prisonCode', text: `They are already at ${reference.label('prison', open.prison_code)}` }]);
    }
    if (open?.arrived_on && open.arrived_on > arrivedOn) {
      const text = `The date they arrived must be on or after they arrived at ${reference.label('prison', open.prison_code)} (${formatDate(open.arrived_on)})`;
      throw new ValidationFailed([dateProblem(text)]);
    }
    if (open) await queries.setStayLeftOn(trx, principal.organisationId, open.id, arrivedOn);
    const stay = await queries.insertStay(trx, {
      organisation_id: principal.organisationId,
      episode_id: episode.id,
      prison_code: input.prisonCode,
      arrived_on: arrivedOn,
    });
    await auditEpisode(trx, principal, episode.id, 'custody.prison_recorded', {
      from: open ? { stayId: open.id, prisonCode: open.prison_code, leftOn: arrivedOn } : null,
      to: { stayId: stay.id, prisonCode: input.prisonCode, arrivedOn },
    });
  });
}
