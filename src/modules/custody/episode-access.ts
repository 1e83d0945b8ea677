import * as audit from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import * as queries from './queries.ts';

/** Another organisation's episode and a malformed id look the same from outside: not found. */
export async function episodeOr404(db: Db, principal: Principal, episodeId: string, options: { forUpdate?: boolean } = {}) {
  const row = isUuid(episodeId) ? await queries.findEpisode(db, principal.organisationId, episodeId, options) : undefined;
  if (!row) throw new NotFound();
  return row;
}

/** One audit row about an episode, in the caller's transaction. */
export function auditEpisode(
  trx: Db,
  principal: Principal,
  episodeId: string,
  action: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  return audit.record(trx, {
    organisationId: principal.organisationId,
    actor: actorOf(principal),
    action,
    subjectType: 'episode',
    subjectId: episodeId,
    detail,
  });
}

/** Reads a form's version field: a positive whole number, or null when absent or malformed. */
export function parseVersion(value: string): number | null {
  return /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : null;
}
