import { inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { assertCan } from '../../platform/http/guards.ts';
import * as organisations from '../organisations/service.ts';
import * as users from '../users/service.ts';

export interface NewOrganisation {
  name: string;
  kind: string;
  adminName: string;
  adminEmail: string;
}

/**
 * The system administrator's way to bring a new organisation onto the
 * instance: the organisation and an invitation to its first administrator
 * commit together, then the invitation is emailed. From there the
 * organisation runs itself.
 */
export async function createOrganisationWithAdministrator(deps: Deps, principal: Principal, input: NewOrganisation) {
  assertCan(principal, 'organisations:manage');
  const errors = await organisations.organisationErrors(deps.db, input);
  const userErrors = await users.validateNewUser(deps.db, {
    organisationId: principal.organisationId,
    email: input.adminEmail,
    displayName: input.adminName,
    role: 'organisation_admin',
  });
  const renamed: Record<string, string> = { email: 'adminEmail', displayName: 'adminName' };
  errors.push(...userErrors.map((error) => ({ ...error, field: renamed[error.field] ?? error.field })));
  if (errors.length > 0) throw new ValidationFailed(errors);

  const kind = input.kind as organisations.OrganisationKind;
  const { organisation, email } = await inTransaction(deps.db, async (trx) => {
    const organisation = await organisations.createOrganisation(trx, actorOf(principal), { name: input.name, kind });
    const email = await users.inviteAdministratorInto(trx, deps.config.baseUrl, principal, organisation, {
      email: input.adminEmail,
      displayName: input.adminName,
    });
    return { organisation, email };
  });
  await deps.email.send(organisation.id, email);
  return organisation;
}
