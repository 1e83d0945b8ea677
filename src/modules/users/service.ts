import * as audit from '../../platform/audit/service.ts';
import type { Actor } from '../../platform/audit/service.ts';
import { hashPassword, passwordProblem } from '../../platform/auth/passwords.ts';
import { assignableRoles, isRole, ROLE_LABELS, type Role } from '../../platform/auth/permissions.ts';
import { endAllSessions } from '../../platform/auth/sessions.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { type FieldError, Forbidden, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isEmail, isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { issueOneTimeLink } from '../accounts/service.ts';
import * as organisations from '../organisations/service.ts';
import * as queries from './queries.ts';
import {
  isPractitionerKind,
  PRACTITIONER_KIND_LABELS,
  PRACTITIONER_KINDS,
  toView,
  type UserFilters,
  type UserView,
} from './user-view.ts';

/** Labels, filters and the user view model live in user-view.ts; callers reach them through this service. */
export * from './user-view.ts';

export const teamOfUser = queries.teamOfUser;

export interface NewUser {
  organisationId: string;
  teamId?: string | null;
  email: string;
  displayName: string;
  role: string;
  practitionerKind?: 'employment_specialist' | 'caseworker' | null;
}

export async function validateNewUser(db: Db, input: NewUser): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const email = input.email.trim();
  if (!email) errors.push({ field: 'email', text: 'Enter an email address' });
  else if (!isEmail(email)) errors.push({ field: 'email', text: 'Enter an email address in the correct format, like name@example.org' });
  else if (await queries.emailTaken(db, email)) errors.push({ field: 'email', text: 'A user with this email address already exists' });
  if (!input.displayName.trim()) errors.push({ field: 'displayName', text: 'Enter the person’s name' });
  else if (input.displayName.trim().length > 100) errors.push({ field: 'displayName', text: 'Name must be 100 characters or fewer' });
  if (!isRole(input.role)) errors.push({ field: 'role', text: 'Select a role' });
  return errors;
}

/**
 * Creates an active user with a password, for the CLI and demo data. People
 * joining through the app are invited instead, and choose their own password.
 */
export async function createUserWithPassword(db: Db, actor: Actor, input: NewUser & { password: string }) {
  const errors = await validateNewUser(db, input);
  const problem = passwordProblem(input.password, input.email);
  if (problem) errors.push({ field: 'password', text: problem });
  if (errors.length > 0) throw new ValidationFailed(errors);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const user = await queries.insertUser(trx, {
      organisation_id: input.organisationId,
      team_id: input.teamId ?? null,
      email: input.email.trim(),
      display_name: input.displayName.trim(),
      role: input.role as Role,
      practitioner_kind: input.practitionerKind ?? null,
      status: 'active',
      password_hash: passwordHash,
    });
    await audit.record(trx, {
      organisationId: input.organisationId,
      actor,
      action: 'user.created',
      subjectType: 'user',
      subjectId: user.id,
      detail: { role: input.role },
    });
    return user;
  });
}

export async function listUsers(db: Db, principal: Principal, filters: UserFilters, page: { limit: number; offset: number }) {
  assertCan(principal, 'users:view');
  const { rows, total } = await queries.listUsers(db, principal.organisationId, filters, page.limit, page.offset);
  return { users: rows.map(toView), total };
}

async function findRow(db: Db, principal: Principal, id: string, options: { forUpdate?: boolean } = {}) {
  // Another organisation's user, a deleted one and a malformed id all look the same from outside.
  const row = isUuid(id) ? await queries.findUser(db, principal.organisationId, id, options) : undefined;
  if (!row) throw new NotFound();
  return row;
}

export async function getUser(db: Db, principal: Principal, id: string): Promise<UserView> {
  assertCan(principal, 'users:view');
  return toView(await findRow(db, principal, id));
}

/** The choices an administrator has when inviting or editing: roles they may give, and the organisation's teams. */
export async function assignmentChoices(db: Db, principal: Principal) {
  assertCan(principal, 'users:manage');
  return {
    roles: assignableRoles(principal.role).map((role) => ({ value: role, text: ROLE_LABELS[role] })),
    practitionerKinds: PRACTITIONER_KINDS.map((kind) => ({ value: kind, text: PRACTITIONER_KIND_LABELS[kind] })),
    teams: await teamChoices(db, principal),
  };
}

/** The organisation's teams, for filters and forms. */
export async function teamChoices(db: Db, principal: Principal) {
  assertCan(principal, 'users:view');
  const teams = await organisations.listTeams(db, principal.organisationId);
  return teams.map((team) => ({ value: team.id, text: team.name }));
}

export interface Assignment {
  role: string;
  teamId: string;
  practitionerKind: string;
}

async function assignmentErrors(db: Db, principal: Principal, input: Assignment): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (!input.role) errors.push({ field: 'role', text: 'Select a role' });
  else if (!isRole(input.role) || !assignableRoles(principal.role).includes(input.role)) {
    errors.push({ field: 'role', text: 'Select a role you are allowed to give' });
  } else if (input.role === 'practitioner' && !isPractitionerKind(input.practitionerKind)) {
    errors.push({ field: 'practitionerKind', text: 'Select what kind of practitioner they are' });
  }
  if (input.teamId && !(isUuid(input.teamId) && (await organisations.findTeam(db, principal.organisationId, input.teamId)))) {
    errors.push({ field: 'team', text: 'Select a team from the list' });
  }
  return errors;
}

function assignmentValues(input: Assignment) {
  return {
    role: input.role as Role,
    practitioner_kind: input.role === 'practitioner' ? input.practitionerKind : null,
    team_id: input.teamId || null,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

function invitationEmail(
  invitedBy: { displayName: string; organisationName: string },
  user: { email: string; displayName: string; role: string },
  link: string,
) {
  const role = isRole(user.role) ? ROLE_LABELS[user.role] : user.role;
  return {
    to: user.email,
    subject: `You are invited to join ${invitedBy.organisationName} on Throughgate`,
    text: [
      `Hello ${user.displayName},`,
      '',
      `${invitedBy.displayName} has invited you to use Throughgate at ${invitedBy.organisationName}, as ${role.toLowerCase()}.`,
      '',
      'Set up your account with this link within the next 7 days:',
      '',
      link,
      '',
      'The link works once. If you were not expecting this, you can ignore this email.',
    ].join('\n'),
  };
}

/**
 * Invites the first administrator of an organisation the system administrator
 * is creating. Runs inside the caller's transaction (the organisation and its
 * administrator commit together) and returns the email to send after commit.
 */
export async function inviteAdministratorInto(
  trx: Db,
  baseUrl: string,
  principal: Principal,
  organisation: { id: string; name: string },
  input: { email: string; displayName: string },
) {
  assertCan(principal, 'organisations:manage');
  const user = await queries.insertUser(trx, {
    organisation_id: organisation.id,
    team_id: null,
    email: input.email.trim(),
    display_name: input.displayName.trim(),
    role: 'organisation_admin',
    practitioner_kind: null,
    status: 'invited',
    password_hash: null,
  });
  const link = await issueOneTimeLink(trx, baseUrl, { id: user.id, organisationId: organisation.id }, 'invitation');
  await audit.record(trx, {
    organisationId: organisation.id,
    actor: actorOf(principal),
    action: 'user.invited',
    subjectType: 'user',
    subjectId: user.id,
    detail: { role: 'organisation_admin' },
  });
  return invitationEmail(
    { displayName: principal.displayName, organisationName: organisation.name },
    { email: user.email, displayName: user.display_name, role: 'organisation_admin' },
    link,
  );
}

export interface Invitation extends Assignment {
  email: string;
  displayName: string;
}

/**
 * Creates an invited user (no password) and emails them a one-time link to
 * set one. The user, the link and the audit row commit together; the email
 * goes after, through the outbox.
 */
export async function inviteUser(deps: Deps, principal: Principal, input: Invitation): Promise<{ id: string; email: string }> {
  assertCan(principal, 'users:manage');
  const { db, config } = deps;
  const organisationId = principal.organisationId;
  const email = input.email.trim();
  const displayName = input.displayName.trim();
  const errors = (await validateNewUser(db, { organisationId, email, displayName, role: input.role })).filter(
    (error) => error.field !== 'role',
  );
  errors.push(...(await assignmentErrors(db, principal, input)));
  if (errors.length > 0) throw new ValidationFailed(errors);

  let created: { id: string; email: string; link: string };
  try {
    created = await db.transaction().execute(async (trx) => {
      const values = assignmentValues(input);
      const user = await queries.insertUser(trx, {
        organisation_id: organisationId,
        email,
        display_name: displayName,
        ...values,
        status: 'invited',
        password_hash: null,
      });
      const link = await issueOneTimeLink(trx, config.baseUrl, { id: user.id, organisationId }, 'invitation');
      await audit.record(trx, {
        organisationId,
        actor: actorOf(principal),
        action: 'user.invited',
        subjectType: 'user',
        subjectId: user.id,
        detail: { role: values.role, practitionerKind: values.practitioner_kind, teamId: values.team_id },
      });
      return { id: user.id, email: user.email, link };
    });
  } catch (error) {
    // Two invitations for one address at once: the unique index lets one through.
    if (isUniqueViolation(error)) throw new ValidationFailed([{ field: 'email', text: 'A user with this email address already exists' }]);
    throw error;
  }
  await deps.email.send(organisationId, invitationEmail(principal, { email, displayName, role: input.role }, created.link));
  return { id: created.id, email: created.email };
}

/** Loads a user the principal may change: one in their organisation whose role they could give themselves. */
async function manageableRow(db: Db, principal: Principal, id: string, options: { forUpdate?: boolean } = {}) {
  assertCan(principal, 'users:manage');
  const row = await findRow(db, principal, id, options);
  if (!isRole(row.role) || !assignableRoles(principal.role).includes(row.role)) {
    throw new Forbidden('You cannot change a user with this role.');
  }
  return row;
}

export async function getManageableUser(db: Db, principal: Principal, id: string): Promise<UserView> {
  return toView(await manageableRow(db, principal, id));
}

export type UpdateOutcome = { outcome: 'saved' } | { outcome: 'conflict'; current: UserView };

/**
 * Changes role and team, only if the user is still at the version the form
 * was loaded from. A stale version overwrites nothing and returns what is
 * there now, so the page can show it.
 */
export async function updateUser(
  db: Db,
  principal: Principal,
  id: string,
  input: Assignment & { version: string },
): Promise<UpdateOutcome> {
  const target = await manageableRow(db, principal, id);
  const errors = await assignmentErrors(db, principal, input);
  if (principal.userId === id && input.role !== target.role) {
    errors.push({ field: 'role', text: 'You cannot change your own role' });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  const version = /^\d{1,9}$/.test(input.version) ? Number(input.version) : -1;
  const next = assignmentValues(input);

  return db.transaction().execute(async (trx): Promise<UpdateOutcome> => {
    const current = await findRow(trx, principal, id, { forUpdate: true });
    if (current.version !== version) return { outcome: 'conflict', current: toView(current) };
    const roleChanged = current.role !== next.role || current.practitioner_kind !== next.practitioner_kind;
    const teamChanged = current.team_id !== next.team_id;
    if (!roleChanged && !teamChanged) return { outcome: 'saved' };
    if (!(await queries.updateRoleAndTeam(trx, principal.organisationId, id, version, next))) {
      return { outcome: 'conflict', current: toView(current) };
    }
    const entry = { organisationId: principal.organisationId, actor: actorOf(principal), subjectType: 'user', subjectId: id };
    if (roleChanged) {
      await audit.record(trx, {
        ...entry,
        action: 'user.role-changed',
        detail: {
          before: { role: current.role, practitionerKind: current.practitioner_kind },
          after: { role: next.role, practitionerKind: next.practitioner_kind },
        },
      });
    }
    if (teamChanged) {
      await audit.record(trx, {
        ...entry,
        action: 'user.team-changed',
        detail: { before: { teamId: current.team_id }, after: { teamId: next.team_id } },
      });
    }
    return { outcome: 'saved' };
  });
}

/** Stops a user signing in: ends their sessions and any unused emailed links. */
export async function deactivateUser(db: Db, principal: Principal, id: string): Promise<void> {
  await manageableRow(db, principal, id);
  if (principal.userId === id) {
    throw new ValidationFailed([{ field: 'status', text: 'You cannot deactivate your own account. Ask another administrator.' }]);
  }
  await db.transaction().execute(async (trx) => {
    const row = await findRow(trx, principal, id, { forUpdate: true });
    if (row.status === 'deactivated') return;
    await queries.setStatus(trx, principal.organisationId, id, 'deactivated');
    const sessionsEnded = await endAllSessions(trx, principal.organisationId, id);
    const linksExpired = await queries.expireOneTimeTokens(trx, principal.organisationId, id);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'user.deactivated',
      subjectType: 'user',
      subjectId: id,
      detail: { previousStatus: row.status, sessionsEnded, linksExpired },
    });
  });
}

/** Lets a deactivated user back in: active if they had set a password, otherwise invited again. */
export async function reactivateUser(db: Db, principal: Principal, id: string): Promise<void> {
  await manageableRow(db, principal, id);
  await db.transaction().execute(async (trx) => {
    const row = await findRow(trx, principal, id, { forUpdate: true });
    if (row.status !== 'deactivated') return;
    const status = row.password_hash ? 'active' : 'invited';
    await queries.setStatus(trx, principal.organisationId, id, status);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'user.reactivated',
      subjectType: 'user',
      subjectId: id,
      detail: { status },
    });
  });
}

/** A fresh invitation link for someone who has not yet accepted; earlier links stop working. */
export async function resendInvitation(deps: Deps, principal: Principal, id: string): Promise<UserView> {
  const { db, config } = deps;
  const target = await manageableRow(db, principal, id);
  if (target.status !== 'invited') {
    throw new ValidationFailed([{ field: 'status', text: 'Only a user who has not yet accepted their invitation can be sent another' }]);
  }
  const link = await db.transaction().execute(async (trx) => {
    const url = await issueOneTimeLink(trx, config.baseUrl, { id, organisationId: principal.organisationId }, 'invitation');
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'user.invitation-resent',
      subjectType: 'user',
      subjectId: id,
    });
    return url;
  });
  const view = toView(target);
  await deps.email.send(principal.organisationId, invitationEmail(principal, view, link));
  return view;
}

/** Clears a lock-out after failed sign-ins, so the user can try again now. */
export async function unlockUser(db: Db, principal: Principal, id: string): Promise<void> {
  await manageableRow(db, principal, id);
  await db.transaction().execute(async (trx) => {
    const row = await findRow(trx, principal, id, { forUpdate: true });
    await queries.clearLock(trx, principal.organisationId, id);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'user.unlocked',
      subjectType: 'user',
      subjectId: id,
      detail: { failedSignIns: row.failed_sign_ins, lockedUntil: row.locked_until?.toISOString() ?? null },
    });
  });
}
