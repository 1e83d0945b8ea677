import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ChainedFields, canonicalJson, GENESIS_HASH, hashEvent } from './chain.ts';

const BASE: ChainedFields = {
  organisationId: '0190f0c1-0000-7000-8000-000000000001',
  occurredAt: new Date('2026-01-02T03:04:05.678Z'),
  actorUserId: '0190f0c1-0000-7000-8000-000000000002',
  actorLabel: 'Sam Worker',
  action: 'person.viewed',
  subjectType: 'person',
  subjectId: '0190f0c1-0000-7000-8000-000000000003',
  reason: 'weekly review',
  detail: { fields: ['name', 'dob'], nested: { b: 2, a: 1 } },
};

describe('audit chain', () => {
  test('canonicalJson sorts keys at every depth', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
    assert.equal(canonicalJson({ a: 1, skip: undefined }), '{"a":1}');
    assert.equal(canonicalJson('x'), '"x"');
    assert.equal(canonicalJson(null), 'null');
    assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]), 'array order matters');
  });

  test('the hash does not depend on the order of keys in detail', () => {
    const reordered = { ...BASE, detail: { nested: { a: 1, b: 2 }, fields: ['name', 'dob'] } };
    assert.equal(hashEvent(GENESIS_HASH, BASE), hashEvent(GENESIS_HASH, reordered));
  });

  test('the hash is a sha256 hex digest and is stable', () => {
    const hash = hashEvent(GENESIS_HASH, BASE);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hashEvent(GENESIS_HASH, { ...BASE }), hash);
    assert.equal(GENESIS_HASH, '0'.repeat(64));
  });

  test('changing any field, or the previous hash, changes the hash', () => {
    const original = hashEvent(GENESIS_HASH, BASE);
    const changes: Array<[string, Partial<ChainedFields>]> = [
      ['organisationId', { organisationId: '0190f0c1-0000-7000-8000-000000000009' }],
      ['organisationId null', { organisationId: null }],
      ['occurredAt', { occurredAt: new Date('2026-01-02T03:04:05.679Z') }],
      ['actorUserId', { actorUserId: null }],
      ['actorLabel', { actorLabel: 'Sam Worker ' }],
      ['action', { action: 'person.edited' }],
      ['subjectType', { subjectType: 'user' }],
      ['subjectId', { subjectId: '0190f0c1-0000-7000-8000-000000000004' }],
      ['reason', { reason: null }],
      ['detail value', { detail: { fields: ['name', 'dob'], nested: { b: 2, a: 2 } } }],
      ['detail extra key', { detail: { ...BASE.detail, extra: true } }],
    ];
    const seen = new Set([original]);
    for (const [label, change] of changes) {
      const hash = hashEvent(GENESIS_HASH, { ...BASE, ...change });
      assert.notEqual(hash, original, label);
      seen.add(hash);
    }
    assert.equal(seen.size, changes.length + 1, 'every change gives a distinct hash');
    assert.notEqual(hashEvent('f'.repeat(64), BASE), original, 'previous hash');
  });
});
