/**
 * The one place that says who may do what. Services ask `can(role, action)`;
 * routes never decide on their own. The table is tested row by row in
 * permissions.test.ts, so a change here is a visible change there.
 */
export const ROLES = [
  'system_admin',
  'organisation_admin',
  'manager',
  'practitioner',
  'mentor_coordinator',
  'volunteer_mentor',
  'peer_advisor',
  'commissioner',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  system_admin: 'System administrator',
  organisation_admin: 'Organisation administrator',
  manager: 'Team manager',
  practitioner: 'Practitioner',
  mentor_coordinator: 'Mentor coordinator',
  volunteer_mentor: 'Volunteer mentor',
  peer_advisor: 'Peer advisor',
  commissioner: 'Commissioner',
};

export const ACTIONS = [
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
] as const;
export type Action = (typeof ACTIONS)[number];

const GRANTS: Record<Role, readonly Action[]> = {
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

/** Roles whose accounts must use two-factor authentication before they can do anything. */
const SECOND_FACTOR_REQUIRED: ReadonlySet<Role> = new Set(['system_admin', 'organisation_admin', 'manager']);

/** Roles an API token may act as: never an administrator, so a leaked token cannot manage accounts. */
export const API_TOKEN_ROLES = ['manager', 'practitioner', 'commissioner'] as const satisfies readonly Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, action: Action): boolean {
  return GRANTS[role].includes(action);
}

export function requiresSecondFactor(role: Role): boolean {
  return SECOND_FACTOR_REQUIRED.has(role);
}

/** Roles an administrator with this role may give to others: never more than they hold. */
export function assignableRoles(role: Role): Role[] {
  if (role === 'system_admin') return [...ROLES];
  if (role === 'organisation_admin') return ROLES.filter((r) => r !== 'system_admin');
  return [];
}
