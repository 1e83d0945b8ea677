import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeFromLabel, loadReferenceData } from '../../src/modules/reference-data/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, episodeRow, personWithEpisode } from '../support/journey.ts';

describe(`reference data and settings administration (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let admin: { browser: Browser; userId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Reference Org');
    otherOrg = await t.organisation('Other Reference Org');
    admin = await t.signedIn(org.id, 'organisation_admin');
  });
  after(() => t.close());

  const itemsOf = (organisationId: string, list: string) =>
    t.deps.db.selectFrom('reference_item').selectAll().where('organisation_id', '=', organisationId).where('list_code', '=', list).execute();
  const auditsOf = (action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('organisation_id', '=', org.id).where('action', '=', action).execute();

  test('codes are made from labels as lower_snake', () => {
    assert.equal(codeFromLabel('Housing association (local)'), 'housing_association_local');
    assert.equal(codeFromLabel('  Café—Outreach  '), 'cafe_outreach');
    assert.equal(codeFromLabel('!!!'), '');
  });

  test('the lists page shows every list, and a list shows its seeded items without actions', async () => {
    const lists = await admin.browser.get('/admin/reference-data');
    assert.equal(lists.statusCode, 200);
    assert.match(lists.body, /href="\/admin\/reference-data\/referral_source">Referral source</);
    assert.match(lists.body, /href="\/admin\/reference-data\/prison">Prison</);
    const sources = await admin.browser.get('/admin/reference-data/referral_source');
    assert.equal(sources.statusCode, 200);
    assert.match(sources.body, /Offender management unit/);
    assert.match(sources.body, /<code>offender_management_unit<\/code>/);
    assert.doesNotMatch(sources.body, /\/deactivate"/, 'seeded items cannot be changed');
    assert.match(sources.body, /Add an item/);
    const ethnicity = await admin.browser.get('/admin/reference-data/ethnicity');
    assert.doesNotMatch(ethnicity.body, /Add an item/, 'a list that is not extendable has no form');
    assert.equal((await admin.browser.get('/admin/reference-data/no_such_list')).statusCode, 404);
    assert.equal((await admin.browser.get('/admin/reference-data/Bad%20Code')).statusCode, 404);
  });

  test('an administrator adds an item; it is audited, offered to this organisation only', async () => {
    const response = await admin.browser.submit('/admin/reference-data/referral_source', '/admin/reference-data/referral_source', {
      label: '  Housing   association (local) ',
    });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/admin/reference-data/referral_source?done=added');
    const [item] = await itemsOf(org.id, 'referral_source');
    assert.equal(item.code, 'housing_association_local');
    assert.equal(item.label, 'Housing association (local)');
    assert.equal(item.active, true);
    assert.ok(item.sort_order > 99, 'own items come after the seeded ones');
    const audits = await auditsOf('reference-data.item-added');
    assert.equal(audits.length, 1);
    assert.equal(audits[0].subject_id, item.id);
    assert.equal(audits[0].actor_user_id, admin.userId);

    const page = await admin.browser.get('/admin/reference-data/referral_source?done=added');
    assert.match(page.body, /Item added/);
    assert.match(page.body, /Your organisation/);
    assert.equal((await loadReferenceData(t.deps.db, org.id, ['referral_source'])).offers('referral_source', item.code), true);
    assert.equal((await loadReferenceData(t.deps.db, otherOrg.id, ['referral_source'])).has('referral_source', item.code), false);
  });

  test('an empty, duplicate, clashing or unusable label is refused with the error summary and nothing saved', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['prison', '   ', /Enter a name for the new item/],
      ['referral_source', 'Probation', /already on the list/],
      ['referral_source', 'PROBATION!', /already on the list/],
      ['referral_source', 'housing association local', /already on the list/],
      ['referral_source', '???', /must include letters or numbers/],
      ['referral_source', 'x'.repeat(101), /100 characters or fewer/],
    ];
    const before = (await itemsOf(org.id, 'referral_source')).length + (await itemsOf(org.id, 'prison')).length;
    for (const [list, label, message] of cases) {
      const response = await admin.browser.submit(`/admin/reference-data/${list}`, `/admin/reference-data/${list}`, { label });
      assert.equal(response.statusCode, 400, label);
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, /href="#label"/);
      assert.match(response.body, message);
    }
    const csrf = await admin.browser.csrfFrom('/admin/reference-data/referral_source');
    const locked = await admin.browser.request({ method: 'POST', url: '/admin/reference-data/ethnicity', form: { _csrf: csrf, label: 'New group' } });
    assert.equal(locked.statusCode, 400);
    assert.match(locked.body, /cannot add items to the ethnicity list/);
    assert.equal((await itemsOf(org.id, 'referral_source')).length + (await itemsOf(org.id, 'prison')).length, before);
    assert.equal((await itemsOf(org.id, 'ethnicity')).length, 0);
  });

  test('deactivating asks first, then stops offering the item; reactivating offers it again; both audited', async () => {
    await admin.browser.submit('/admin/reference-data/prison', '/admin/reference-data/prison', { label: 'HMP Example' });
    const [item] = await itemsOf(org.id, 'prison');
    const confirmUrl = `/admin/reference-data/prison/${item.id}/deactivate`;
    const confirm = await admin.browser.get(confirmUrl);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Deactivate “HMP Example”\?/);
    assert.equal((await itemsOf(org.id, 'prison'))[0].active, true, 'asking changes nothing');

    assert.equal((await admin.browser.submit(confirmUrl, confirmUrl, {})).statusCode, 302);
    assert.equal((await itemsOf(org.id, 'prison'))[0].active, false);
    const reference = await loadReferenceData(t.deps.db, org.id, ['prison']);
    assert.equal(reference.offers('prison', 'hmp_example'), false);
    assert.equal(reference.has('prison', 'hmp_example'), true, 'old records keep a valid code');
    assert.match((await admin.browser.get('/admin/reference-data/prison')).body, /Not offered/);

    const reactivateUrl = `/admin/reference-data/prison/${item.id}/reactivate`;
    assert.match((await admin.browser.get(reactivateUrl)).body, /Reactivate “HMP Example”\?/);
    await admin.browser.submit(reactivateUrl, reactivateUrl, {});
    assert.equal((await itemsOf(org.id, 'prison'))[0].active, true);
    assert.equal((await auditsOf('reference-data.item-deactivated')).length, 1);
    assert.equal((await auditsOf('reference-data.item-reactivated')).length, 1);
  });

  test('seeded items, other organisations’ items and malformed ids cannot be deactivated', async () => {
    const seeded = await t.deps.db
      .selectFrom('reference_item')
      .select('id')
      .where('organisation_id', 'is', null)
      .where('list_code', '=', 'prison')
      .executeTakeFirstOrThrow();
    const otherAdmin = await t.signedIn(otherOrg.id, 'organisation_admin');
    await otherAdmin.browser.submit('/admin/reference-data/prison', '/admin/reference-data/prison', { label: 'HMP Elsewhere' });
    const [theirs] = await itemsOf(otherOrg.id, 'prison');
    for (const id of [seeded.id, theirs.id, 'not-a-uuid']) {
      assert.equal((await admin.browser.get(`/admin/reference-data/prison/${id}/deactivate`)).statusCode, 404);
      const csrf = await admin.browser.csrfFrom('/admin/reference-data/prison');
      const post = await admin.browser.request({ method: 'POST', url: `/admin/reference-data/prison/${id}/deactivate`, form: { _csrf: csrf } });
      assert.equal(post.statusCode, 404);
    }
    assert.equal((await itemsOf(otherOrg.id, 'prison'))[0].active, true);
  });

  test('only organisation administrators manage reference data and settings', async () => {
    const manager = await t.signedIn(org.id, 'manager');
    assert.equal((await manager.browser.get('/admin/reference-data')).statusCode, 403);
    assert.equal((await manager.browser.get('/admin/settings')).statusCode, 403);
    const home = await admin.browser.get('/');
    assert.match(home.body, /href="\/admin\/reference-data"/);
    assert.match(home.body, /href="\/admin\/settings"/);
  });

  test('changing the engagement rule recomputes every episode’s stage in the same change, audited', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    await contactFor(t, org.id, episodeId, { at: '2026-01-10T10:00:00Z' });
    await contactFor(t, org.id, episodeId, { at: '2026-01-17T10:00:00Z' });
    assert.equal((await episodeRow(t, episodeId)).stage, 'engaged');

    const page = await admin.browser.get('/admin/settings');
    assert.match(page.body, /name="engagedAfterContacts"[^>]*value="2"/);
    assert.match(page.body, /name="version" value="0"/);
    const saved = await admin.browser.submit('/admin/settings', '/admin/settings', { engagedAfterContacts: '3', serviceArea: 'Leeds', version: '0' });
    assert.equal(saved.statusCode, 302);
    const episode = await episodeRow(t, episodeId);
    assert.equal(episode.stage, 'seen_in_community', 'two contacts no longer make the episode engaged');
    assert.equal(episode.engaged_on, null);
    const settings = await t.deps.db.selectFrom('organisation_setting').selectAll().where('organisation_id', '=', org.id).executeTakeFirstOrThrow();
    assert.deepEqual([settings.engaged_after_contacts, settings.service_area, settings.version], [3, 'Leeds', 1]);
    const [audit] = await auditsOf('settings.updated');
    assert.deepEqual(audit.detail, {
      before: { engagedAfterContacts: 2, serviceArea: null },
      after: { engagedAfterContacts: 3, serviceArea: 'Leeds' },
    });

    await admin.browser.submit('/admin/settings', '/admin/settings', { engagedAfterContacts: '2', serviceArea: 'Leeds', version: '1' });
    assert.equal((await episodeRow(t, episodeId)).stage, 'engaged');
    assert.match((await admin.browser.get('/admin/settings?done=saved')).body, /Settings saved/);
  });

  test('bad settings are refused with the error summary; a stale save is a conflict and overwrites nothing', async () => {
    for (const [value, message] of [
      ['', /Enter how many contacts/],
      ['0', /between 1 and 20/],
      ['21', /between 1 and 20/],
      ['2.5', /between 1 and 20/],
    ] as const) {
      const response = await admin.browser.submit('/admin/settings', '/admin/settings', { engagedAfterContacts: value, serviceArea: '', version: '2' });
      assert.equal(response.statusCode, 400, value);
      assert.match(response.body, /href="#engagedAfterContacts"/);
      assert.match(response.body, message);
    }
    const long = await admin.browser.submit('/admin/settings', '/admin/settings', { engagedAfterContacts: '2', serviceArea: 'x'.repeat(201), version: '2' });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /200 characters or fewer/);

    const stale = await admin.browser.submit('/admin/settings', '/admin/settings', { engagedAfterContacts: '5', serviceArea: 'Stale', version: '1' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /changed by someone else/);
    const settings = await t.deps.db.selectFrom('organisation_setting').selectAll().where('organisation_id', '=', org.id).executeTakeFirstOrThrow();
    assert.deepEqual([settings.engaged_after_contacts, settings.service_area, settings.version], [2, 'Leeds', 2]);

    const firstSaveRace = await (await t.signedIn(otherOrg.id, 'organisation_admin')).browser.submit('/admin/settings', '/admin/settings', {
      engagedAfterContacts: '4',
      serviceArea: '',
      version: '3',
    });
    assert.equal(firstSaveRace.statusCode, 409, 'a first save must start from version 0');
    assert.equal(
      await t.deps.db.selectFrom('organisation_setting').select('version').where('organisation_id', '=', otherOrg.id).executeTakeFirst(),
      undefined,
    );
  });
});
