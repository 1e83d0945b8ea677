import * as audit from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { assertCan } from '../../platform/http/guards.ts';
import type { Search } from './filters.ts';
import * as queries from './queries.ts';

/** Events on one page of the audit log. */
export const PAGE_SIZE = 50;

export interface AuditLogEvent {
  id: number;
  occurredAt: Date;
  who: string;
  action: string;
  subject: string;
  reason: string;
  details: string[];
}

/**
 * Reading the audit log is deliberately not itself audited: it holds no
 * personal record, and auditing it would fill the trail with its own reads.
 */
export async function filterOptions(db: Db, principal: Principal) {
  assertCan(principal, 'audit:view');
  const [actions, actors] = await Promise.all([
    audit.actions(db, principal.organisationId),
    queries.listActors(db, principal.organisationId),
  ]);
  return { actions, actors: actors.map((actor) => ({ id: actor.id, name: actor.display_name })) };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One page of the organisation's events, newest first, and the cursor for the next older page if there is one. */
export async function search(
  db: Db,
  principal: Principal,
  filters: Search,
): Promise<{ events: AuditLogEvent[]; olderThan?: number }> {
  assertCan(principal, 'audit:view');
  const rows = await audit.list(db, {
    ...filters,
    actionExact: true,
    organisationId: principal.organisationId,
    limit: PAGE_SIZE + 1,
  });
  const page = rows.slice(0, PAGE_SIZE);
  return {
    events: page.map((row) => ({
      id: row.id,
      occurredAt: row.occurred_at,
      who: row.actor_label,
      action: row.action,
      subject: [row.subject_type, row.subject_id].filter(Boolean).join(' '),
      reason: row.reason ?? '',
      details: Object.entries(row.detail ?? {}).map(([key, value]) => `${key}: ${describe(value)}`),
    })),
    olderThan: rows.length > PAGE_SIZE ? page[page.length - 1].id : undefined,
  };
}
