import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { METRIC_DEFINITIONS } from './definitions.ts';

test('every definition shown on the report appears word for word in docs/metrics.md', async () => {
  const doc = (await readFile(new URL('../../../docs/metrics.md', import.meta.url), 'utf8')).replace(/\s+/g, ' ');
  const entries = Object.entries(METRIC_DEFINITIONS);
  assert.ok(entries.length > 0);
  for (const [key, definition] of entries) {
    assert.ok(definition.title.trim().length > 0, `${key} has a title`);
    assert.ok(doc.includes(definition.text), `docs/metrics.md should contain the definition of "${key}": ${definition.text}`);
  }
});
