import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldWithNul } from './text-input.ts';

describe('fieldWithNul', () => {
  test('finds a NUL character in a field, a repeated field, a nested object or a key', () => {
    assert.equal(fieldWithNul({ name: 'a\u0000b' }), 'name');
    assert.equal(fieldWithNul({ name: ['ok', 'b\u0000'] }), 'name/1');
    assert.equal(fieldWithNul({ person: { givenName: '\u0000' } }), 'person/givenName');
    assert.equal(fieldWithNul({ 'odd\u0000key': 'x' }), 'odd\u0000key');
    assert.equal(fieldWithNul('\u0000'), 'body');
  });

  test('passes everything else, including other control characters and unusual text', () => {
    assert.equal(fieldWithNul({ name: 'Zoë\u202E😀\r\n\t', n: 1, b: true, none: null, list: ['x'] }), null);
    assert.equal(fieldWithNul(undefined), null);
    assert.equal(fieldWithNul(Buffer.from([0, 1, 2])), null);
  });
});
