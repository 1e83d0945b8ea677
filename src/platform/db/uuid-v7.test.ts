import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uuidV7 } from './uuid-v7.ts';

test('uuidV7 gives distinct version-7 ids that start with the time, so later ids sort after earlier ones', () => {
  const ids = Array.from({ length: 5000 }, () => uuidV7(1_700_000_000_000));
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids.slice(0, 50)) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(id.replace(/-/g, '').slice(0, 12), (1_700_000_000_000).toString(16).padStart(12, '0'));
  }
  assert.ok(uuidV7(1_700_000_000_001) > ids[0]);
});
