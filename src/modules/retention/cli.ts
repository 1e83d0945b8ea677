import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.ts';
import { sealAndClose } from '../../platform/audit/service.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { findOrganisationByName } from '../organisations/service.ts';
import * as retention from './service.ts';

export const RETENTION_USAGE = `  retention [--organisation NAME] [--dry-run | --apply]
                                 List who and what is due under the retention schedule (--dry-run, the
                                 default), or anonymise and purge it (--apply); every provider organisation
                                 unless --organisation names one (docs/retention.md)`;

function usage(message: string): number {
  console.error(`${message}\n\nUsage:\n${RETENTION_USAGE}`);
  return 2;
}

/** `throughgate retention …`: exit 0 when done, 2 for a usage error. Acts as the system; its audit events say so. */
export async function runRetentionCommand(args: string[]): Promise<number> {
  let values: { organisation?: string; 'dry-run'?: boolean; apply?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { organisation: { type: 'string' }, 'dry-run': { type: 'boolean' }, apply: { type: 'boolean' } },
    }));
  } catch (error) {
    return usage((error as Error).message);
  }
  if (values.apply && values['dry-run']) return usage('Give --dry-run or --apply, not both');

  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    const db = database.db;
    let organisations = await retention.providerOrganisations(db);
    if (values.organisation !== undefined) {
      const named = await findOrganisationByName(db, values.organisation);
      if (!named) return usage(`No organisation is called "${values.organisation}"`);
      organisations = [{ id: named.id, name: named.name }];
    }
    for (const organisation of organisations) {
      if (values.apply) {
        const result = await retention.applyRetention(db, organisation.id);
        console.log(`${organisation.name}: anonymised ${result.anonymised} people, removed the text of ${result.contactsPurged} deleted contacts`);
        continue;
      }
      const report = await retention.dueFor(db, organisation.id);
      console.log(`${organisation.name} (dry run, nothing changed; as at ${report.today}):`);
      for (const rule of report.rules) console.log(`  ${rule.type}: ${rule.due} due (kept ${rule.years} years, closed or deleted before ${rule.cutoff})`);
      for (const person of report.people) {
        console.log(`  person ${person.reference}  ${person.rule}  first referred ${person.firstReferredOn ?? 'never'}  last closed ${person.closedOn}`);
      }
    }
    return 0;
  } finally {
    await sealAndClose(database);
  }
}
