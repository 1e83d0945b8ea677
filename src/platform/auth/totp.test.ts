import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { base32Decode, base32Encode, newTotpSecret, otpauthUri, timeStep, totpAt, verifyTotp } from './totp.ts';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
];

describe('totp', () => {
  test('the RFC 6238 seed encodes to the well-known base32 text', () => {
    assert.equal(RFC_SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  for (const [seconds, expected] of RFC_VECTORS) {
    test(`RFC 6238 SHA-1 vector at T=${seconds}`, () => {
      const step = timeStep(new Date(seconds * 1000));
      assert.equal(step, Math.floor(seconds / 30));
      assert.equal(totpAt(RFC_SECRET, step, 8), expected);
    });
  }

  test('six digits by default: the last six of the 8-digit value', () => {
    assert.equal(totpAt(RFC_SECRET, timeStep(new Date(59_000))), '287082');
    assert.equal(totpAt(RFC_SECRET, timeStep(new Date(1111111109_000))), '081804');
  });

  test('base32 round trips bytes of every length', () => {
    for (let length = 0; length <= 25; length += 1) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + 11) & 255));
      const text = base32Encode(bytes);
      assert.match(text, /^[A-Z2-7]*$/);
      assert.deepEqual(base32Decode(text), bytes, `length ${length}`);
    }
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.deepEqual(base32Decode('mzxw 6ytb oi======'), Buffer.from('foobar'), 'spaces, padding and lower case are tolerated');
    assert.throws(() => base32Decode('MZXW1'), /Not base32/);
  });

  test('new secrets are 20 random bytes in base32', () => {
    const a = newTotpSecret();
    const b = newTotpSecret();
    assert.equal(a.length, 32);
    assert.equal(base32Decode(a).length, 20);
    assert.notEqual(a, b);
  });

  describe('verifyTotp', () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const at = new Date('2026-03-01T12:00:10Z');
    const now = timeStep(at);

    test('accepts the current step and one either side, returning the step matched', () => {
      assert.equal(verifyTotp(secret, totpAt(secret, now), at, null), now);
      assert.equal(verifyTotp(secret, totpAt(secret, now - 1), at, null), now - 1);
      assert.equal(verifyTotp(secret, totpAt(secret, now + 1), at, null), now + 1);
    });

    test('refuses codes two steps away', () => {
      for (const step of [now - 2, now + 2]) {
        const code = totpAt(secret, step);
        // Guard against the (rare) chance that the far code equals a near one.
        const near = [now - 1, now, now + 1].map((s) => totpAt(secret, s));
        assert.ok(!near.includes(code));
        assert.equal(verifyTotp(secret, code, at, null), undefined);
      }
    });

    test('refuses a step at or before the last one used (replay)', () => {
      assert.equal(verifyTotp(secret, totpAt(secret, now), at, now), undefined);
      assert.equal(verifyTotp(secret, totpAt(secret, now - 1), at, now - 1), undefined);
      assert.equal(verifyTotp(secret, totpAt(secret, now - 1), at, now), undefined);
      assert.equal(verifyTotp(secret, totpAt(secret, now + 1), at, now), now + 1, 'a later step is still fine');
    });

    test('tolerates spaces but refuses anything that is not six digits', () => {
      const code = totpAt(secret, now);
      assert.equal(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, at, null), now);
      assert.equal(verifyTotp(secret, `${code.slice(0, 5)}x`, at, null), undefined);
      assert.equal(verifyTotp(secret, '', at, null), undefined);
      assert.equal(verifyTotp(secret, code.slice(0, 5), at, null), undefined);
      assert.equal(verifyTotp(secret, `${code}0`, at, null), undefined);
      assert.equal(verifyTotp(secret, 'abcdef', at, null), undefined);
    });

    test('a code from another secret is refused', () => {
      const other = 'KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF';
      const code = totpAt(other, now);
      // Fixed secrets and time, so this is deterministic: the codes do not collide.
      assert.ok(![now - 1, now, now + 1].some((s) => totpAt(secret, s) === code));
      assert.equal(verifyTotp(secret, code, at, null), undefined);
    });
  });

  test('otpauthUri names issuer, account and the parameters apps need', () => {
    const raw = otpauthUri('ABCDEFGH', 'sam@example.org', 'Throughgate');
    assert.ok(raw.startsWith('otpauth://totp/Throughgate%3Asam%40example.org?'), raw);
    const uri = new URL(raw);
    assert.equal(uri.searchParams.get('secret'), 'ABCDEFGH');
    assert.equal(uri.searchParams.get('issuer'), 'Throughgate');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
  });
});
