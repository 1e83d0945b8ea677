import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'p'.repeat(40),
  SMTP_URL: 'smtp://mail.example.org:587',
  BASE_URL: 'https://throughgate.example.org/',
};

describe('config', () => {
  test('with nothing set, development defaults', () => {
    const config = loadConfig({});
    assert.equal(config.environment, 'development');
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.baseUrl, 'http://localhost:3000');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.dataDir, path.resolve('data'));
    assert.equal(config.sessionIdleMinutes, 30);
    assert.equal(config.sessionAbsoluteHours, 12);
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.emailFrom, 'Throughgate <no-reply@throughgate.invalid>');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.seedDemoData, true);
    assert.equal(config.signInMaxFailures, 5);
    assert.equal(config.signInLockMinutes, 15);
    assert.equal(config.signInRateLimitPerMinute, 20);
    assert.equal(config.apiRateLimitPerMinute, 600);
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
    assert.ok(config.sessionSecret.length >= 32, 'a generated secret is long enough');
    assert.notEqual(loadConfig({}).sessionSecret, config.sessionSecret, 'a generated secret is random');
  });

  test('test environment is silent; the base URL follows PORT', () => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '4000' });
    assert.equal(config.environment, 'test');
    assert.equal(config.logLevel, 'silent');
    assert.equal(config.baseUrl, 'http://localhost:4000');
    assert.equal(loadConfig({ NODE_ENV: 'staging' }).environment, 'development');
  });

  test('values from the environment are used', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db/tg',
      DATA_DIR: '/var/lib/tg',
      SESSION_SECRET: 's'.repeat(32),
      SESSION_IDLE_MINUTES: '10',
      SMTP_URL: 'smtp://localhost:25',
      EMAIL_FROM: 'X <x@example.org>',
      LOG_LEVEL: 'debug',
      SEED_DEMO_DATA: 'no',
      SIGN_IN_MAX_FAILURES: '0',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.databaseUrl, 'postgres://u:p@db/tg');
    assert.equal(config.dataDir, '/var/lib/tg');
    assert.equal(config.sessionSecret, 's'.repeat(32));
    assert.equal(config.sessionIdleMinutes, 10);
    assert.equal(config.smtpUrl, 'smtp://localhost:25');
    assert.equal(config.emailFrom, 'X <x@example.org>');
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.seedDemoData, false);
    assert.equal(config.signInMaxFailures, 0);
  });

  test('production with every required setting', () => {
    const config = loadConfig(PRODUCTION);
    assert.equal(config.environment, 'production');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.baseUrl, 'https://throughgate.example.org', 'the trailing slash is dropped');
    assert.equal(config.seedDemoData, false, 'no demo data in production unless asked');
    assert.equal(config.cookieSecure, true);
    assert.equal(config.sessionSecret, PRODUCTION.SESSION_SECRET);
    assert.equal(loadConfig({ ...PRODUCTION, SEED_DEMO_DATA: 'false' }).seedDemoData, false);
    assert.throws(() => loadConfig({ ...PRODUCTION, SEED_DEMO_DATA: 'true' }), (error: unknown) =>
      error instanceof ConfigError && /SEED_DEMO_DATA/.test(error.message),
    );
  });

  test('production without its secrets fails, naming every one missing', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /SESSION_SECRET/.test(error.message) &&
        /SMTP_URL/.test(error.message) &&
        /BASE_URL/.test(error.message),
    );
    assert.throws(
      () => loadConfig({ ...PRODUCTION, SMTP_URL: '' }),
      (error: unknown) => error instanceof ConfigError && /SMTP_URL/.test(error.message) && !/SESSION_SECRET/.test(error.message),
    );
    assert.throws(
      () => loadConfig({ ...PRODUCTION, SESSION_SECRET: undefined }),
      (error: unknown) => error instanceof ConfigError && /SESSION_SECRET/.test(error.message),
    );
  });

  test('production refuses a plain-http base URL', () => {
    assert.throws(() => loadConfig({ ...PRODUCTION, BASE_URL: 'http://throughgate.example.org' }), (error: unknown) =>
      error instanceof ConfigError && /https/.test(error.message),
    );
  });

  test('a short session secret, a relative base URL, bad numbers and bad flags are refused', () => {
    assert.throws(() => loadConfig({ SESSION_SECRET: 'too-short' }), ConfigError);
    assert.throws(() => loadConfig({ BASE_URL: 'throughgate.example.org' }), /BASE_URL must be an absolute URL/);
    for (const bad of ['abc', '-1', '1.5', '3000x']) {
      assert.throws(() => loadConfig({ PORT: bad }), (error: unknown) => error instanceof ConfigError && /PORT/.test(error.message), bad);
    }
    assert.throws(() => loadConfig({ SESSION_IDLE_MINUTES: 'ten' }), /SESSION_IDLE_MINUTES/);
    assert.throws(() => loadConfig({ BODY_LIMIT_BYTES: '1e' }), /BODY_LIMIT_BYTES/);
    assert.throws(() => loadConfig({ SEED_DEMO_DATA: 'maybe' }), (error: unknown) => error instanceof ConfigError && /SEED_DEMO_DATA/.test(error.message));
  });

  test('the embedded database’s shared_buffers: 32 MiB unless set, a whole number of MiB from 1 to 1024', () => {
    assert.equal(loadConfig({}).pgliteSharedBuffersMb, 32);
    assert.equal(loadConfig({ PGLITE_SHARED_BUFFERS_MB: '128' }).pgliteSharedBuffersMb, 128);
    for (const bad of ['0', '1025', '16MB', '-8', '2.5']) {
      assert.throws(
        () => loadConfig({ PGLITE_SHARED_BUFFERS_MB: bad }),
        (error: unknown) => error instanceof ConfigError && /PGLITE_SHARED_BUFFERS_MB/.test(error.message),
        bad,
      );
    }
  });

  test('cookies are Secure for https and loopback addresses, not for plain http elsewhere', () => {
    assert.equal(loadConfig({ BASE_URL: 'https://tg.example.org' }).cookieSecure, true);
    assert.equal(loadConfig({ BASE_URL: 'http://localhost:3000' }).cookieSecure, true);
    assert.equal(loadConfig({ BASE_URL: 'http://127.0.0.1:3000' }).cookieSecure, true);
    assert.equal(loadConfig({ BASE_URL: 'http://192.168.1.20:3000' }).cookieSecure, false);
    assert.equal(loadConfig({ BASE_URL: 'http://tg.internal' }).cookieSecure, false);
  });
});
