import * as audit from '../../platform/audit/service.ts';
import { API_TOKEN_ROLES } from '../../platform/auth/permissions.ts';
import { randomToken, sha256 } from '../../platform/auth/secrets.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { type FieldError, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import * as queries from './queries.ts';

export const TOKEN_PREFIX = 'tg_';

export interface CreatedToken {
  id: string;
  name: string;
  role: string;
  /** Shown once, at creation; only its hash is stored. */
  token: string;
}

export async function createToken(db: Db, principal: Principal, input: { name: string; role: string }): Promise<CreatedToken> {
  assertCan(principal, 'api-tokens:manage');
  const name = input.name.trim();
  const errors: FieldError[] = [];
  if (!name) errors.push({ field: 'name', text: 'Enter a name that says what the token is for' });
  else if (name.length > 100) errors.push({ field: 'name', text: 'Name must be 100 characters or fewer' });
  if (!(API_TOKEN_ROLES as readonly string[]).includes(input.role)) errors.push({ field: 'role', text: 'Select what the token may do' });
  if (errors.length > 0) throw new ValidationFailed(errors);

  const token = `${TOKEN_PREFIX}${randomToken()}`;
  return db.transaction().execute(async (trx) => {
    const row = await queries.insertToken(trx, {
      organisation_id: principal.organisationId,
      name,
      role: input.role,
      token_hash: sha256(token),
      token_prefix: token.slice(0, 10),
      created_by: principal.userId!,
    });
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'api-token.created',
      subjectType: 'api_token',
      subjectId: row.id,
      detail: { name, role: input.role },
    });
    return { id: row.id, name: row.name, role: row.role, token };
  });
}

export async function listTokens(db: Db, principal: Principal) {
  assertCan(principal, 'api-tokens:manage');
  return queries.listTokens(db, principal.organisationId);
}

export async function getToken(db: Db, principal: Principal, id: string) {
  assertCan(principal, 'api-tokens:manage');
  if (!isUuid(id)) throw new NotFound();
  const token = await queries.findToken(db, principal.organisationId, id);
  if (!token) throw new NotFound();
  return token;
}

export async function revokeToken(db: Db, principal: Principal, id: string): Promise<void> {
  assertCan(principal, 'api-tokens:manage');
  if (!isUuid(id)) throw new NotFound();
  await db.transaction().execute(async (trx) => {
    const token = await queries.findToken(trx, principal.organisationId, id);
    if (!token) throw new NotFound();
    if (!(await queries.revokeToken(trx, principal.organisationId, id, principal.userId!))) return;
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'api-token.revoked',
      subjectType: 'api_token',
      subjectId: id,
      detail: { name: token.name },
    });
  });
}
