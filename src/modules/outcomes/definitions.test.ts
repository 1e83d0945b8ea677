import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DEFINITIONS } from './service.ts';

test('every definition shown on the report appears word for word in docs/metrics.md', async () => {
  const doc = (await readFile(new URL('../../../docs/metrics.md', import.meta.url), 'utf8')).replace(/\s+/g, ' ').replace(/’/g, "'");
  // Apostrophes may be typographic on the page and plain in the markdown: the words must match.
  const plain = (text: string) => text.replace(/’/g, "'");
  // Every definition the page shows: the figures', and those of costs and targets.
  const entries = Object.entries(DEFINITIONS);
  assert.ok(entries.length > 0);
  for (const [key, definition] of entries) {
    assert.ok(definition.title.trim().length > 0, `${key} has a title`);
    assert.ok(doc.includes(plain(definition.text)), `docs/metrics.md should contain the definition of "${key}": ${definition.text}`);
  }
});
