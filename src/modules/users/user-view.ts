/**
 * How a user looks to pages and the API (never the password hash or the
 * two-factor secret), the list filters, and which actions a principal may
 * offer on a user. Rules that change data live in service.ts.
 */
import { assignableRoles, can, isRole, ROLE_LABELS, ROLES } from '../../platform/auth/permissions.ts';
import type { Principal } from '../../platform/http/context.ts';
import { isUuid } from '../../platform/http/forms.ts';
import type * as queries from './queries.ts';

export const PRACTITIONER_KINDS = ['employment_specialist', 'caseworker'] as const;
export type PractitionerKind = (typeof PRACTITIONER_KINDS)[number];
export const PRACTITIONER_KIND_LABELS: Record<PractitionerKind, string> = {
  employment_specialist: 'Employment specialist',
  caseworker: 'Caseworker',
};

export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = queries.UserStatus;
export const STATUS_LABELS: Record<UserStatus, string> = { invited: 'Invited', active: 'Active', deactivated: 'Deactivated' };

export type UserFilters = queries.UserListFilters;

/** A user as pages and the API show them: never the password hash or two-factor secret. */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: string;
  roleLabel: string;
  practitionerKind: string | null;
  practitionerKindLabel: string | null;
  teamId: string | null;
  teamName: string | null;
  status: UserStatus;
  statusLabel: string;
  twoFactorEnabled: boolean;
  /** Set only while the account is locked after failed sign-ins. */
  lockedUntil: Date | null;
  failedSignIns: number;
  lastSignInAt: Date | null;
  createdAt: Date;
  version: number;
}

export function isPractitionerKind(value: unknown): value is PractitionerKind {
  return typeof value === 'string' && (PRACTITIONER_KINDS as readonly string[]).includes(value);
}

export function toView(row: queries.UserRow): UserView {
  const locked = row.locked_until !== null && row.locked_until > new Date();
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    roleLabel: isRole(row.role) ? ROLE_LABELS[row.role] : row.role,
    practitionerKind: row.practitioner_kind,
    practitionerKindLabel: isPractitionerKind(row.practitioner_kind) ? PRACTITIONER_KIND_LABELS[row.practitioner_kind] : null,
    teamId: row.team_id,
    teamName: row.team_name,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    twoFactorEnabled: row.totp_enabled_at !== null,
    lockedUntil: locked ? row.locked_until : null,
    failedSignIns: row.failed_sign_ins,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
    version: row.version,
  };
}

/** Reads list filters from a query string, dropping anything that is not a real choice. */
export function normaliseFilters(raw: Record<string, unknown>): UserFilters {
  const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
  const team = text('team');
  const status = text('status');
  return {
    search: text('search').slice(0, 100),
    role: isRole(text('role')) ? text('role') : '',
    team: team === 'none' || isUuid(team) ? team : '',
    status: (USER_STATUSES as readonly string[]).includes(status) ? (status as UserStatus) : '',
  };
}

/** Every role, for filtering the list. */
export const ROLE_CHOICES = ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role] }));

/** What a page may offer this principal for this user; the service checks again when the action is taken. */
export function permittedActions(principal: Principal, user?: UserView) {
  const manage = can(principal.role, 'users:manage');
  const manageable = manage && user !== undefined && isRole(user.role) && assignableRoles(principal.role).includes(user.role);
  return {
    invite: manage,
    edit: manageable,
    deactivate: manageable && user?.id !== principal.userId && user?.status !== 'deactivated',
    reactivate: manageable && user?.status === 'deactivated',
    resend: manageable && user?.status === 'invited',
    unlock: manageable && (user?.lockedUntil !== null || (user?.failedSignIns ?? 0) > 0),
  };
}
