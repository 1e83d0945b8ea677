import { randomBytes } from 'node:crypto';
import path from 'node:path';

/**
 * Typed configuration read once from the environment. In production every
 * secret must be given explicitly: we fail fast rather than run with a
 * generated key that would change on restart and sign everyone out.
 */
export interface Config {
  environment: 'development' | 'test' | 'production';
  port: number;
  host: string;
  baseUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  smtpUrl: string | undefined;
  emailFrom: string;
  logLevel: string;
  seedDemoData: boolean;
  signInMaxFailures: number;
  signInLockMinutes: number;
  signInRateLimitPerMinute: number;
  apiRateLimitPerMinute: number;
  bodyLimitBytes: number;
  cookieSecure: boolean;
  /** Disclosure control: published and commissioner figures hide counts from 1 up to this number minus one. */
  disclosureThreshold: number;
  /** Whether the server applies the retention schedule once a day (src/modules/retention). */
  retentionJob: boolean;
  /** shared_buffers of the embedded database (PGlite), in MiB; ignored with DATABASE_URL. */
  pgliteSharedBuffersMb: number;
}

/**
 * PGlite touches all of shared_buffers at start-up, so it is resident memory
 * from the first second. Postgres's default of 128 MB held most of a 5,000-person
 * service's memory; the data files are still cached by the operating system.
 */
export const DEFAULT_PGLITE_SHARED_BUFFERS_MB = 32;
const MIN_PGLITE_SHARED_BUFFERS_MB = 1;
const MAX_PGLITE_SHARED_BUFFERS_MB = 1024;

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV;
  const environment =
    nodeEnv === 'production' ? 'production' : nodeEnv === 'test' ? 'test' : 'development';
  const production = environment === 'production';
  const port = integer(env, 'PORT', 3000);
  const host = env.HOST || (production ? '0.0.0.0' : '127.0.0.1');
  const baseUrl = (env.BASE_URL || `http://localhost:${port}`).replace(/\/$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(`BASE_URL must be an absolute URL, got "${baseUrl}"`);
  }

  const missing: string[] = [];
  if (production && !env.SESSION_SECRET) missing.push('SESSION_SECRET');
  if (production && !env.SMTP_URL) missing.push('SMTP_URL');
  if (production && !env.BASE_URL) missing.push('BASE_URL');
  if (missing.length > 0) {
    throw new ConfigError(`In production these must be set: ${missing.join(', ')}`);
  }
  const sessionSecret = env.SESSION_SECRET || randomBytes(32).toString('hex');
  if (sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters');
  }
  const seedDemoData = flag(env, 'SEED_DEMO_DATA', !production);
  if (production && seedDemoData) {
    throw new ConfigError('SEED_DEMO_DATA cannot be true in production: demo data never goes into a production database');
  }
  const disclosureThreshold = integer(env, 'DISCLOSURE_THRESHOLD', 5);
  if (disclosureThreshold < 2) {
    throw new ConfigError('DISCLOSURE_THRESHOLD must be 2 or more: counts below it (except 0) are hidden in published figures');
  }
  const pgliteSharedBuffersMb = integer(env, 'PGLITE_SHARED_BUFFERS_MB', DEFAULT_PGLITE_SHARED_BUFFERS_MB);
  if (pgliteSharedBuffersMb < MIN_PGLITE_SHARED_BUFFERS_MB || pgliteSharedBuffersMb > MAX_PGLITE_SHARED_BUFFERS_MB) {
    throw new ConfigError(
      `PGLITE_SHARED_BUFFERS_MB must be from ${MIN_PGLITE_SHARED_BUFFERS_MB} to ${MAX_PGLITE_SHARED_BUFFERS_MB} (MiB), got "${env.PGLITE_SHARED_BUFFERS_MB}"`,
    );
  }
  if (production && !baseUrl.startsWith('https://')) {
    throw new ConfigError('BASE_URL must use https in production');
  }

  return {
    environment,
    port,
    host,
    baseUrl,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    sessionSecret,
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30),
    sessionAbsoluteHours: integer(env, 'SESSION_ABSOLUTE_HOURS', 12),
    smtpUrl: env.SMTP_URL || undefined,
    emailFrom: env.EMAIL_FROM || 'Throughgate <no-reply@throughgate.invalid>',
    logLevel: env.LOG_LEVEL || (environment === 'test' ? 'silent' : 'info'),
    seedDemoData,
    signInMaxFailures: integer(env, 'SIGN_IN_MAX_FAILURES', 5),
    signInLockMinutes: integer(env, 'SIGN_IN_LOCK_MINUTES', 15),
    signInRateLimitPerMinute: integer(env, 'SIGN_IN_RATE_LIMIT_PER_MINUTE', 20),
    apiRateLimitPerMinute: integer(env, 'API_RATE_LIMIT_PER_MINUTE', 600),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    cookieSecure: production || baseUrl.startsWith('https://') || isLoopback(baseUrl),
    disclosureThreshold,
    retentionJob: flag(env, 'RETENTION_JOB', true),
    pgliteSharedBuffersMb,
  };
}
