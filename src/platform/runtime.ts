import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createEmailSender } from './email/service.ts';
import { type EmailTransport, transportFor } from './email/transport.ts';
import { buildApp } from './http/app.ts';
import type { Deps } from './http/deps.ts';

export interface Runtime {
  app: FastifyInstance;
  deps: Deps;
  close(): Promise<void>;
}

export async function openDeps(config: Config, options: { database?: Database; transport?: EmailTransport } = {}): Promise<Deps> {
  const database = options.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pgliteSharedBuffersMb: config.pgliteSharedBuffersMb }));
  await migrate(database);
  const email = createEmailSender(database.db, options.transport ?? transportFor(config.smtpUrl), config.emailFrom);
  return { config, database, db: database.db, email };
}

/** Opens the database, applies migrations and builds the app; close() shuts both down in order. */
export async function createRuntime(config: Config, options: { database?: Database; transport?: EmailTransport } = {}): Promise<Runtime> {
  const deps = await openDeps(config, options);
  const app = await buildApp(deps);
  return {
    app,
    deps,
    async close() {
      await app.close();
      await deps.database.close();
    },
  };
}
