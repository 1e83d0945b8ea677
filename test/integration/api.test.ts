import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

function assertProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, instance: string) {
  assert.equal(response.statusCode, status);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = response.json() as Record<string, unknown>;
  assert.equal(body.status, status);
  assert.equal(body.type, 'about:blank');
  assert.equal(typeof body.title, 'string');
  assert.equal(body.instance, instance);
  return body;
}

describe(`API (${databaseLabel()})`, () => {
  let t: TestApp;
  let organisationId: string;
  let token: string;

  before(async () => {
    t = await createTestApp();
    organisationId = (await t.organisation('API Org')).id;
    token = await apiTokenFor(t, organisationId, 'practitioner');
  });
  after(() => t.close());

  const me = (headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers });

  test('/api/v1/me with a token says who the token acts as', async () => {
    const response = await me({ authorization: `Bearer ${token}` });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const row = await t.deps.db.selectFrom('api_token').select(['id', 'last_used_at']).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow();
    assert.deepEqual(response.json(), { organisationId, organisationName: 'API Org', role: 'practitioner', tokenId: row.id });
    assert.ok(row.last_used_at instanceof Date, 'use of the token is recorded');
  });

  test('without a token, or with a bad or revoked one, the answer is 401 problem+json', async () => {
    const unauthenticated = await me();
    assert.equal(unauthenticated.headers['www-authenticate'], 'Bearer realm="throughgate"');
    const none = assertProblem(unauthenticated, 401, '/api/v1/me');
    assert.equal(none.title, 'Unauthorised');
    assertProblem(await me({ authorization: 'Bearer tg_not-a-real-token' }), 401, '/api/v1/me');
    assertProblem(await me({ authorization: `Basic ${token}` }), 401, '/api/v1/me');

    const revoked = await apiTokenFor(t, organisationId, 'manager');
    assert.equal((await me({ authorization: `Bearer ${revoked}` })).statusCode, 200);
    const { sha256 } = await import('../../src/platform/auth/secrets.ts');
    await t.deps.db.updateTable('api_token').set({ revoked_at: new Date() }).where('token_hash', '=', sha256(revoked)).execute();
    assertProblem(await me({ authorization: `Bearer ${revoked}` }), 401, '/api/v1/me');
  });

  test('the API ignores session cookies', async () => {
    const { browser } = await t.signedIn(organisationId, 'practitioner');
    assert.equal((await browser.get('/')).statusCode, 200, 'the cookies are good for pages');
    const response = await browser.get('/api/v1/me');
    assertProblem(response, 401, '/api/v1/me');
  });

  test('the OpenAPI document is 3.1.0 and describes /api/v1/me', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>>; info: { title: string } };
    assert.equal(document.openapi, '3.1.0');
    assert.equal(document.info.title, 'Throughgate API');
    assert.ok(document.paths['/api/v1/me'], 'lists /api/v1/me');
    assert.ok(document.paths['/api/v1/me'].get, 'with its GET operation');
    assert.equal(document.paths['/api/v1/openapi.json'], undefined, 'untagged routes are hidden');
  });

  test('an unknown API path is a 404 problem, not an HTML page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing?x=1', headers: { authorization: `Bearer ${token}` } });
    const body = assertProblem(response, 404, '/api/v1/no-such-thing');
    assert.match(String(body.detail), /GET \/api\/v1\/no-such-thing/);
    assert.doesNotMatch(response.body, /<html/);
  });

  test('API responses carry rate-limit headers', async () => {
    const response = await me({ authorization: `Bearer ${token}` });
    assert.equal(response.headers['x-ratelimit-limit'], String(t.config.apiRateLimitPerMinute));
    const remaining = Number(response.headers['x-ratelimit-remaining']);
    assert.ok(Number.isInteger(remaining) && remaining >= 0 && remaining < t.config.apiRateLimitPerMinute, String(remaining));
    assert.ok(response.headers['x-ratelimit-reset'] !== undefined);
  });

  test('past the limit a token gets 429 problem+json, while another token is unaffected', async () => {
    const limited = await createTestApp({ API_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const org = (await limited.organisation('Limited Org')).id;
      const first = await apiTokenFor(limited, org, 'practitioner');
      const second = await apiTokenFor(limited, org, 'practitioner');
      const call = (bearer: string) => limited.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${bearer}` } });
      assert.equal((await call(first)).statusCode, 200);
      assert.equal((await call(first)).statusCode, 200);
      const refused = await call(first);
      const body = assertProblem(refused, 429, '/api/v1/me');
      assert.match(String(body.detail), /Too many requests/);
      assert.ok(refused.headers['retry-after'] !== undefined);
      assert.equal((await call(second)).statusCode, 200);
    } finally {
      await limited.close();
    }
  });
});
