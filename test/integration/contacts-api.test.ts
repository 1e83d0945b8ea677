import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, episodeRow, personWithEpisode } from '../support/journey.ts';

describe(`contacts API (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let token: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Contacts API Org');
    otherOrg = await t.organisation('Other Contacts API Org');
    token = await apiTokenFor(t, org.id, 'practitioner');
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload: payload as object } : {}) });
  const body = { occurredAt: '2026-07-01T14:30:00+01:00', type: 'face_to_face', setting: 'community', with: 'person', durationMinutes: 30 };
  const contactCount = async (episodeId: string) => (await t.deps.db.selectFrom('contact').select('id').where('episode_id', '=', episodeId).execute()).length;

  test('creating contacts answers 201 with the episode’s new stage, and the list returns them newest first', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const first = await call('POST', `/api/v1/episodes/${episodeId}/contacts`, body);
    assert.equal(first.statusCode, 201, first.body);
    const created = first.json();
    assert.equal(created.episode.stage, 'seen_in_community');
    assert.equal(created.contact.occurredAt, '2026-07-01T13:30:00.000Z');
    assert.equal(created.contact.durationMinutes, 30);
    assert.equal(created.contact.attended, true);
    const second = await call('POST', `/api/v1/episodes/${episodeId}/contacts`, { ...body, occurredAt: '2026-07-08T10:00:00Z', note: 'Second' });
    assert.equal(second.json().episode.stage, 'engaged');
    assert.equal((await episodeRow(t, episodeId)).stage, 'engaged');

    const list = await call('GET', `/api/v1/episodes/${episodeId}/contacts?limit=1`);
    assert.equal(list.statusCode, 200);
    const page = list.json();
    assert.equal(page.total, 2);
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0].note, 'Second');
    const audit = await t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', created.contact.id).where('action', '=', 'contact.created').execute();
    assert.equal(audit[0].actor_label.startsWith('api-token:'), true);
  });

  test('deleted contacts are listed only when asked for', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    await contactFor(t, org.id, episodeId, { at: '2026-06-01T10:00:00Z' });
    await contactFor(t, org.id, episodeId, { at: '2026-06-02T10:00:00Z', deleted: true });
    assert.equal((await call('GET', `/api/v1/episodes/${episodeId}/contacts`)).json().total, 1);
    const all = (await call('GET', `/api/v1/episodes/${episodeId}/contacts?includeDeleted=true`)).json();
    assert.equal(all.total, 2);
    assert.equal(all.items[0].deleted, true);
  });

  test('a future contact, unknown fields, bad codes and a bad date-time are 400 problems with nothing written', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const future = await call('POST', `/api/v1/episodes/${episodeId}/contacts`, { ...body, occurredAt: new Date(Date.now() + 3_600_000).toISOString() });
    assert.equal(future.statusCode, 400);
    assert.match(String(future.headers['content-type']), /application\/problem\+json/);
    assert.deepEqual(future.json().errors, [{ pointer: '/occurredAt', detail: 'The date and time must be in the past' }]);

    const unknown = await call('POST', `/api/v1/episodes/${episodeId}/contacts`, { ...body, stage: 'engaged' });
    assert.equal(unknown.statusCode, 400);
    assert.match(String(unknown.headers['content-type']), /application\/problem\+json/);
    assert.match(JSON.stringify(unknown.json().errors), /unknown field \\"stage\\"/);

    const badCode = await call('POST', `/api/v1/episodes/${episodeId}/contacts`, { ...body, type: 'carrier_pigeon', pathway: 'nowhere' });
    assert.equal(badCode.statusCode, 400);
    assert.deepEqual(badCode.json().errors.map((error: { pointer: string }) => error.pointer).sort(), ['/pathway', '/type']);

    for (const occurredAt of ['1 July 2026', '2026-07-01', '2026-02-30T10:00:00Z']) {
      const bad = await call('POST', `/api/v1/episodes/${episodeId}/contacts`, { ...body, occurredAt });
      assert.equal(bad.statusCode, 400, occurredAt);
    }
    const tooLong = await call('POST', `/api/v1/episodes/${episodeId}/contacts`, { ...body, durationMinutes: 1441 });
    assert.equal(tooLong.statusCode, 400);
    assert.equal(await contactCount(episodeId), 0);
    assert.equal((await episodeRow(t, episodeId)).stage, 'referred');
  });

  test("another organisation's episode and a malformed id are 404; a commissioner token is 403", async () => {
    const theirs = await personWithEpisode(t, otherOrg.id);
    assert.equal((await call('GET', `/api/v1/episodes/${theirs.episodeId}/contacts`)).statusCode, 404);
    assert.equal((await call('POST', `/api/v1/episodes/${theirs.episodeId}/contacts`, body)).statusCode, 404);
    assert.equal((await call('GET', '/api/v1/episodes/not-a-uuid/contacts')).statusCode, 404);
    assert.equal(await contactCount(theirs.episodeId), 0);
    const commissioner = await apiTokenFor(t, org.id, 'commissioner');
    const { episodeId } = await personWithEpisode(t, org.id);
    const denied = await t.app.inject({ method: 'GET', url: `/api/v1/episodes/${episodeId}/contacts`, headers: { authorization: `Bearer ${commissioner}` } });
    assert.equal(denied.statusCode, 403);
  });

  test('the contact routes are in the OpenAPI document under the contacts tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const path = doc.paths['/api/v1/episodes/{id}/contacts'];
    assert.deepEqual(path.get.tags, ['contacts']);
    assert.deepEqual(path.post.tags, ['contacts']);
    assert.equal(path.post.requestBody.content['application/json'].schema.additionalProperties, false);
  });
});
