import type { Config } from '../config.ts';
import type { Database, Db } from '../db/database.ts';
import type { EmailSender } from '../email/service.ts';

/** What every module's routes receive: the only shared state in the app. */
export interface Deps {
  config: Config;
  database: Database;
  db: Db;
  email: EmailSender;
}
