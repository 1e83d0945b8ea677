import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  test('hashes with argon2id at the OWASP baseline, salted', async () => {
    const first = await hashPassword('correct horse battery staple');
    assert.ok(first.startsWith('$argon2id$'), first);
    assert.match(first, /\$m=19456,t=2,p=1\$/);
    const second = await hashPassword('correct horse battery staple');
    assert.notEqual(first, second, 'each hash has its own salt');
  });

  test('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    assert.equal(await verifyPassword(stored, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(stored, 'correct horse battery stapl'), false);
    assert.equal(await verifyPassword(stored, 'Correct horse battery staple'), false);
  });

  test('no stored hash, or a broken one, is never a match', async () => {
    assert.equal(await verifyPassword(null, 'anything at all'), false);
    assert.equal(await verifyPassword(null, ''), false);
    assert.equal(await verifyPassword('not a hash', 'anything at all'), false);
  });

  test('passwordProblem: length limits and no email name inside', () => {
    assert.equal(MIN_PASSWORD_LENGTH, 12);
    assert.equal(MAX_PASSWORD_LENGTH, 256);
    assert.equal(passwordProblem('a'.repeat(11), 'sam@example.org'), 'Password must be 12 characters or more');
    assert.equal(passwordProblem('a'.repeat(12), 'sam@example.org'), undefined);
    assert.equal(passwordProblem('a'.repeat(256), 'sam@example.org'), undefined);
    assert.equal(passwordProblem('a'.repeat(257), 'sam@example.org'), 'Password must be 256 characters or fewer');
    assert.equal(passwordProblem('my name is jo.smith ok', 'Jo.Smith@example.org'), 'Password must not contain your email address');
    assert.equal(passwordProblem('XXJO.SMITHXXXX', 'jo.smith@example.org'), 'Password must not contain your email address');
    assert.equal(passwordProblem('correct horse battery staple', 'jo.smith@example.org'), undefined);
  });
});
