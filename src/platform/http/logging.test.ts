import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../config.ts';
import { loggerOptions, scrubUrl } from './logging.ts';

describe('logging', () => {
  test('scrubUrl hides the token in reset and invitation links', () => {
    assert.equal(scrubUrl('/password-reset/Zm9vYmFyLXNlY3JldC10b2tlbg'), '/password-reset/[redacted]');
    assert.equal(scrubUrl('/invitations/abc_DEF-123'), '/invitations/[redacted]');
    assert.equal(scrubUrl('/invitations/abc/extra'), '/invitations/[redacted]/extra');
  });

  test('scrubUrl keeps the request page itself and ordinary paths', () => {
    assert.equal(scrubUrl('/password-reset'), '/password-reset');
    assert.equal(scrubUrl('/sign-in'), '/sign-in');
    assert.equal(scrubUrl('/admin/users/0190f0c1-0000-7000-8000-000000000001'), '/admin/users/0190f0c1-0000-7000-8000-000000000001');
  });

  test('scrubUrl says there was a query string without what it said', () => {
    assert.equal(scrubUrl('/people?name=Jo+Smith&dob=1990-01-01'), '/people?[query]');
    assert.equal(scrubUrl('/password-reset/secret-token?utm=x'), '/password-reset/[redacted]?[query]');
    const scrubbed = scrubUrl('/invitations/secret-token?email=jo@example.org');
    assert.ok(!scrubbed.includes('secret-token'));
    assert.ok(!scrubbed.includes('jo@example.org'));
  });

  test('the request serializer logs only id, method and the scrubbed URL', () => {
    const options = loggerOptions(loadConfig({ NODE_ENV: 'test' })) as {
      level: string;
      redact: string[];
      serializers: { req(request: unknown): unknown; res(reply: unknown): unknown };
    };
    assert.equal(options.level, 'silent');
    const logged = options.serializers.req({
      id: 'req-1',
      method: 'GET',
      url: '/password-reset/secret-token?x=1',
      headers: { cookie: 'tg_session=abc', authorization: 'Bearer tg_x' },
    });
    assert.deepEqual(logged, { id: 'req-1', method: 'GET', url: '/password-reset/[redacted]?[query]' });
    assert.deepEqual(options.serializers.res({ statusCode: 302, headers: { 'set-cookie': 'x' } }), { statusCode: 302 });
    assert.ok(options.redact.includes('req.headers.cookie'));
    assert.ok(options.redact.includes('req.headers.authorization'));
  });
});
