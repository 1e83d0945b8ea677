import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decrypt, encrypt, hmac, randomToken, safeEqual, sha256 } from './secrets.ts';

const SECRET = 'a-server-secret-that-is-at-least-32-characters';

describe('secrets', () => {
  test('encrypt then decrypt gives back the plaintext, and the ciphertext hides it', () => {
    const sealed = encrypt(SECRET, 'totp-secret', 'JBSWY3DPEHPK3PXP');
    assert.equal(sealed.split('.').length, 3);
    assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
    assert.equal(decrypt(SECRET, 'totp-secret', sealed), 'JBSWY3DPEHPK3PXP');
    assert.equal(decrypt(SECRET, 'p', encrypt(SECRET, 'p', 'naïve – ünïcode ✓')), 'naïve – ünïcode ✓');
  });

  test('each encryption uses a fresh IV', () => {
    assert.notEqual(encrypt(SECRET, 'p', 'same'), encrypt(SECRET, 'p', 'same'));
  });

  test('tampering with the ciphertext, tag or IV makes decryption throw', () => {
    const sealed = encrypt(SECRET, 'p', 'a secret value');
    const parts = sealed.split('.');
    for (let index = 0; index < 3; index += 1) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 1;
      const tampered = parts.map((part, i) => (i === index ? bytes.toString('base64url') : part)).join('.');
      assert.throws(() => decrypt(SECRET, 'p', tampered), `part ${index}`);
    }
  });

  test('another purpose or another server secret cannot decrypt', () => {
    const sealed = encrypt(SECRET, 'totp-secret', 'value');
    assert.throws(() => decrypt(SECRET, 'something-else', sealed));
    assert.throws(() => decrypt(`${SECRET}x`, 'totp-secret', sealed));
  });

  test('safeEqual compares exactly, including length', () => {
    assert.equal(safeEqual('abc', 'abc'), true);
    assert.equal(safeEqual('abc', 'abd'), false);
    assert.equal(safeEqual('abc', 'abcd'), false);
    assert.equal(safeEqual('', ''), true);
    assert.equal(safeEqual('é', 'e'), false);
  });

  test('sha256, hmac and randomToken give the expected shapes', () => {
    assert.equal(sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(hmac('key', 'The quick brown fox jumps over the lazy dog'), Buffer.from('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8', 'hex').toString('base64url'));
    const token = randomToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(randomToken(), token);
  });
});
