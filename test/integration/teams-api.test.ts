import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { SYSTEM_ACTOR } from '../../src/platform/audit/service.ts';
import * as users from '../../src/modules/users/service.ts';
import { apiTokenFor, createTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

describe(`teams pages and API (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let manager: string;
  let practitioner: string;

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Teams Org');
    otherOrg = await t.organisation('Elsewhere Org');
    manager = await apiTokenFor(t, org.id, 'manager');
    practitioner = await apiTokenFor(t, org.id, 'practitioner');
  });
  after(() => t.close());

  function api(method: 'GET' | 'POST', url: string, token: string | null, body?: string, contentType = 'application/json') {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    return t.app.inject({ method, url, headers, payload: body });
  }

  function assertProblem(response: LightMyRequestResponse, status: number) {
    assert.equal(response.statusCode, status, response.body);
    assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
    const problem = response.json();
    assert.equal(problem.status, status);
    assert.equal(typeof problem.title, 'string');
    return problem;
  }

  const teamRows = (organisationId: string) =>
    t.deps.db.selectFrom('team').select(['id', 'name']).where('organisation_id', '=', organisationId).execute();

  async function member(organisationId: string, teamId: string, name: string) {
    return users.createUserWithPassword(t.deps.db, SYSTEM_ACTOR, {
      organisationId,
      teamId,
      email: `${name.replace(/\W/g, '').toLowerCase()}-${Date.now()}@example.org`,
      displayName: name,
      role: 'manager',
      password: TEST_PASSWORD,
    });
  }

  test('GET /api/v1/teams lists the organisation’s teams with member counts, not deactivated users', async () => {
    await member(org.id, org.teamId, 'Member One');
    const leaver = await member(org.id, org.teamId, 'Member Two');
    await t.deps.db.updateTable('app_user').set({ status: 'deactivated' }).where('id', '=', leaver.id).execute();
    await member(otherOrg.id, otherOrg.teamId, 'Other Member');

    const response = await api('GET', '/api/v1/teams', manager);
    assert.equal(response.statusCode, 200);
    const { items } = response.json();
    const ours = items.find((team: { id: string }) => team.id === org.teamId);
    assert.deepEqual({ name: ours.name, memberCount: ours.memberCount }, { name: 'Teams Org team', memberCount: 1 });
    assert.equal(items.some((team: { id: string }) => team.id === otherOrg.teamId), false, 'another organisation’s teams are not listed');

    const one = await api('GET', `/api/v1/teams/${org.teamId}`, practitioner);
    assert.equal(one.statusCode, 200, 'practitioners may read teams');
    assert.equal(one.json().memberCount, 1);
  });

  test('POST /api/v1/teams creates a team, audits it, and a duplicate name is a 400 problem', async () => {
    const created = await api('POST', '/api/v1/teams', manager, JSON.stringify({ name: 'Resettlement North' }));
    assert.equal(created.statusCode, 201, created.body);
    const team = created.json();
    assert.equal(team.name, 'Resettlement North');
    assert.equal(team.memberCount, 0);
    assert.equal(created.headers.location, `/api/v1/teams/${team.id}`);
    assert.ok((await teamRows(org.id)).some((row) => row.id === team.id));
    const audit = await t.deps.db.selectFrom('audit_event').select(['action', 'actor_label']).where('subject_id', '=', team.id).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].action, 'team.created');
    assert.match(audit[0].actor_label, /^api-token:/);

    const fetched = await api('GET', `/api/v1/teams/${team.id}`, manager);
    assert.equal(fetched.json().name, 'Resettlement North');

    const duplicate = await api('POST', '/api/v1/teams', manager, JSON.stringify({ name: 'resettlement NORTH' }));
    const problem = assertProblem(duplicate, 400);
    assert.deepEqual(problem.errors, [{ pointer: '/name', detail: 'A team with this name already exists' }]);
    assert.equal((await teamRows(org.id)).filter((row) => row.name.toLowerCase() === 'resettlement north').length, 1);
  });

  test('a practitioner token cannot create a team, a commissioner cannot read them, and no token is 401', async () => {
    const before = (await teamRows(org.id)).length;
    assertProblem(await api('POST', '/api/v1/teams', practitioner, JSON.stringify({ name: 'Not Allowed' })), 403);
    assert.equal((await teamRows(org.id)).length, before);
    const commissioner = await apiTokenFor(t, org.id, 'commissioner');
    assertProblem(await api('GET', '/api/v1/teams', commissioner), 403);
    assertProblem(await api('GET', '/api/v1/teams', null), 401);
    assertProblem(await api('GET', '/api/v1/teams', 'tg_not-a-real-token'), 401);
  });

  test('malformed JSON, an unknown field, an empty name and an oversized body are refused as problems', async () => {
    const before = (await teamRows(org.id)).length;
    assertProblem(await api('POST', '/api/v1/teams', manager, '{"name": "Broken'), 400);

    const unknown = assertProblem(await api('POST', '/api/v1/teams', manager, JSON.stringify({ name: 'Extra', colour: 'red' })), 400);
    assert.ok(
      unknown.errors.some((error: { detail: string }) => error.detail === 'unknown field "colour"'),
      JSON.stringify(unknown.errors),
    );

    const empty = assertProblem(await api('POST', '/api/v1/teams', manager, JSON.stringify({ name: '' })), 400);
    assert.equal(empty.errors[0].pointer, '/name');
    assertProblem(await api('POST', '/api/v1/teams', manager, JSON.stringify({})), 400);
    assertProblem(await api('POST', '/api/v1/teams', manager, JSON.stringify({ name: '   ' })), 400);

    const huge = JSON.stringify({ name: 'x'.repeat(t.config.bodyLimitBytes + 10) });
    const oversized = assertProblem(await api('POST', '/api/v1/teams', manager, huge), 413);
    assert.match(oversized.title, /too large/);
    assert.equal((await teamRows(org.id)).length, before, 'nothing was written');
  });

  test('another organisation’s team, or a malformed id, is 404 on the API and the pages', async () => {
    const problem = assertProblem(await api('GET', `/api/v1/teams/${otherOrg.teamId}`, manager), 404);
    assert.doesNotMatch(JSON.stringify(problem), /Elsewhere/);
    assertProblem(await api('GET', '/api/v1/teams/not-a-uuid', manager), 404);

    const admin = await t.signedIn(org.id, 'organisation_admin');
    const page = await admin.browser.get(`/admin/teams/${otherOrg.teamId}`);
    assert.equal(page.statusCode, 404);
    assert.doesNotMatch(page.body, /Elsewhere Org team/);
    assert.equal((await admin.browser.get('/admin/teams/not-a-uuid')).statusCode, 404);
    const own = await admin.browser.get(`/admin/teams/${org.teamId}`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Teams Org team/);
    assert.match(own.body, new RegExp(`href="/admin/users\\?team=${org.teamId}"`));
  });

  test('the teams page lists teams with counts, and an administrator adds one with validation', async () => {
    const admin = await t.signedIn(org.id, 'organisation_admin');
    const page = await admin.browser.get('/admin/teams');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Teams Org team<\/a>\s*<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">\s*1\s*</);
    assert.doesNotMatch(page.body, /Elsewhere Org team/);

    const empty = await admin.browser.submit('/admin/teams', '/admin/teams', { name: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /href="#name">Enter the team name/);

    const added = await admin.browser.submit('/admin/teams', '/admin/teams', { name: 'Through the Gate' });
    assert.equal(added.statusCode, 302);
    const listed = await admin.browser.get(added.headers.location as string);
    assert.match(listed.body, /Team “Through the Gate” added/);
    assert.ok((await teamRows(org.id)).some((row) => row.name === 'Through the Gate'));

    const duplicate = await admin.browser.submit('/admin/teams', '/admin/teams', { name: 'THROUGH THE GATE' });
    assert.equal(duplicate.statusCode, 400);
    assert.match(duplicate.body, /A team with this name already exists/);
  });

  test('a practitioner can see teams but not add one; a volunteer mentor cannot see them', async () => {
    const member = await t.signedIn(org.id, 'practitioner');
    const page = await member.browser.get('/admin/teams');
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Add a team/);
    const before = (await teamRows(org.id)).length;
    assert.equal((await member.browser.submit('/admin/teams', '/admin/teams', { name: 'Sneaky' })).statusCode, 403);
    assert.equal((await teamRows(org.id)).length, before);
    const mentor = await t.signedIn(org.id, 'volunteer_mentor');
    assert.equal((await mentor.browser.get('/admin/teams')).statusCode, 403);
  });

  test('the OpenAPI document describes the users and teams routes', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const document = response.json();
    for (const path of ['/api/v1/users', '/api/v1/users/{id}', '/api/v1/teams', '/api/v1/teams/{id}']) {
      assert.ok(document.paths[path], `${path} is documented`);
    }
    assert.ok(document.paths['/api/v1/teams'].post.requestBody);
  });
});
