import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTIONS, API_TOKEN_ROLES, assignableRoles, can, isRole, requiresSecondFactor, ROLES, type Role } from './permissions.ts';

/**
 * The rule written out by hand. A change to the grants in permissions.ts must
 * be made here too, so it is seen in review. Do not derive this from the code.
 */
const EXPECTED: Record<Role, string[]> = {
  system_admin: [
    'users:view',
    'users:manage',
    'teams:view',
    'audit:view',
    'outbox:view',
    'organisations:manage',
    'commissions:manage',
  ],
  organisation_admin: [
    'users:view',
    'users:manage',
    'teams:view',
    'teams:manage',
    'audit:view',
    'api-tokens:manage',
    'outbox:view',
    'reference-data:manage',
    'settings:manage',
  ],
  manager: [
    'users:view',
    'teams:view',
    'teams:manage',
    'reports:view-aggregate',
    'people:view',
    'people:edit',
    'people:view-restricted',
    'people:merge',
    'referrals:decide',
    'caseload:view-team',
    'episodes:allocate',
    'imports:run',
    'costs:manage',
    'fidelity:manage',
    'people:erase',
    'people:subject-access',
  ],
  practitioner: ['teams:view', 'reports:view-aggregate', 'people:view', 'people:edit', 'referrals:decide'],
  mentor_coordinator: ['teams:view', 'mentees:view'],
  volunteer_mentor: ['mentees:view'],
  peer_advisor: ['intake:create'],
  commissioner: ['reports:view-aggregate', 'targets:manage'],
};

const EXPECTED_ROLES = [
  'system_admin',
  'organisation_admin',
  'manager',
  'practitioner',
  'mentor_coordinator',
  'volunteer_mentor',
  'peer_advisor',
  'commissioner',
];

const EXPECTED_ACTIONS = [
  'users:view',
  'users:manage',
  'teams:view',
  'teams:manage',
  'audit:view',
  'api-tokens:manage',
  'outbox:view',
  'organisations:manage',
  'commissions:manage',
  'reports:view-aggregate',
  'people:view',
  'people:edit',
  'people:view-restricted',
  'intake:create',
  'mentees:view',
  'people:merge',
  'referrals:decide',
  'caseload:view-team',
  'episodes:allocate',
  'imports:run',
  'reference-data:manage',
  'settings:manage',
  'costs:manage',
  'fidelity:manage',
  'targets:manage',
  'people:erase',
  'people:subject-access',
];

/** Lower number is more senior; a role may only hand out roles at or below its own rank. */
const RANK: Record<Role, number> = {
  system_admin: 0,
  organisation_admin: 1,
  manager: 2,
  practitioner: 3,
  mentor_coordinator: 3,
  volunteer_mentor: 4,
  peer_advisor: 4,
  commissioner: 4,
};

describe('permissions', () => {
  test('the roles and actions are exactly the ones this table describes', () => {
    assert.deepEqual([...ROLES].sort(), [...EXPECTED_ROLES].sort());
    assert.deepEqual([...ACTIONS].sort(), [...EXPECTED_ACTIONS].sort());
    for (const actions of Object.values(EXPECTED)) {
      for (const action of actions) assert.ok(EXPECTED_ACTIONS.includes(action), `${action} is a known action`);
    }
  });

  for (const role of EXPECTED_ROLES as Role[]) {
    test(`${role} has exactly its listed actions`, () => {
      const granted = ACTIONS.filter((action) => can(role, action));
      assert.deepEqual([...granted].sort(), [...EXPECTED[role]].sort());
      for (const action of EXPECTED_ACTIONS) {
        assert.equal(can(role, action as (typeof ACTIONS)[number]), EXPECTED[role].includes(action), `${role} × ${action}`);
      }
    });
  }

  test('commissioners see aggregates only: no person-level or restricted action', () => {
    for (const action of ['people:view', 'people:edit', 'people:view-restricted', 'mentees:view', 'intake:create'] as const) {
      assert.equal(can('commissioner', action), false, action);
    }
  });

  test('requiresSecondFactor: administrators and managers only', () => {
    const expected: Record<Role, boolean> = {
      system_admin: true,
      organisation_admin: true,
      manager: true,
      practitioner: false,
      mentor_coordinator: false,
      volunteer_mentor: false,
      peer_advisor: false,
      commissioner: false,
    };
    for (const role of EXPECTED_ROLES as Role[]) {
      assert.equal(requiresSecondFactor(role), expected[role], role);
    }
  });

  test('assignableRoles never includes a role above the assigner', () => {
    assert.deepEqual([...assignableRoles('system_admin')].sort(), [...EXPECTED_ROLES].sort());
    assert.deepEqual(
      [...assignableRoles('organisation_admin')].sort(),
      EXPECTED_ROLES.filter((r) => r !== 'system_admin').sort(),
    );
    for (const role of EXPECTED_ROLES as Role[]) {
      for (const given of assignableRoles(role)) {
        assert.ok(RANK[given] >= RANK[role], `${role} may not assign ${given}`);
      }
    }
    for (const role of ['manager', 'practitioner', 'mentor_coordinator', 'volunteer_mentor', 'peer_advisor', 'commissioner'] as Role[]) {
      assert.deepEqual(assignableRoles(role), [], `${role} assigns nothing`);
    }
  });

  test('assignableRoles returns a copy that cannot change the role list', () => {
    const roles = assignableRoles('system_admin');
    roles.pop();
    assert.equal(assignableRoles('system_admin').length, EXPECTED_ROLES.length);
  });

  test('API tokens can never act as an administrator', () => {
    assert.deepEqual([...API_TOKEN_ROLES].sort(), ['commissioner', 'manager', 'practitioner']);
    for (const role of API_TOKEN_ROLES) {
      assert.equal(can(role, 'users:manage'), false, role);
      assert.equal(can(role, 'api-tokens:manage'), false, role);
      assert.notEqual(role as string, 'system_admin');
      assert.notEqual(role as string, 'organisation_admin');
    }
  });

  test('isRole accepts only known role names', () => {
    assert.equal(isRole('manager'), true);
    assert.equal(isRole('Manager'), false);
    assert.equal(isRole('superuser'), false);
    assert.equal(isRole(undefined), false);
    assert.equal(isRole(3), false);
  });
});
