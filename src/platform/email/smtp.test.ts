import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closedPort, type FakeSmtp, startFakeSmtp } from '../../../test/support/fake-smtp.ts';
import { type Database, openPGlite } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createEmailSender } from './service.ts';
import { OutboxOnlyTransport, SmtpTransport, transportFor } from './transport.ts';

const FROM = 'Throughgate <no-reply@throughgate.example>';

/** Header value from a raw message, with folded lines joined. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' ');
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head);
  return match?.[1];
}

function body(raw: string): string {
  return raw.slice(raw.indexOf('\r\n\r\n') + 4);
}

describe('email over SMTP', () => {
  let smtp: FakeSmtp;
  let database: Database;

  before(async () => {
    smtp = await startFakeSmtp();
    database = await openPGlite(undefined);
    await migrate(database);
  });
  after(async () => {
    await smtp.close();
    await database.close();
  });

  test('transportFor picks SMTP only when a URL is given', () => {
    assert.ok(transportFor('smtp://127.0.0.1:25') instanceof SmtpTransport);
    assert.ok(transportFor(undefined) instanceof OutboxOnlyTransport);
    assert.equal(transportFor(undefined).name, 'outbox');
  });

  test('SmtpTransport delivers the message with its sender, recipient, subject and body', async () => {
    const before = smtp.messages.length;
    const transport = new SmtpTransport(smtp.url);
    assert.equal(transport.name, 'smtp');
    await transport.deliver({
      from: FROM,
      to: 'jo.smith@example.org',
      subject: 'Reset your Throughgate password',
      text: 'Hello Jo,\n\nUse this link:\n\nhttps://tg.example.org/password-reset/abc123\n\n.a line starting with a dot',
    });
    assert.equal(smtp.messages.length, before + 1);
    const mail = smtp.messages.at(-1)!;
    assert.equal(mail.from, 'no-reply@throughgate.example');
    assert.deepEqual(mail.to, ['jo.smith@example.org']);
    assert.equal(header(mail.data, 'Subject'), 'Reset your Throughgate password');
    assert.equal(header(mail.data, 'To'), 'jo.smith@example.org');
    assert.match(header(mail.data, 'From') ?? '', /no-reply@throughgate\.example/);
    const text = body(mail.data).replace(/\r\n/g, '\n');
    assert.match(text, /Hello Jo,/);
    assert.match(text, /https:\/\/tg\.example\.org\/password-reset\/abc123/);
    assert.match(text, /^\.a line starting with a dot/m, 'dot-stuffing is undone');
    assert.ok(smtp.commands.some((line) => /^EHLO /i.test(line)));
  });

  test('createEmailSender writes the outbox row and records sent_at on success', async () => {
    const sender = createEmailSender(database.db, new SmtpTransport(smtp.url), FROM);
    const before = smtp.messages.length;
    await sender.send(null, { to: 'sam@example.org', subject: 'Delivered subject', text: 'Delivered body' });
    assert.equal(smtp.messages.length, before + 1);
    assert.deepEqual(smtp.messages.at(-1)!.to, ['sam@example.org']);
    const row = await database.db
      .selectFrom('email_outbox')
      .selectAll()
      .where('subject', '=', 'Delivered subject')
      .executeTakeFirstOrThrow();
    assert.equal(row.to_address, 'sam@example.org');
    assert.equal(row.text_body, 'Delivered body');
    assert.equal(row.transport, 'smtp');
    assert.ok(row.sent_at instanceof Date, 'sent_at is set');
    assert.equal(row.error, null);
  });

  test('a delivery failure is recorded on the row, not thrown', async () => {
    const port = await closedPort();
    const sender = createEmailSender(database.db, new SmtpTransport(`smtp://127.0.0.1:${port}`), FROM);
    await sender.send(null, { to: 'sam@example.org', subject: 'Undeliverable subject', text: 'Never arrives' });
    const row = await database.db
      .selectFrom('email_outbox')
      .selectAll()
      .where('subject', '=', 'Undeliverable subject')
      .executeTakeFirstOrThrow();
    assert.equal(row.sent_at, null);
    assert.ok(row.error, 'the error is recorded');
    assert.match(row.error!, /ECONNREFUSED|connect/i);
    assert.ok(row.error!.length <= 500);
    assert.equal(row.transport, 'smtp');
  });

  test('the outbox-only transport counts as sent', async () => {
    const sender = createEmailSender(database.db, new OutboxOnlyTransport(), FROM);
    await sender.send(null, { to: 'sam@example.org', subject: 'Outbox only', text: 'Stays here' });
    const row = await database.db.selectFrom('email_outbox').selectAll().where('subject', '=', 'Outbox only').executeTakeFirstOrThrow();
    assert.equal(row.transport, 'outbox');
    assert.ok(row.sent_at instanceof Date);
  });
});
