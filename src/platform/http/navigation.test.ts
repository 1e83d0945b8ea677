import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal } from './context.ts';
import { navigationFor } from './navigation.ts';

const manager = { role: 'manager' } as Principal;
const activeOn = (url: string) => navigationFor(manager, url).filter((item) => item.active).map((item) => item.text);

test('exactly one item is active: the most specific match', () => {
  assert.deepEqual(activeOn('/caseload/team?worker=none'), ['Team caseload']);
  assert.deepEqual(activeOn('/caseload'), ['Caseload']);
  assert.deepEqual(activeOn('/people/0190/edit'), ['People']);
  assert.deepEqual(activeOn('/'), ['Home']);
  assert.deepEqual(activeOn('/no-such-page'), []);
});

test('items show only to roles that may use them', () => {
  const practitioner = navigationFor({ role: 'practitioner' } as Principal, '/').map((item) => item.text);
  assert.ok(practitioner.includes('Caseload'));
  assert.ok(!practitioner.includes('Team caseload'));
  assert.ok(!practitioner.includes('Users'));
});
