import type { Db } from '../db/database.ts';
import * as queries from './queries.ts';
import type { EmailMessage, EmailTransport } from './transport.ts';

export interface EmailSender {
  send(organisationId: string | null, message: EmailMessage): Promise<void>;
}

/**
 * Every message is written to the outbox first, then handed to the
 * transport. A delivery failure is recorded on the row, never thrown at the
 * user: the pages that send email say the same thing whether or not it went.
 */
export function createEmailSender(db: Db, transport: EmailTransport, from: string): EmailSender {
  return {
    async send(organisationId, message) {
      const id = await queries.insertOutbox(db, {
        organisation_id: organisationId,
        to_address: message.to,
        subject: message.subject,
        text_body: message.text,
        transport: transport.name,
      });
      try {
        await transport.deliver({ ...message, from });
        await queries.markSent(db, id);
      } catch (error) {
        await queries.markFailed(db, id, (error as Error).message.slice(0, 500));
      }
    },
  };
}

export const listOutbox = queries.listOutbox;
export const countOutbox = queries.countOutbox;
export const findOutboxMessage = queries.findOutboxMessage;
