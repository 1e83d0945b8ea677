import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as organisations from '../../src/modules/organisations/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';

describe(`instance administration (${databaseLabel()})`, () => {
  let t: TestApp;
  let sysadmin: Browser;
  let providerId: string;
  let commissionerId: string;

  before(async () => {
    t = await createTestApp();
    const operator = await t.organisation('Operator', 'operator');
    providerId = (await t.organisation('Existing Provider')).id;
    commissionerId = (await t.organisation('County Commissioners', 'commissioner')).id;
    sysadmin = (await t.signedIn(operator.id, 'system_admin')).browser;
  });
  after(() => t.close());

  async function count(table: 'organisation' | 'commission' | 'app_user'): Promise<number> {
    const row = await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  test('adds an organisation and invites its first administrator, in the new organisation', async () => {
    const response = await sysadmin.submit('/admin/organisations/new', '/admin/organisations/new', {
      name: 'New Horizons Trust',
      kind: 'provider',
      adminName: 'Nia Admin',
      adminEmail: 'nia@newhorizons.example.org',
    });
    assert.equal(response.statusCode, 302);
    const list = await sysadmin.get(response.headers.location as string);
    assert.match(list.body, /New Horizons Trust added/);
    const organisation = await t.deps.db.selectFrom('organisation').selectAll().where('name', '=', 'New Horizons Trust').executeTakeFirstOrThrow();
    assert.equal(organisation.kind, 'provider');
    const admin = await t.deps.db.selectFrom('app_user').selectAll().where('email', '=', 'nia@newhorizons.example.org').executeTakeFirstOrThrow();
    assert.equal(admin.organisation_id, organisation.id);
    assert.equal(admin.role, 'organisation_admin');
    assert.equal(admin.status, 'invited');
    const email = await t.deps.db.selectFrom('email_outbox').selectAll().where('to_address', '=', 'nia@newhorizons.example.org').executeTakeFirstOrThrow();
    assert.equal(email.organisation_id, organisation.id);
    const link = /http:\/\/localhost:3000(\/invitations\/\S+)/.exec(email.text_body)?.[1];
    assert.ok(link, 'the email carries an invitation link');
    const actions = await t.deps.db.selectFrom('audit_event').select('action').where('organisation_id', '=', organisation.id).orderBy('id').execute();
    assert.deepEqual(actions.map((row) => row.action), ['organisation.created', 'user.invited']);
    const invitation = await t.browser().get(link);
    assert.equal(invitation.statusCode, 200);
    assert.match(invitation.body, /Set up your account/);
  });

  test('bad input is named in the error summary and creates nothing', async () => {
    const before = { organisations: await count('organisation'), users: await count('app_user') };
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ name: '', kind: 'provider', adminName: 'A', adminEmail: 'a1@example.org' }, /Enter the organisation’s name/],
      [{ name: 'existing provider', kind: 'provider', adminName: 'A', adminEmail: 'a2@example.org' }, /An organisation with this name already exists/],
      [{ name: 'Fresh Org', kind: 'operator', adminName: 'A', adminEmail: 'a3@example.org' }, /Select whether the organisation provides support or commissions it/],
      [{ name: 'Fresh Org', kind: 'provider', adminName: '', adminEmail: 'not-an-email' }, /Enter the person’s name[\s\S]*Enter an email address in the correct format/],
      [{ name: 'Fresh Org', kind: 'provider', adminName: 'A', adminEmail: 'nia@newhorizons.example.org' }, /A user with this email address already exists/],
    ];
    for (const [fields, message] of cases) {
      const response = await sysadmin.submit('/admin/organisations/new', '/admin/organisations/new', fields);
      assert.equal(response.statusCode, 400, JSON.stringify(fields));
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, message);
    }
    assert.deepEqual({ organisations: await count('organisation'), users: await count('app_user') }, before);
  });

  test('adds a commission that lets the commissioner see the provider while it runs', async () => {
    const response = await sysadmin.submit('/admin/commissions/new', '/admin/commissions/new', {
      name: 'Gate to work 2026',
      commissionerId,
      'start-day': '1',
      'start-month': '4',
      'start-year': '2026',
      'end-day': '31',
      'end-month': '3',
      'end-year': '2029',
      providerIds: [providerId],
    });
    assert.equal(response.statusCode, 302);
    const list = await sysadmin.get(response.headers.location as string);
    assert.match(list.body, /Gate to work 2026 added/);
    assert.match(list.body, /Existing Provider/);
    const during = await organisations.commissionedProviders(t.deps.db, commissionerId, '2027-01-01');
    assert.deepEqual(during.map((row) => row.id), [providerId]);
    assert.equal((await organisations.commissionedProviders(t.deps.db, commissionerId, '2029-04-01')).length, 0);
  });

  test('a commission with impossible dates or no providers is refused, and nothing is stored', async () => {
    const before = await count('commission');
    const base = { name: 'Bad one', commissionerId, 'start-day': '1', 'start-month': '4', 'start-year': '2026', providerIds: [providerId] };
    const cases: Array<[Record<string, string | string[]>, RegExp]> = [
      [{ ...base, 'end-day': '1', 'end-month': '1', 'end-year': '2026' }, /End date must be the same as or after the start date/],
      [{ ...base, 'start-day': '31', 'start-month': '2' }, /Start date must be a real date/],
      [{ ...base, 'start-day': '', 'start-month': '', 'start-year': '' }, /Enter the start date/],
      [{ ...base, providerIds: [] }, /Select at least one provider the commission covers/],
      [{ ...base, providerIds: [commissionerId] }, /Select providers from the list/],
      [{ ...base, commissionerId: providerId }, /Select the commissioning organisation/],
    ];
    for (const [fields, message] of cases) {
      const response = await sysadmin.submit('/admin/commissions/new', '/admin/commissions/new', fields);
      assert.equal(response.statusCode, 400, JSON.stringify(fields));
      assert.match(response.body, message);
    }
    assert.equal(await count('commission'), before);
  });

  test('organisation administrators cannot reach the instance pages', async () => {
    const { browser } = await t.signedIn(providerId, 'organisation_admin');
    for (const url of ['/admin/organisations', '/admin/organisations/new', '/admin/commissions', '/admin/commissions/new']) {
      assert.equal((await browser.get(url)).statusCode, 403, url);
    }
    const post = await browser.submit('/account', '/admin/organisations/new', { name: 'Sneaky', kind: 'provider', adminName: 'S', adminEmail: 's@example.org' });
    assert.equal(post.statusCode, 403);
    assert.equal(await t.deps.db.selectFrom('organisation').select('id').where('name', '=', 'Sneaky').executeTakeFirst(), undefined);
  });
});
