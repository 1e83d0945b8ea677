import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addItem, loadReferenceData, setItemActive } from '../../src/modules/reference-data/service.ts';
import { directPrincipal, type Principal } from '../../src/platform/http/context.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

describe(`reference data cache (${databaseLabel()})`, () => {
  let t: TestApp;
  let admin: Principal;

  before(async () => {
    t = await createTestApp();
    const org = await t.organisation('Cache Org');
    const user = await t.user(org.id, 'organisation_admin');
    admin = directPrincipal({ id: org.id, name: 'Cache Org' }, 'organisation_admin', { id: user.id, displayName: 'Cache Admin', email: user.email });
  });
  after(() => t.close());

  const codes = async (list: string) => (await loadReferenceData(t.deps.db, admin.organisationId, [list])).items(list).map((item) => item.code);
  const insertBehindItsBack = (code: string) =>
    t.deps.db.insertInto('reference_item').values({ organisation_id: admin.organisationId, list_code: 'referral_source', code, label: code }).execute();

  test('a list is read once and then served from the cache', async () => {
    const first = await codes('referral_source');
    await insertBehindItsBack('behind_its_back');
    assert.deepEqual(await codes('referral_source'), first, 'a write that bypasses the service is not seen yet');
    const inTransaction = await t.deps.db.transaction().execute(async (trx) => (await loadReferenceData(trx, admin.organisationId, ['referral_source'])).items('referral_source'));
    assert.ok(inTransaction.some((item) => item.code === 'behind_its_back'), 'a read inside a transaction goes to the database');
  });

  test('adding or retiring an item through the service is seen at once', async () => {
    await codes('referral_source');
    const item = await addItem(t.deps.db, admin, 'referral_source', 'Cache Added');
    assert.ok((await codes('referral_source')).includes('cache_added'));
    await setItemActive(t.deps.db, admin, 'referral_source', item.id, false);
    const reference = await loadReferenceData(t.deps.db, admin.organisationId, ['referral_source']);
    assert.equal(reference.offers('referral_source', 'cache_added'), false);
  });
});
