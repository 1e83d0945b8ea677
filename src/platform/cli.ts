import { parseArgs } from 'node:util';
import { SYSTEM_ACTOR } from './audit/service.ts';
import * as audit from './audit/service.ts';
import { ROLES } from './auth/permissions.ts';
import { ConfigError, loadConfig } from './config.ts';
import { BACKUP_USAGE, runBackupCommand, runRestoreCommand } from './db/backup.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_USERS, seedDemoData } from './demo-data.ts';
import { deleteExpiredSessions, idleCutoff } from './auth/sessions.ts';
import { ValidationFailed } from './http/errors.ts';
import { createRuntime } from './runtime.ts';
import { IMPORT_USAGE, runImportCommand } from '../modules/imports/cli.ts';
import { runSeedCommand, SEED_USAGE } from '../modules/seed/cli.ts';
import { RETENTION_USAGE, runRetentionCommand } from '../modules/retention/cli.ts';
import { applyToAll as applyRetentionToAll } from '../modules/retention/service.ts';
import * as organisations from '../modules/organisations/service.ts';
import * as users from '../modules/users/service.ts';

const USAGE = `Usage: throughgate <command> [options]

Commands:
  serve                          Start the web server (applies migrations first)
  migrate                        Apply pending database migrations and exit
  create-user --organisation NAME --email EMAIL --name NAME --role ROLE [--password P]
                                 Create an active user (password from --password or THROUGHGATE_PASSWORD)
  audit verify                   Check the audit trail's hash chain; exit 1 at the first broken link
${IMPORT_USAGE}
${SEED_USAGE}
${BACKUP_USAGE}
${RETENTION_USAGE}

Roles: ${ROLES.join(', ')}
Configuration comes from environment variables: see .env.example.`;

async function serve(): Promise<void> {
  const config = loadConfig();
  const runtime = await createRuntime(config);
  const { app, deps } = runtime;
  if (config.seedDemoData && (await seedDemoData(deps.db))) {
    app.log.info('Created the demo organisation and users');
  }
  await app.listen({ port: config.port, host: config.host });
  // Route schemas are compiled when first needed; the rest a little after start-up, between requests, rather
  // than competing with the first requests of a restart.
  const schemaWarmUp = setTimeout(() => {
    app.compileRemainingSchemas().catch((error) => app.log.warn({ err: error }, 'compiling route schemas failed'));
  }, 10_000);
  schemaWarmUp.unref();
  if (config.seedDemoData) {
    console.log(`\nThroughgate is running at ${config.baseUrl}\n`);
    console.log(`Demo organisation: ${DEMO_ORGANISATION}. Sign in as any of these, password "${DEMO_PASSWORD}":`);
    for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(32)} ${user.role}`);
    console.log('Administrators and managers are asked to set up two-factor authentication at first sign-in.\n');
  }
  const sweeper = setInterval(() => {
    deleteExpiredSessions(deps.db, idleCutoff(config)).catch((error) => app.log.warn({ err: error }, 'session sweep failed'));
  }, 15 * 60_000);
  sweeper.unref();
  // Audit events are appended unchained; this seals them into their chains within about a second (decision 22).
  const sealer = audit.startSealer(deps.db, (error) => app.log.error({ err: error }, 'audit sealing failed'));
  // The retention schedule, once a day (not at start-up, so restarts do not run it early); RETENTION_JOB=false turns it off.
  const retentionJob = config.retentionJob
    ? setInterval(() => {
        applyRetentionToAll(deps.db, app.log).catch((error) => app.log.error({ err: error }, 'retention job failed'));
      }, 24 * 60 * 60_000)
    : undefined;
  retentionJob?.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    clearInterval(sweeper);
    clearInterval(retentionJob);
    await sealer.stop();
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    return await fn(database);
  } finally {
    await audit.sealAndClose(database);
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve();
      return -1;
    case 'migrate': {
      const config = loadConfig();
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const ran = await migrate(database);
        console.log(ran.length ? `Applied ${ran.join(', ')}` : 'The database is up to date');
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'create-user': {
      const { values } = parseArgs({
        args: rest,
        options: {
          organisation: { type: 'string' },
          email: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          password: { type: 'string' },
        },
      });
      const password = values.password ?? process.env.THROUGHGATE_PASSWORD;
      if (!values.organisation || !values.email || !values.name || !values.role || !password) {
        console.error('create-user needs --organisation, --email, --name, --role and a password\n');
        console.error(USAGE);
        return 2;
      }
      return withDatabase(async (database) => {
        const organisation = await organisations.findOrganisationByName(database.db, values.organisation!);
        if (!organisation) {
          console.error(`No organisation is called "${values.organisation}"`);
          return 2;
        }
        const user = await users.createUserWithPassword(database.db, SYSTEM_ACTOR, {
          organisationId: organisation.id,
          email: values.email!,
          displayName: values.name!,
          role: values.role!,
          password,
        });
        console.log(`Created ${user.email} (${user.role}) in ${organisation.name}`);
        return 0;
      });
    }
    case 'audit': {
      if (rest[0] !== 'verify') {
        console.error(USAGE);
        return 2;
      }
      return withDatabase(async (database) => {
        const result = await audit.verify(database.db);
        if (result.firstBroken) {
          const broken = result.firstBroken;
          console.error(
            `Audit chain broken at event ${broken.id} (organisation ${broken.organisationId ?? 'instance'}): ${broken.problem}. ${result.checked} events before it are intact.`,
          );
          return 1;
        }
        console.log(`Audit chain intact: ${result.checked} events checked`);
        return 0;
      });
    }
    case 'import':
      return runImportCommand(rest);
    case 'seed':
      return runSeedCommand(rest);
    case 'backup':
      return runBackupCommand(rest);
    case 'restore':
      return runRestoreCommand(rest);
    case 'retention':
      return runRetentionCommand(rest);
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
    default:
      console.error(`Unknown command "${command}"\n`);
      console.error(USAGE);
      return 2;
  }
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
  if (error instanceof ValidationFailed) {
    for (const problem of error.errors) console.error(`${problem.field}: ${problem.text}`);
    process.exit(2);
  }
  throw error;
}
