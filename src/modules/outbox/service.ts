import type { Db } from '../../platform/db/database.ts';
import * as email from '../../platform/email/service.ts';
import type { Principal } from '../../platform/http/context.ts';
import { NotFound } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { pageCount } from '../../platform/http/paging.ts';
import { assertCan } from '../../platform/http/guards.ts';

export const PAGE_SIZE = 25;

export type DeliveryStatus = { kind: 'sent' | 'outbox-only' | 'waiting' } | { kind: 'failed'; error: string };

/** What happened to a message: the transport's failure wins; "outbox" transport means it went nowhere else. */
export function statusOf(message: { transport: string; sent_at: Date | null; error: string | null }): DeliveryStatus {
  if (message.error) return { kind: 'failed', error: message.error };
  if (message.transport === 'outbox') return { kind: 'outbox-only' };
  return { kind: message.sent_at ? 'sent' : 'waiting' };
}

/** One page (from 1) of the organisation's emails, newest first. Out-of-range pages are not found. */
export async function listMessages(db: Db, principal: Principal, page: number) {
  assertCan(principal, 'outbox:view');
  const total = await email.countOutbox(db, principal.organisationId);
  const pages = pageCount(total, PAGE_SIZE);
  if (page > pages) throw new NotFound();
  const rows = await email.listOutbox(db, principal.organisationId, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  return {
    total,
    pages,
    messages: rows.map((row) => ({
      id: row.id,
      to: row.to_address,
      subject: row.subject,
      createdAt: row.created_at,
      status: statusOf(row),
    })),
  };
}

/** A message of this organisation; another organisation's message, or a malformed id, is simply not found. */
export async function getMessage(db: Db, principal: Principal, id: string) {
  assertCan(principal, 'outbox:view');
  if (!isUuid(id)) throw new NotFound();
  const row = await email.findOutboxMessage(db, principal.organisationId, id);
  if (!row) throw new NotFound();
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    body: row.text_body,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    transport: row.transport,
    status: statusOf(row),
  };
}
