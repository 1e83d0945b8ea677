import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, personWithEpisode } from '../support/journey.ts';

/** For every table with a person_id or episode_id column: how many rows name one of these ids. */
async function rowsAbout(db: Db, ids: string[]): Promise<Record<string, number>> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
       and (c.column_name in ('person_id', 'episode_id', 'merged_into_id') or (c.table_name in ('person', 'episode') and c.column_name = 'id'))`.execute(db);
  const found: Record<string, number> = {};
  for (const column of columns.rows) {
    const result = await sql<{ count: number }>`
      select count(*)::int as count from ${sql.table(column.table_name)} where ${sql.ref(column.column_name)}::text = any(${ids}::text[])`.execute(db);
    if (result.rows[0].count > 0) found[`${column.table_name}.${column.column_name}`] = result.rows[0].count;
  }
  return found;
}

describe(`erasure (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let other: { id: string; teamId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Erasure A');
    other = await t.organisation('Erasure B');
  });
  after(() => t.close());

  /** A person whose one episode has closed, with records hanging off it in many tables. */
  async function closedPerson(organisationId = org.id) {
    const db = t.deps.db;
    const { personId, episodeId } = await personWithEpisode(t, organisationId, { givenName: 'Erasable', familyName: 'Person' });
    const worker = await t.user(organisationId, 'practitioner');
    const contactId = await contactFor(t, organisationId, episodeId, { at: '2026-01-10T10:00:00Z' });
    await db.insertInto('contact_revision').values({ organisation_id: organisationId, contact_id: contactId, revised_by: worker.id, previous: '{}' }).execute();
    await db.insertInto('task').values({ organisation_id: organisationId, episode_id: episodeId, title: 'Task', due_on: '2026-02-01' }).execute();
    await db.insertInto('person_alias').values({ organisation_id: organisationId, person_id: personId, given_name: 'Alias', family_name: 'Person' }).execute();
    const employer = await db.insertInto('employer').values({ organisation_id: organisationId, name: 'Erasure employer' }).returning('id').executeTakeFirstOrThrow();
    const job = await db
      .insertInto('job')
      .values({ organisation_id: organisationId, episode_id: episodeId, employer_id: employer.id, title: 'Job', job_type_code: 'elementary', starts_on: '2026-01-12', hours_per_week: 16, hourly_pay: 13, permanent: true, open_to_anyone: true, competitive: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('job_checkpoint').values({ organisation_id: organisationId, job_id: job.id, weeks: 13, still_in_work: true, confirmed_on: '2026-04-13' }).execute();
    const file = await db
      .insertInto('stored_file')
      .values({ organisation_id: organisationId, person_id: personId, file_name: 'cv.pdf', content_type: 'application/pdf', size_bytes: 4, sha256: '0'.repeat(64), content: Buffer.from('%PDF') })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('job_search_activity').values({ organisation_id: organisationId, episode_id: episodeId, kind: 'cv', occurred_on: '2026-01-11', file_id: file.id }).execute();
    const employerContact = await db
      .insertInto('employer_contact')
      .values({ organisation_id: organisationId, employer_id: employer.id, specialist_id: worker.id, occurred_on: '2026-01-11', method_code: 'phone', purpose_code: 'follow_up' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('employer_contact_participant').values({ organisation_id: organisationId, employer_contact_id: employerContact.id, episode_id: episodeId }).execute();
    await db.insertInto('person_consent').values({ organisation_id: organisationId, person_id: personId, kind_code: 'share_with_probation', given_on: '2026-01-05' }).execute();
    const duplicate = await db
      .insertInto('person')
      .values({ organisation_id: organisationId, given_name: 'Erasable', family_name: 'Duplicate', merged_into_id: personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('episode').set({ exited_on: '2026-05-01', exit_reason_code: 'goals_met' }).where('id', '=', episodeId).execute();
    return { personId, episodeId, duplicateId: duplicate.id, employerContactId: employerContact.id };
  }

  test('asks first, then deletes every row about the person and records the reason without a name', async () => {
    const person = await closedPerson();
    const keep = await personWithEpisode(t, org.id, { givenName: 'Kept', familyName: 'Person' });
    assert.ok(Object.keys(await rowsAbout(t.deps.db, [person.personId, person.episodeId, person.duplicateId])).length >= 8);
    const { browser } = await t.signedIn(org.id, 'manager');

    const page = await browser.get(`/people/${person.personId}/erase`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Erase Erasable Person’s record/);
    assert.match(page.body, /cannot be undone/);

    const noReason = await browser.submit(`/people/${person.personId}/erase`, `/people/${person.personId}/erase`, { reason: '  ' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Enter why this record is being erased/);
    const tooLong = await browser.submit(`/people/${person.personId}/erase`, `/people/${person.personId}/erase`, { reason: 'x'.repeat(501) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /500 characters or fewer/);
    assert.ok(Object.keys(await rowsAbout(t.deps.db, [person.personId])).length > 0, 'nothing deleted by a bad request');

    const erased = await browser.submit(`/people/${person.personId}/erase`, `/people/${person.personId}/erase`, { reason: 'Subject asked for erasure; no reason to keep' });
    assert.equal(erased.statusCode, 200);
    assert.match(erased.body, /Record erased/);
    assert.deepEqual(await rowsAbout(t.deps.db, [person.personId, person.episodeId, person.duplicateId]), {});
    // The employer's own record of the contact stays; only the link to the person went.
    const employerContact = await t.deps.db.selectFrom('employer_contact').select('id').where('id', '=', person.employerContactId).executeTakeFirst();
    assert.ok(employerContact);
    // Someone else's record is untouched.
    assert.ok((await rowsAbout(t.deps.db, [keep.personId]))['person.id']);

    const event = await t.deps.db
      .selectFrom('audit_event')
      .select(['reason', 'detail', 'subject_id'])
      .where('organisation_id', '=', org.id)
      .where('action', '=', 'person.erased')
      .executeTakeFirstOrThrow();
    assert.equal(event.reason, 'Subject asked for erasure; no reason to keep');
    assert.equal(event.subject_id, person.personId);
    const rowsDeleted = (event.detail as { rowsDeleted: Record<string, number> }).rowsDeleted;
    assert.equal(rowsDeleted.person, 2);
    assert.equal(rowsDeleted.contact, 1);
    assert.doesNotMatch(JSON.stringify(event), /Erasable/);
    assert.equal((await browser.get(`/people/${person.personId}/erase`)).statusCode, 404);
  });

  test('a person with an open episode is refused with an explanation, and nothing is deleted', async () => {
    const open = await personWithEpisode(t, org.id, { givenName: 'Open', familyName: 'Episode' });
    const before = await rowsAbout(t.deps.db, [open.personId, open.episodeId]);
    const { browser } = await t.signedIn(org.id, 'manager');
    const page = await browser.get(`/people/${open.personId}/erase`);
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /cannot be erased/);
    assert.match(page.body, /open episode of support/);
    const csrf = await browser.csrfFrom(`/people/${open.personId}`);
    const post = await browser.request({ method: 'POST', url: `/people/${open.personId}/erase`, form: { _csrf: csrf, reason: 'Asked' } });
    assert.equal(post.statusCode, 409);
    assert.match(post.body, /open episode of support/);
    assert.deepEqual(await rowsAbout(t.deps.db, [open.personId, open.episodeId]), before);
  });

  test('a merged duplicate is refused: erase the record it was merged into', async () => {
    const person = await closedPerson();
    const { browser } = await t.signedIn(org.id, 'manager');
    const page = await browser.get(`/people/${person.duplicateId}/erase`);
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /merged into another/);
  });

  test('a practitioner gets 403, another organisation’s person and a malformed id 404', async () => {
    const mine = await closedPerson();
    const theirs = await closedPerson(other.id);
    const practitioner = await t.signedIn(org.id, 'practitioner');
    assert.equal((await practitioner.browser.get(`/people/${mine.personId}/erase`)).statusCode, 403);
    const csrf = await practitioner.browser.csrfFrom(`/people/${mine.personId}`);
    const post = await practitioner.browser.request({ method: 'POST', url: `/people/${mine.personId}/erase`, form: { _csrf: csrf, reason: 'x' } });
    assert.equal(post.statusCode, 403);

    const manager = await t.signedIn(org.id, 'manager');
    assert.equal((await manager.browser.get(`/people/${theirs.personId}/erase`)).statusCode, 404);
    assert.equal((await manager.browser.get('/people/not-a-uuid/erase')).statusCode, 404);
    const managerCsrf = await manager.browser.csrfFrom(`/people/${mine.personId}`);
    const cross = await manager.browser.request({ method: 'POST', url: `/people/${theirs.personId}/erase`, form: { _csrf: managerCsrf, reason: 'x' } });
    assert.equal(cross.statusCode, 404);
    assert.ok((await rowsAbout(t.deps.db, [theirs.personId]))['person.id']);
    assert.ok((await rowsAbout(t.deps.db, [mine.personId]))['person.id']);
  });

  test('the person page offers erasure and subject access to a manager, not to a practitioner', async () => {
    const { personId } = await personWithEpisode(t, org.id);
    const manager = (await t.signedIn(org.id, 'manager')).browser;
    const practitioner = (await t.signedIn(org.id, 'practitioner')).browser;
    const managerPage = await manager.get(`/people/${personId}`);
    assert.match(managerPage.body, new RegExp(`href="/people/${personId}/erase"`));
    assert.match(managerPage.body, new RegExp(`href="/people/${personId}/subject-access"`));
    const practitionerPage = await practitioner.get(`/people/${personId}`);
    assert.equal(practitionerPage.statusCode, 200);
    assert.doesNotMatch(practitionerPage.body, /\/erase"|\/subject-access"/);
  });
});
