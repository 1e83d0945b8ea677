import * as audit from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { HttpError, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { getPersonSummary, recordView } from '../people/service.ts';
import * as queries from './queries.ts';

/** A reason the organisation must keep the record: answered 409 with the explanation, never a 500. */
export class ErasureRefused extends HttpError {
  constructor(detail: string) {
    super(409, 'This record cannot be erased', detail);
  }
}

export const REASON_MAX = 500;

/**
 * Why this person's record must be kept, or null when it may be erased:
 * - an open episode: the organisation is supporting them now, and the record
 *   is needed to do so (close the episode first);
 * - a duplicate merged into another record: erase the record it was merged
 *   into, which erases this one with it.
 */
async function reasonToKeep(db: Db, organisationId: string, person: { id: string; merged_into_id: string | null }): Promise<string | null> {
  if (person.merged_into_id) {
    return 'This record was merged into another. Erase the record it was merged into: that erases this one too.';
  }
  if ((await queries.openEpisodeCount(db, organisationId, person.id)) > 0) {
    return 'They have an open episode of support. Close the episode (or record the referral as withdrawn) before erasing their record.';
  }
  return null;
}

async function lockOr404(db: Db, principal: Principal, personId: string) {
  const person = isUuid(personId) ? await queries.lockPersonForErasure(db, principal.organisationId, personId) : undefined;
  if (!person) throw new NotFound();
  return person;
}

/**
 * The "are you sure" page's facts: who, and whether erasure is allowed. Showing
 * the page names the person, so it is audited as a view.
 */
export async function erasureCheck(db: Db, principal: Principal, personId: string) {
  assertCan(principal, 'people:erase');
  return inTransaction(db, async (trx) => {
    const person = await lockOr404(trx, principal, personId);
    const summary = await getPersonSummary(trx, principal, personId);
    await recordView(trx, principal, person.id, 'person.viewed', { via: 'erase' });
    return { person: summary, refusal: await reasonToKeep(trx, principal.organisationId, person) };
  });
}

export function checkReason(raw: string): string {
  const reason = raw.trim();
  if (!reason) throw new ValidationFailed([{ field: 'reason', text: 'Enter why this record is being erased' }]);
  if (reason.length > REASON_MAX) throw new ValidationFailed([{ field: 'reason', text: `Reason must be ${REASON_MAX} characters or fewer` }]);
  return reason;
}

/**
 * Erases a person: deletes their row, any duplicate merged into them, and
 * every row that refers to them or their episodes (found from the foreign
 * keys), in one transaction with a 'person.erased' audit event holding the
 * reason and the number of rows deleted per table, never a name. Erasure
 * really deletes: the outcomes report's counts for past periods go down by
 * this person (docs/retention.md).
 */
export async function erasePerson(db: Db, principal: Principal, personId: string, rawReason: string) {
  assertCan(principal, 'people:erase');
  const reason = checkReason(rawReason);
  return inTransaction(db, async (trx) => {
    const person = await lockOr404(trx, principal, personId);
    const refusal = await reasonToKeep(trx, principal.organisationId, person);
    if (refusal) throw new ErasureRefused(refusal);
    const deleted: Record<string, number> = {};
    await queries.deleteWithDependents(trx, { table: 'person', column: 'id', values: [person.id] }, deleted);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'person.erased',
      subjectType: 'person',
      subjectId: person.id,
      reason,
      detail: { rowsDeleted: deleted },
    });
    return { deleted };
  });
}
