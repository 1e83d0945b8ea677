import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../../src/platform/audit/service.ts';
import * as users from '../../src/modules/users/service.ts';
import { apiTokenFor, createTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';

describe(`user administration (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let admin: { browser: Browser; userId: string; email: string };
  let counter = 0;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Users Org');
    otherOrg = await t.organisation('Other Org');
    admin = await t.signedIn(org.id, 'organisation_admin');
  });
  after(() => t.close());

  async function person(organisationId: string, displayName: string, extra: { role?: string; teamId?: string | null; email?: string } = {}) {
    counter += 1;
    const email = extra.email ?? `person${counter}-${Date.now()}@example.org`;
    const role = extra.role ?? 'practitioner';
    const user = await users.createUserWithPassword(t.deps.db, SYSTEM_ACTOR, {
      organisationId,
      email,
      displayName,
      role,
      teamId: extra.teamId ?? null,
      practitionerKind: role === 'practitioner' ? 'caseworker' : null,
      password: TEST_PASSWORD,
    });
    return { id: user.id, email };
  }

  async function counts() {
    const count = async (table: 'app_user' | 'audit_event' | 'email_outbox' | 'one_time_token') =>
      Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.deps.db)).rows[0].n);
    return {
      users: await count('app_user'),
      audit: await count('audit_event'),
      emails: await count('email_outbox'),
      links: await count('one_time_token'),
    };
  }

  const userRow = (id: string) => t.deps.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditFor = (id: string, action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', id).where('action', '=', action).execute();

  test('the list searches, filters and pages, and every link keeps the search and filters', async () => {
    const listOrg = await t.organisation('Paging Org');
    const listAdmin = await t.signedIn(listOrg.id, 'organisation_admin');
    for (let n = 1; n <= 30; n += 1) {
      await person(listOrg.id, `Pager Person ${String(n).padStart(2, '0')}`, { teamId: listOrg.teamId });
    }
    await person(listOrg.id, 'Pager Manager', { role: 'manager' });
    await person(listOrg.id, 'Someone Else', { email: `unique-pager-mailbox-${Date.now()}@example.org` });

    const first = await listAdmin.browser.get('/admin/users?search=PAGER&role=practitioner');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Showing 1 to 25 of 31 users/, 'search is case-insensitive and matches email addresses too');
    assert.equal((first.body.match(/>Pager Person \d\d</g) ?? []).length, 25);
    assert.doesNotMatch(first.body, /Pager Manager/, 'the role filter applies');
    assert.match(first.body, /value="PAGER"/, 'the search box keeps what was typed');
    assert.match(first.body, /<option value="practitioner" selected>/);
    assert.match(first.body, /href="\/admin\/users\?search=PAGER&amp;role=practitioner&amp;page=2"[^>]*rel="next"/);
    assert.match(first.body, /href="\/admin\/users\/[0-9a-f-]{36}\?list=search%3DPAGER%26role%3Dpractitioner"/);

    const second = await listAdmin.browser.get('/admin/users?search=PAGER&role=practitioner&page=2');
    assert.match(second.body, /Showing 26 to 31 of 31 users/);
    assert.match(second.body, /Someone Else/);
    assert.match(second.body, /href="\/admin\/users\?search=PAGER&amp;role=practitioner"[^>]*rel="prev"/);
    assert.match(second.body, /aria-current="page"/);

    const team = await listAdmin.browser.get(`/admin/users?team=${listOrg.teamId}&status=active`);
    assert.match(team.body, /Showing 1 to 25 of 30 users/);
    assert.doesNotMatch(team.body, /Someone Else/);
    const noTeam = await listAdmin.browser.get('/admin/users?team=none&search=pager');
    assert.match(noTeam.body, /Showing 1 to 2 of 2 users/);

    const userLink = /href="(\/admin\/users\/[0-9a-f-]{36}\?list=[^"]+)"/.exec(first.body)![1];
    const detail = await listAdmin.browser.get(userLink.replace(/&amp;/g, '&'));
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /href="\/admin\/users\?search=PAGER&amp;role=practitioner"[^>]*>Back to users/);

    const none = await listAdmin.browser.get('/admin/users?search=nobody-has-this-name');
    assert.match(none.body, /No users match your search and filters/);
    assert.doesNotMatch(none.body, /govuk-table/);
    const wildcard = await listAdmin.browser.get('/admin/users?search=%25');
    assert.match(wildcard.body, /No users match/, 'a % in the search is a character, not a wildcard');

    const past = await listAdmin.browser.get('/admin/users?search=PAGER&page=9');
    assert.equal(past.statusCode, 302);
    assert.equal(past.headers.location, '/admin/users?search=PAGER&page=2');
  });

  test('an invitation creates an invited user, emails a link, is audited, and the link sets a password', async () => {
    const email = `invitee-${Date.now()}@example.org`;
    const response = await admin.browser.submit('/admin/users/invite', '/admin/users/invite', {
      email,
      displayName: 'Ivy Invitee',
      role: 'practitioner',
      team: org.teamId,
      practitionerKind: 'employment_specialist',
    });
    assert.equal(response.statusCode, 302);
    const location = response.headers.location as string;
    const id = /^\/admin\/users\/([0-9a-f-]{36})\?done=invited$/.exec(location)?.[1];
    assert.ok(id, `redirected to the user page, got ${location}`);
    const page = await admin.browser.get(location);
    assert.match(page.body, new RegExp(`Invitation sent to ${email}`));
    assert.match(page.body, /Ivy Invitee/);

    const row = await userRow(id);
    assert.equal(row.status, 'invited');
    assert.equal(row.password_hash, null);
    assert.equal(row.role, 'practitioner');
    assert.equal(row.practitioner_kind, 'employment_specialist');
    assert.equal(row.team_id, org.teamId);
    assert.equal(row.organisation_id, org.id);
    const audit = await auditFor(id, 'user.invited');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_user_id, admin.userId);

    const mail = await t.deps.db.selectFrom('email_outbox').selectAll().where('to_address', '=', email).execute();
    assert.equal(mail.length, 1);
    const token = /http:\/\/localhost:3000\/invitations\/([A-Za-z0-9_-]+)/.exec(mail[0].text_body)?.[1];
    assert.ok(token, 'the email holds the invitation link');

    const invitee = t.browser();
    const form = await invitee.get(`/invitations/${token}`);
    assert.equal(form.statusCode, 200);
    const accepted = await invitee.submit(`/invitations/${token}`, `/invitations/${token}`, { password: TEST_PASSWORD, confirm: TEST_PASSWORD });
    assert.equal(accepted.statusCode, 302);
    assert.equal((await userRow(id)).status, 'active');
    const signIn = await invitee.submit('/sign-in', '/sign-in', { email, password: TEST_PASSWORD });
    assert.equal(signIn.statusCode, 302);
    assert.equal(signIn.headers.location, '/');
  });

  const valid = () => ({ email: `valid-${Date.now()}-${Math.random()}@example.org`, displayName: 'Val Id', role: 'manager', team: '', practitionerKind: '' });
  const invalidCases: Array<{ name: string; fields: () => Promise<Record<string, string>>; field: string; text: RegExp }> = [
    { name: 'empty email', fields: async () => ({ ...valid(), email: '' }), field: 'email', text: /Enter an email address</ },
    { name: 'invalid email', fields: async () => ({ ...valid(), email: 'not-an-email' }), field: 'email', text: /Enter an email address in the correct format/ },
    {
      name: 'duplicate email, in any case',
      fields: async () => ({ ...valid(), email: (await person(otherOrg.id, 'Taken')).email.toUpperCase() }),
      field: 'email',
      text: /A user with this email address already exists/,
    },
    { name: 'missing name', fields: async () => ({ ...valid(), displayName: '  ' }), field: 'displayName', text: /Enter the person’s name/ },
    { name: 'missing role', fields: async () => ({ ...valid(), role: '' }), field: 'role', text: /Select a role</ },
    { name: 'role not assignable', fields: async () => ({ ...valid(), role: 'system_admin' }), field: 'role', text: /Select a role you are allowed to give/ },
    { name: 'made-up role', fields: async () => ({ ...valid(), role: 'overlord' }), field: 'role', text: /Select a role you are allowed to give/ },
    { name: 'practitioner without a kind', fields: async () => ({ ...valid(), role: 'practitioner' }), field: 'practitionerKind', text: /Select what kind of practitioner they are/ },
    { name: 'team of another organisation', fields: async () => ({ ...valid(), team: otherOrg.teamId }), field: 'team', text: /Select a team from the list/ },
  ];
  for (const invalid of invalidCases) {
    test(`an invitation with ${invalid.name} shows the error summary and writes nothing`, async () => {
      const fields = await invalid.fields();
      const before = await counts();
      const response = await admin.browser.submit('/admin/users/invite', '/admin/users/invite', fields);
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, new RegExp(`href="#${invalid.field}">`));
      assert.match(response.body, invalid.text);
      assert.match(response.body, /<title>Error: Invite a user/);
      if (fields.displayName.trim()) assert.match(response.body, new RegExp(`value="${fields.displayName}"`), 'what was typed is kept');
      assert.deepEqual(await counts(), before);
    });
  }

  test('a stale edit shows the conflict page with the current values and overwrites nothing', async () => {
    const target = await person(org.id, 'Contested User', { role: 'practitioner' });
    const otherAdmin = await t.signedIn(org.id, 'organisation_admin');
    const editUrl = `/admin/users/${target.id}/edit`;
    const loaded = await admin.browser.get(editUrl);
    const version = /name="version" value="(\d+)"/.exec(loaded.body)?.[1];
    assert.equal(version, '1');

    const first = await otherAdmin.browser.submit(editUrl, editUrl, { role: 'manager', team: org.teamId, version: '1' });
    assert.equal(first.statusCode, 302);
    assert.equal(first.headers.location, `/admin/users/${target.id}?done=updated`);
    const roleChange = await auditFor(target.id, 'user.role-changed');
    assert.equal(roleChange.length, 1);
    assert.deepEqual(roleChange[0].detail, {
      before: { role: 'practitioner', practitionerKind: 'caseworker' },
      after: { role: 'manager', practitionerKind: null },
    });

    const stale = await admin.browser.submit(editUrl, editUrl, { role: 'mentor_coordinator', team: '', version });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /This user was changed by someone else/);
    assert.match(stale.body, /id="current-values"[\s\S]*Team manager[\s\S]*Users Org team[\s\S]*id="attempted-values"[\s\S]*Mentor coordinator/);
    const row = await userRow(target.id);
    assert.equal(row.role, 'manager');
    assert.equal(row.team_id, org.teamId);
    assert.equal(row.version, 2);
    assert.equal((await auditFor(target.id, 'user.role-changed')).length, 1);

    const missingVersion = await admin.browser.submit(editUrl, editUrl, { role: 'mentor_coordinator', team: '' });
    assert.equal(missingVersion.statusCode, 409, 'a form without a version cannot overwrite');
    assert.equal((await userRow(target.id)).role, 'manager');
  });

  test('an edit validates the role and the team, and an admin cannot change their own role', async () => {
    const target = await person(org.id, 'Edited User', { role: 'manager' });
    const editUrl = `/admin/users/${target.id}/edit`;
    const bad = await admin.browser.submit(editUrl, editUrl, { role: 'system_admin', team: otherOrg.teamId, version: '1' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#role">Select a role you are allowed to give/);
    assert.match(bad.body, /href="#team">Select a team from the list/);
    assert.equal((await userRow(target.id)).version, 1);

    const own = `/admin/users/${admin.userId}/edit`;
    const self = await admin.browser.submit(own, own, { role: 'manager', team: '', version: String((await userRow(admin.userId)).version) });
    assert.equal(self.statusCode, 400);
    assert.match(self.body, /You cannot change your own role/);
    assert.equal((await userRow(admin.userId)).role, 'organisation_admin');
  });

  test('deactivating a user ends their sessions and stops them signing in; reactivating lets them back', async () => {
    const member = await t.signedIn(org.id, 'practitioner');
    assert.equal((await member.browser.get('/')).statusCode, 200);
    const confirm = await admin.browser.get(`/admin/users/${member.userId}/deactivate`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Deactivate Test practitioner \d+\?/);

    const response = await admin.browser.submit(`/admin/users/${member.userId}`, `/admin/users/${member.userId}/deactivate`, {});
    assert.equal(response.statusCode, 302);
    assert.equal((await userRow(member.userId)).status, 'deactivated');
    const sessions = await t.deps.db.selectFrom('user_session').select('id').where('user_id', '=', member.userId).execute();
    assert.equal(sessions.length, 0);
    assert.equal((await member.browser.get('/')).statusCode, 302, 'the old session no longer works');
    const audit = await auditFor(member.userId, 'user.deactivated');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].detail.sessionsEnded, 1);
    const again = await t.browser().submit('/sign-in', '/sign-in', { email: member.email, password: TEST_PASSWORD });
    assert.equal(again.statusCode, 400);

    const reactivated = await admin.browser.submit(`/admin/users/${member.userId}`, `/admin/users/${member.userId}/reactivate`, {});
    assert.equal(reactivated.statusCode, 302);
    assert.equal((await userRow(member.userId)).status, 'active');
    assert.equal((await auditFor(member.userId, 'user.reactivated')).length, 1);
  });

  test('an admin cannot deactivate themself', async () => {
    const response = await admin.browser.submit('/admin/users', `/admin/users/${admin.userId}/deactivate`, {});
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /You cannot deactivate your own account/);
    assert.equal((await userRow(admin.userId)).status, 'active');
    assert.equal((await auditFor(admin.userId, 'user.deactivated')).length, 0);
  });

  test('unlocking clears the lock and the failure count; resending an invitation replaces the link', async () => {
    const locked = await person(org.id, 'Locked Out');
    await t.deps.db.updateTable('app_user').set({ locked_until: new Date(Date.now() + 600_000), failed_sign_ins: 3 }).where('id', '=', locked.id).execute();
    const page = await admin.browser.get(`/admin/users/${locked.id}`);
    assert.match(page.body, /Locked after failed sign-ins until/);
    const unlocked = await admin.browser.submit(`/admin/users/${locked.id}`, `/admin/users/${locked.id}/unlock`, {});
    assert.equal(unlocked.statusCode, 302);
    const row = await userRow(locked.id);
    assert.equal(row.locked_until, null);
    assert.equal(row.failed_sign_ins, 0);
    assert.equal((await auditFor(locked.id, 'user.unlocked')).length, 1);

    const email = `resend-${Date.now()}@example.org`;
    const invited = await admin.browser.submit('/admin/users/invite', '/admin/users/invite', { email, displayName: 'Re Send', role: 'manager', team: '' });
    const id = /\/admin\/users\/([0-9a-f-]{36})/.exec(invited.headers.location as string)![1];
    const resent = await admin.browser.submit(`/admin/users/${id}`, `/admin/users/${id}/resend-invitation`, {});
    assert.equal(resent.headers.location, `/admin/users/${id}?done=resent`);
    const mail = await t.deps.db.selectFrom('email_outbox').select('text_body').where('to_address', '=', email).orderBy('created_at').execute();
    assert.equal(mail.length, 2);
    const [oldToken, newToken] = mail.map((m) => /\/invitations\/([A-Za-z0-9_-]+)/.exec(m.text_body)![1]);
    assert.equal((await t.browser().get(`/invitations/${oldToken}`)).statusCode, 410);
    assert.equal((await t.browser().get(`/invitations/${newToken}`)).statusCode, 200);
    assert.equal((await auditFor(id, 'user.invitation-resent')).length, 1);
  });

  test('a practitioner gets 403 on the user pages and cannot invite', async () => {
    const practitioner = await t.signedIn(org.id, 'practitioner');
    assert.equal((await practitioner.browser.get('/admin/users')).statusCode, 403);
    assert.equal((await practitioner.browser.get('/admin/users/invite')).statusCode, 403);
    assert.equal((await practitioner.browser.get(`/admin/users/${admin.userId}`)).statusCode, 403);
    const before = await counts();
    const response = await practitioner.browser.submit('/', '/admin/users/invite', { ...valid(), role: 'manager' });
    assert.equal(response.statusCode, 403);
    assert.deepEqual(await counts(), before);
  });

  test('a manager may view users but not change them', async () => {
    const manager = await t.signedIn(org.id, 'manager');
    const list = await manager.browser.get('/admin/users');
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, /Invite a user/);
    const page = await manager.browser.get(`/admin/users/${admin.userId}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Deactivate user|\/edit"/);
    assert.equal((await manager.browser.get(`/admin/users/${admin.userId}/edit`)).statusCode, 403);
  });

  test('another organisation’s user, or a malformed id, is 404 on the pages and the API', async () => {
    const outsider = await person(otherOrg.id, 'Outsider Person');
    for (const path of [`/admin/users/${outsider.id}`, `/admin/users/${outsider.id}/edit`, `/admin/users/${outsider.id}/deactivate`]) {
      const response = await admin.browser.get(path);
      assert.equal(response.statusCode, 404, path);
      assert.doesNotMatch(response.body, /Outsider Person/);
    }
    const post = await admin.browser.submit('/admin/users', `/admin/users/${outsider.id}/deactivate`, {});
    assert.equal(post.statusCode, 404);
    assert.equal((await userRow(outsider.id)).status, 'active');
    for (const path of ['/admin/users/not-a-uuid', '/admin/users/12345678-1234-1234-1234-12345678901z', "/admin/users/1'/edit"]) {
      assert.equal((await admin.browser.get(path)).statusCode, 404, path);
    }

    const token = await apiTokenFor(t, org.id, 'manager');
    const headers = { authorization: `Bearer ${token}` };
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/users/${outsider.id}`, headers });
    assert.equal(api.statusCode, 404);
    assert.match(api.headers['content-type'] as string, /application\/problem\+json/);
    assert.doesNotMatch(api.body, /Outsider/);
    const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/users/not-a-uuid', headers });
    assert.equal(malformed.statusCode, 404);
    assert.match(malformed.headers['content-type'] as string, /application\/problem\+json/);
  });

  test('the users API lists with search, role, limit and offset, scoped to the organisation', async () => {
    const apiOrg = await t.organisation('Api Users Org');
    for (const name of ['Alpha Api', 'Bravo Api', 'Charlie Api']) await person(apiOrg.id, name);
    await person(apiOrg.id, 'Delta Api', { role: 'manager' });
    await person(otherOrg.id, 'Echo Api');
    const headers = { authorization: `Bearer ${await apiTokenFor(t, apiOrg.id, 'manager')}` };

    const page = await t.app.inject({ method: 'GET', url: '/api/v1/users?search=API&role=practitioner&limit=2&offset=1', headers });
    assert.equal(page.statusCode, 200);
    const body = page.json();
    assert.equal(body.total, 3);
    assert.deepEqual(body.items.map((u: { displayName: string }) => u.displayName), ['Bravo Api', 'Charlie Api']);
    assert.equal(body.limit, 2);
    assert.equal(body.offset, 1);
    assert.equal(body.items[0].passwordHash, undefined);

    const one = await t.app.inject({ method: 'GET', url: `/api/v1/users/${body.items[0].id}`, headers });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().displayName, 'Bravo Api');
    assert.equal(one.json().status, 'active');

    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/users?colour=red', headers });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /unknown field \\"colour\\"/);
    const badRole = await t.app.inject({ method: 'GET', url: '/api/v1/users?role=overlord', headers });
    assert.equal(badRole.statusCode, 400);
    assert.match(badRole.headers['content-type'] as string, /application\/problem\+json/);

    const practitioner = { authorization: `Bearer ${await apiTokenFor(t, apiOrg.id, 'practitioner')}` };
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: practitioner })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode, 401);
  });
});
