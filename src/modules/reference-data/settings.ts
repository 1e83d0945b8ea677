import * as audit from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { Conflict, type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { recomputeOrganisation } from '../engagement/service.ts';
import * as queries from './queries.ts';

/**
 * The organisation's rules for the journey (organisation_setting). An
 * organisation with no row yet has the defaults; the first save creates it.
 * Version 0 stands for "no row yet" so the first save is version-checked too.
 */
export const DEFAULT_ENGAGED_AFTER_CONTACTS = 2;

export interface OrganisationSettings {
  engagedAfterContacts: number;
  serviceArea: string | null;
  version: number;
}

/** For other modules (the release board's "far from the service area" flag, for example). */
export async function getOrganisationSettings(db: Db, organisationId: string): Promise<OrganisationSettings> {
  const row = await queries.findSettings(db, organisationId);
  return {
    engagedAfterContacts: row?.engaged_after_contacts ?? DEFAULT_ENGAGED_AFTER_CONTACTS,
    serviceArea: row?.service_area ?? null,
    version: row?.version ?? 0,
  };
}

export async function getSettingsForEdit(db: Db, principal: Principal): Promise<OrganisationSettings> {
  assertCan(principal, 'settings:manage');
  return getOrganisationSettings(db, principal.organisationId);
}

export interface SettingsInput {
  engagedAfterContacts: string;
  serviceArea: string;
  version: string;
}

function check(input: SettingsInput) {
  const errors: FieldError[] = [];
  const contacts = input.engagedAfterContacts.trim();
  if (!contacts) errors.push({ field: 'engagedAfterContacts', text: 'Enter how many contacts make someone engaged' });
  else if (!/^\d{1,2}$/.test(contacts) || Number(contacts) < 1 || Number(contacts) > 20) {
    errors.push({ field: 'engagedAfterContacts', text: 'Number of contacts must be a whole number between 1 and 20' });
  }
  const serviceArea = input.serviceArea.trim();
  if (serviceArea.length > 200) errors.push({ field: 'serviceArea', text: 'Service area must be 200 characters or fewer' });
  const version = /^\d{1,9}$/.test(input.version) ? Number(input.version) : Number.NaN;
  if (errors.length > 0) throw new ValidationFailed(errors);
  if (Number.isNaN(version)) throw new Conflict('These settings were changed by someone else. Reload the page to see them.');
  return { engagedAfterContacts: Number(contacts), serviceArea: serviceArea || null, version };
}

/**
 * Saves the settings if nobody else has since the form was loaded. A new
 * engagement rule re-derives every episode's stage in the same transaction,
 * so the stored stages never disagree with the rule.
 */
export async function updateSettings(db: Db, principal: Principal, input: SettingsInput): Promise<{ recomputed: boolean }> {
  assertCan(principal, 'settings:manage');
  const wanted = check(input);
  const organisationId = principal.organisationId;
  const stale = new Conflict('These settings were changed by someone else. Reload the page to see them, then make your change again.');
  return db.transaction().execute(async (trx) => {
    const before = await queries.findSettings(trx, organisationId, { forUpdate: true });
    const values = { engaged_after_contacts: wanted.engagedAfterContacts, service_area: wanted.serviceArea };
    if (!before) {
      if (wanted.version !== 0 || !(await queries.insertSettings(trx, { organisation_id: organisationId, ...values }))) throw stale;
    } else if (!(await queries.updateSettings(trx, organisationId, wanted.version, values))) {
      throw stale;
    }
    const previousContacts = before?.engaged_after_contacts ?? DEFAULT_ENGAGED_AFTER_CONTACTS;
    const recomputed = previousContacts !== wanted.engagedAfterContacts;
    if (recomputed) await recomputeOrganisation(trx, organisationId);
    await audit.record(trx, {
      organisationId,
      actor: actorOf(principal),
      action: 'settings.updated',
      subjectType: 'organisation',
      subjectId: organisationId,
      detail: {
        before: { engagedAfterContacts: previousContacts, serviceArea: before?.service_area ?? null },
        after: { engagedAfterContacts: wanted.engagedAfterContacts, serviceArea: wanted.serviceArea },
      },
    });
    return { recomputed };
  });
}
