import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  organisationId: string | null;
  occurredAt: Date;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth, so jsonb's own key order cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(previousHash: string, fields: ChainedFields): string {
  const body = canonicalJson({
    organisationId: fields.organisationId,
    occurredAt: fields.occurredAt.toISOString(),
    actorUserId: fields.actorUserId,
    actorLabel: fields.actorLabel,
    action: fields.action,
    subjectType: fields.subjectType,
    subjectId: fields.subjectId,
    reason: fields.reason,
    detail: fields.detail,
  });
  return createHash('sha256').update(previousHash).update('\n').update(body).digest('hex');
}
