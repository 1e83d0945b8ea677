import * as audit from '../../platform/audit/service.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../platform/auth/passwords.ts';
import { isRole, requiresSecondFactor } from '../../platform/auth/permissions.ts';
import { decrypt, encrypt, randomToken, sha256 } from '../../platform/auth/secrets.ts';
import * as sessions from '../../platform/auth/sessions.ts';
import { newTotpSecret, otpauthUri, verifyTotp } from '../../platform/auth/totp.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { Conflict, type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import * as queries from './queries.ts';

const TOTP_PURPOSE = 'totp-secret';
const RESET_LINK_HOURS = 1;
const INVITATION_DAYS = 7;

export type SignInResult =
  | { outcome: 'signed-in'; sessionToken: string; needs: 'nothing' | 'second-factor' | 'second-factor-setup' }
  | { outcome: 'rejected'; locked: boolean };

/**
 * Checks email and password. Wrong details, unknown emails and locked
 * accounts all take the same time and give the same words to the user; only
 * the audit trail says which it was.
 */
export async function signIn(deps: Deps, email: string, password: string, ip: string): Promise<SignInResult> {
  const { db, config } = deps;
  const user = await queries.findUserForSignIn(db, email.trim());
  const passwordOk = await verifyPassword(user?.password_hash ?? null, password);

  if (!user || user.status !== 'active' || !isRole(user.role)) {
    await audit.record(db, {
      organisationId: user?.organisation_id ?? null,
      actor: { userId: user?.id ?? null, label: 'anonymous' },
      action: 'auth.sign-in-failed',
      subjectType: user ? 'user' : undefined,
      subjectId: user?.id,
      detail: { reason: user ? `account ${user.status}` : 'unknown account', ip },
    });
    return { outcome: 'rejected', locked: false };
  }

  const locked = user.locked_until !== null && user.locked_until > new Date();
  if (locked || !passwordOk) {
    const failures = user.failed_sign_ins + 1;
    const lockNow = !locked && failures >= config.signInMaxFailures;
    await db.transaction().execute(async (trx) => {
      if (!locked) {
        await queries.recordFailedSignIn(
          trx,
          user.id,
          lockNow ? new Date(Date.now() + config.signInLockMinutes * 60_000) : null,
        );
      }
      await audit.record(trx, {
        organisationId: user.organisation_id,
        actor: { userId: null, label: 'anonymous' },
        action: lockNow ? 'auth.account-locked' : 'auth.sign-in-failed',
        subjectType: 'user',
        subjectId: user.id,
        detail: { reason: locked ? 'account locked' : 'wrong password', failures, ip },
      });
    });
    return { outcome: 'rejected', locked: locked || lockNow };
  }

  const needs = user.totp_enabled_at
    ? 'second-factor'
    : requiresSecondFactor(user.role)
      ? 'second-factor-setup'
      : 'nothing';
  const sessionToken = await db.transaction().execute(async (trx) => {
    // Failures are forgiven only once sign-in is complete; otherwise a password alone could reset the count of wrong codes.
    if (needs === 'nothing') await queries.recordSuccessfulSignIn(trx, user.id);
    const token = await sessions.startSession(
      trx,
      config,
      { id: user.id, organisationId: user.organisation_id },
      needs === 'nothing',
    );
    await audit.record(trx, {
      organisationId: user.organisation_id,
      actor: { userId: user.id, label: user.display_name },
      action: needs === 'nothing' ? 'auth.sign-in' : 'auth.password-accepted',
      subjectType: 'user',
      subjectId: user.id,
      detail: { ip, secondFactor: needs },
    });
    return token;
  });
  return { outcome: 'signed-in', sessionToken, needs };
}

export async function signOut(deps: Deps, principal: Principal): Promise<void> {
  if (!principal.sessionId) return;
  await deps.db.transaction().execute(async (trx) => {
    await sessions.endSession(trx, principal.sessionId!);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'auth.sign-out',
      subjectType: 'user',
      subjectId: principal.userId ?? undefined,
    });
  });
}

export async function signOutEverywhere(deps: Deps, principal: Principal): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const ended = await sessions.endAllSessions(trx, principal.organisationId, principal.userId!);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'auth.sign-out-everywhere',
      subjectType: 'user',
      subjectId: principal.userId ?? undefined,
      detail: { sessionsEnded: ended },
    });
    return ended;
  });
}

function codeError(): ValidationFailed {
  return new ValidationFailed([{ field: 'code', text: 'Enter the 6-digit code shown in your authenticator app' }]);
}

/**
 * Second step of sign-in: a code from the enrolled authenticator completes
 * the session. Wrong codes count towards the same lockout as wrong
 * passwords; reaching it ends the half-signed-in session.
 */
export async function verifySecondFactor(deps: Deps, principal: Principal, code: string): Promise<void> {
  const { db, config } = deps;
  const user = await queries.findUser(db, principal.organisationId, principal.userId!);
  if (!user?.totp_secret_encrypted || !user.totp_enabled_at) throw codeError();
  const locked = user.locked_until !== null && user.locked_until > new Date();
  const secret = decrypt(config.sessionSecret, TOTP_PURPOSE, user.totp_secret_encrypted);
  const step = locked ? undefined : verifyTotp(secret, code, new Date(), user.totp_last_step);
  const outcome = await db.transaction().execute(async (trx) => {
    const ok = step !== undefined && (await queries.advanceTotpStep(trx, user.id, step));
    const failures = user.failed_sign_ins + 1;
    const lockNow = !ok && !locked && failures >= config.signInMaxFailures;
    if (ok) {
      await queries.recordSuccessfulSignIn(trx, user.id);
      await sessions.markSecondFactorVerified(trx, principal.sessionId!);
    } else if (!locked) {
      await queries.recordFailedSignIn(trx, user.id, lockNow ? new Date(Date.now() + config.signInLockMinutes * 60_000) : null);
    }
    if (lockNow || locked) await sessions.endAllSessions(trx, principal.organisationId, user.id);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: ok ? 'auth.sign-in' : lockNow ? 'auth.account-locked' : 'auth.second-factor-failed',
      subjectType: 'user',
      subjectId: user.id,
      detail: { secondFactor: 'totp', ...(ok ? {} : { reason: locked ? 'account locked' : 'wrong code', failures }) },
    });
    return ok ? 'accepted' : lockNow || locked ? 'locked' : 'rejected';
  });
  // A failure is audited (committed above) before the user is told.
  if (outcome === 'locked') throw new AccountLocked();
  if (outcome === 'rejected') throw codeError();
}

/** The account locked during the second step; the session has been ended. */
export class AccountLocked extends Error {}

export interface TwoFactorSetup {
  secret: string;
  uri: string;
}

/** Starts (or resumes) enrolment: the secret is kept, encrypted, until a code confirms the app has it. */
export async function beginTwoFactorSetup(deps: Deps, principal: Principal): Promise<TwoFactorSetup> {
  const { db, config } = deps;
  const user = await queries.findUser(db, principal.organisationId, principal.userId!);
  if (!user) throw codeError();
  // Replacing an enrolled key would let a password alone skip the code: enrolment happens only while it is off.
  if (user.totp_enabled_at) throw new Conflict('Two-factor authentication is already on for this account.');
  let secret: string;
  if (user.totp_secret_encrypted && !user.totp_enabled_at) {
    secret = decrypt(config.sessionSecret, TOTP_PURPOSE, user.totp_secret_encrypted);
  } else {
    secret = newTotpSecret();
    await queries.setPendingTotpSecret(
      db,
      principal.organisationId,
      user.id,
      encrypt(config.sessionSecret, TOTP_PURPOSE, secret),
    );
  }
  return { secret, uri: otpauthUri(secret, user.email, 'Throughgate') };
}

export async function confirmTwoFactorSetup(deps: Deps, principal: Principal, code: string): Promise<void> {
  const { db, config } = deps;
  const user = await queries.findUser(db, principal.organisationId, principal.userId!);
  if (!user?.totp_secret_encrypted || user.totp_enabled_at) throw codeError();
  const secret = decrypt(config.sessionSecret, TOTP_PURPOSE, user.totp_secret_encrypted);
  const step = verifyTotp(secret, code, new Date(), null);
  if (step === undefined) throw codeError();
  await db.transaction().execute(async (trx) => {
    await queries.enableTotp(trx, principal.organisationId, user.id, step);
    if (principal.sessionId) await sessions.markSecondFactorVerified(trx, principal.sessionId);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'auth.two-factor-enabled',
      subjectType: 'user',
      subjectId: user.id,
    });
  });
}

export async function disableTwoFactor(deps: Deps, principal: Principal): Promise<void> {
  if (requiresSecondFactor(principal.role)) {
    throw new ValidationFailed([{ field: 'two-factor', text: 'Your role must use two-factor authentication' }]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await queries.disableTotp(trx, principal.organisationId, principal.userId!);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'auth.two-factor-disabled',
      subjectType: 'user',
      subjectId: principal.userId ?? undefined,
    });
  });
}

/**
 * Creates a single-use link for a user and returns its URL. Only the hash is
 * stored; earlier unused links of the same purpose stop working.
 */
export async function issueOneTimeLink(
  trx: Db,
  baseUrl: string,
  user: { id: string; organisationId: string },
  purpose: 'password_reset' | 'invitation',
): Promise<string> {
  const token = randomToken();
  const lifetimeMs = purpose === 'password_reset' ? RESET_LINK_HOURS * 3_600_000 : INVITATION_DAYS * 86_400_000;
  await queries.expireUnusedTokens(trx, user.organisationId, user.id, purpose);
  await queries.insertOneTimeToken(trx, {
    organisation_id: user.organisationId,
    user_id: user.id,
    purpose,
    token_hash: sha256(token),
    expires_at: new Date(Date.now() + lifetimeMs),
  });
  const path = purpose === 'password_reset' ? 'password-reset' : 'invitations';
  return `${baseUrl}/${path}/${token}`;
}

/** Sends a reset link if the email belongs to an active account. The caller says the same thing either way. */
export async function requestPasswordReset(deps: Deps, email: string): Promise<void> {
  const { db, config } = deps;
  const user = await queries.findUserForSignIn(db, email.trim());
  if (!user || user.status !== 'active') return;
  const link = await db.transaction().execute(async (trx) => {
    const url = await issueOneTimeLink(trx, config.baseUrl, { id: user.id, organisationId: user.organisation_id }, 'password_reset');
    await audit.record(trx, {
      organisationId: user.organisation_id,
      actor: { userId: null, label: 'anonymous' },
      action: 'auth.password-reset-requested',
      subjectType: 'user',
      subjectId: user.id,
    });
    return url;
  });
  await deps.email.send(user.organisation_id, {
    to: user.email,
    subject: 'Reset your Throughgate password',
    text: [
      `Hello ${user.display_name},`,
      '',
      'Someone asked to reset the password for your Throughgate account. If it was you, use this link within the next hour:',
      '',
      link,
      '',
      'The link works once. If you did not ask for this, ignore this email: your password has not changed.',
    ].join('\n'),
  });
}

export type LinkState =
  | { state: 'valid'; email: string; displayName: string }
  | { state: 'expired' | 'used' | 'unknown' };

export async function checkLink(deps: Deps, token: string, purpose: 'password_reset' | 'invitation'): Promise<LinkState> {
  const row = await queries.findOneTimeToken(deps.db, sha256(token));
  if (!row || row.purpose !== purpose) return { state: 'unknown' };
  if (row.used_at) return { state: 'used' };
  if (row.expires_at <= new Date()) return { state: 'expired' };
  return { state: 'valid', email: row.email, displayName: row.display_name };
}

function newPasswordErrors(password: string, confirm: string, email: string): FieldError[] {
  const errors: FieldError[] = [];
  const problem = password ? passwordProblem(password, email) : 'Enter a new password';
  if (problem) errors.push({ field: 'password', text: problem });
  else if (password !== confirm) errors.push({ field: 'confirm', text: 'The passwords do not match' });
  return errors;
}

/**
 * Sets a password from an emailed link (reset or invitation), ends every
 * other session of the account, and uses the link up. Returns the link state
 * when the link is no good, so the page can say why.
 */
export async function completeLink(
  deps: Deps,
  token: string,
  purpose: 'password_reset' | 'invitation',
  password: string,
  confirm: string,
): Promise<LinkState> {
  const state = await checkLink(deps, token, purpose);
  if (state.state !== 'valid') return state;
  const errors = newPasswordErrors(password, confirm, state.email);
  if (errors.length > 0) throw new ValidationFailed(errors);
  const passwordHash = await hashPassword(password);
  const row = (await queries.findOneTimeToken(deps.db, sha256(token)))!;
  return deps.db.transaction().execute(async (trx): Promise<LinkState> => {
    if (!(await queries.consumeOneTimeToken(trx, row.id))) return { state: 'used' };
    await queries.setPassword(trx, row.organisation_id, row.user_id, passwordHash);
    await sessions.endAllSessions(trx, row.organisation_id, row.user_id);
    await audit.record(trx, {
      organisationId: row.organisation_id,
      actor: { userId: row.user_id, label: row.display_name },
      action: purpose === 'password_reset' ? 'auth.password-reset' : 'user.invitation-accepted',
      subjectType: 'user',
      subjectId: row.user_id,
    });
    return state;
  });
}
