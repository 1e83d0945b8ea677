import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

const FIELDS = (closed: string, declined: string, contacts: string, versions = ['0', '0', '0']) => ({
  'years-closed_episode': closed,
  'years-declined_referral': declined,
  'years-deleted_contact': contacts,
  'version-closed_episode': versions[0],
  'version-declined_referral': versions[1],
  'version-deleted_contact': versions[2],
});

describe(`retention schedule and due pages (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Retention pages');
  });
  after(() => t.close());

  const rules = () => t.deps.db.selectFrom('retention_rule').select(['record_type', 'years', 'version']).where('organisation_id', '=', org.id).orderBy('record_type').execute();

  test('shows the defaults and says the audit trail is never deleted', async () => {
    const { browser } = await t.signedIn(org.id, 'organisation_admin');
    const page = await browser.get('/admin/retention');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="years-closed_episode"[^>]*value="6"/);
    assert.match(page.body, /name="years-declined_referral"[^>]*value="2"/);
    assert.match(page.body, /name="years-deleted_contact"[^>]*value="1"/);
    assert.match(page.body, /audit trail is never deleted/);
  });

  test('saves a change with an audit event, and refuses bad values with a clear error and nothing saved', async () => {
    const { browser } = await t.signedIn(org.id, 'organisation_admin');
    for (const [bad, message] of [
      ['0', /must be a whole number between 1 and 100/],
      ['101', /must be a whole number between 1 and 100/],
      ['six', /must be a whole number between 1 and 100/],
      ['2.5', /must be a whole number between 1 and 100/],
      ['', /Enter how many years to keep/],
    ] as const) {
      const response = await browser.submit('/admin/retention', '/admin/retention', FIELDS(bad, '3', '1'));
      assert.equal(response.statusCode, 400, bad);
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, message);
    }
    assert.deepEqual(await rules(), []);

    const saved = await browser.submit('/admin/retention', '/admin/retention', FIELDS('7', '3', '1'));
    assert.equal(saved.statusCode, 302);
    assert.deepEqual(await rules(), [
      { record_type: 'closed_episode', years: 7, version: 1 },
      { record_type: 'declined_referral', years: 3, version: 1 },
    ]);
    const event = await t.deps.db
      .selectFrom('audit_event')
      .select('detail')
      .where('organisation_id', '=', org.id)
      .where('action', '=', 'retention.schedule-updated')
      .executeTakeFirstOrThrow();
    assert.deepEqual(event.detail, { changes: { closed_episode: { before: 6, after: 7 }, declined_referral: { before: 2, after: 3 } } });
  });

  test('a stale save is refused with 409 and overwrites nothing', async () => {
    const { browser } = await t.signedIn(org.id, 'organisation_admin');
    const current = await rules();
    const stale = await browser.submit('/admin/retention', '/admin/retention', FIELDS('9', '3', '1', ['0', '1', '0']));
    assert.equal(stale.statusCode, 409);
    assert.deepEqual(await rules(), current);
    const fresh = await browser.submit('/admin/retention', '/admin/retention', FIELDS('9', '3', '1', ['1', '1', '0']));
    assert.equal(fresh.statusCode, 302);
    assert.equal((await rules())[0].years, 9);
  });

  test('the due page lists references and dates, never names, and is audited', async () => {
    const due = await personWithEpisode(t, org.id, { referredOn: '2010-01-05', givenName: 'Hieronymus', familyName: 'Bosch' });
    await t.deps.db.updateTable('episode').set({ exited_on: '2011-02-03', exit_reason_code: 'goals_met' }).where('id', '=', due.episodeId).execute();
    await personWithEpisode(t, org.id, { referredOn: '2010-01-05', givenName: 'Still', familyName: 'Open' });
    const { browser } = await t.signedIn(org.id, 'organisation_admin');
    const page = await browser.get('/admin/retention/due');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(due.personId));
    assert.match(page.body, /2011-02-03/);
    assert.doesNotMatch(page.body, /Hieronymus|Bosch|Still|Open<\/td>/);
    const viewed = await sql<{ count: number }>`select count(*)::int as count from audit_event where organisation_id = ${org.id} and action = 'retention.due-viewed'`.execute(t.deps.db);
    assert.equal(viewed.rows[0].count, 1);
    // Looking changed nothing.
    const person = await t.deps.db.selectFrom('person').select('given_name').where('id', '=', due.personId).executeTakeFirstOrThrow();
    assert.equal(person.given_name, 'Hieronymus');
  });

  test('a manager or practitioner may not see or change the schedule', async () => {
    for (const role of ['manager', 'practitioner']) {
      const { browser } = await t.signedIn(org.id, role);
      assert.equal((await browser.get('/admin/retention')).statusCode, 403);
      assert.equal((await browser.get('/admin/retention/due')).statusCode, 403);
    }
  });
});
