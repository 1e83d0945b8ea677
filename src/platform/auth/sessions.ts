import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Principal } from '../http/context.ts';
import { isRole } from './permissions.ts';
import * as queries from './queries.ts';
import { randomToken, sha256 } from './secrets.ts';

export const SESSION_COOKIE = 'tg_session';

// Writing last_seen_at on every request would make each page view a write; a minute's precision is enough for idle time-outs.
const TOUCH_AFTER_MS = 60_000;

export function idleCutoff(config: Config, now = new Date()): Date {
  return new Date(now.getTime() - config.sessionIdleMinutes * 60_000);
}

/** Creates a fresh session (a new id at every sign-in, so a planted id is worthless) and returns the cookie value. */
export async function startSession(
  db: Db,
  config: Config,
  user: { id: string; organisationId: string },
  secondFactorVerified: boolean,
): Promise<string> {
  const token = randomToken();
  await queries.insertSession(db, {
    id: sha256(token),
    organisation_id: user.organisationId,
    user_id: user.id,
    second_factor_verified: secondFactorVerified,
    expires_at: new Date(Date.now() + config.sessionAbsoluteHours * 3_600_000),
  });
  return token;
}

export async function principalForSession(db: Db, config: Config, token: string): Promise<Principal | null> {
  const sessionId = sha256(token);
  const row = await queries.findLiveSession(db, sessionId, idleCutoff(config));
  if (!row || !isRole(row.role)) return null;
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) await queries.touchSession(db, sessionId);
  return {
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    role: row.role,
    userId: row.user_id,
    displayName: row.display_name,
    email: row.email,
    via: 'session',
    sessionId,
    apiTokenId: null,
    fullySignedIn: row.second_factor_verified,
    twoFactorEnabled: row.totp_enabled_at !== null,
  };
}

export async function principalForApiToken(db: Db, token: string): Promise<Principal | null> {
  const row = await queries.findActiveApiToken(db, sha256(token));
  if (!row || !isRole(row.role)) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_AFTER_MS) {
    await queries.touchApiToken(db, row.id);
  }
  return {
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    role: row.role,
    userId: null,
    displayName: `API token “${row.name}”`,
    email: null,
    via: 'api-token',
    sessionId: null,
    apiTokenId: row.id,
    fullySignedIn: true,
    twoFactorEnabled: false,
  };
}

export const endSession = queries.deleteSession;
export const endAllSessions = queries.deleteUserSessions;
export const markSecondFactorVerified = queries.markSecondFactorVerified;
export const deleteExpiredSessions = queries.deleteExpiredSessions;
