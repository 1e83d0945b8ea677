import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.ts';
import { sealAndClose } from '../../platform/audit/service.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { DEMO_ORGANISATION, seedDemoData } from '../../platform/demo-data.ts';
import { directPrincipal, type Principal } from '../../platform/http/context.ts';
import { HttpError, ValidationFailed } from '../../platform/http/errors.ts';
import * as organisations from '../organisations/service.ts';
import * as imports from './service.ts';

export const IMPORT_USAGE = `  import referrals FILE [--organisation NAME] [--source-system S]
                                 Import a CSV or JSON Lines file of referrals (format: docs/data-formats.md);
                                 rows imported before are skipped. --organisation defaults to the demo
                                 organisation when SEED_DEMO_DATA is on; --source-system fills rows without one`;

/**
 * The command line acts as the system, not as a user: its audit events say
 * "system", and it may do what an import needs (a manager's permissions)
 * within the one organisation named.
 */
function systemPrincipal(organisation: { id: string; name: string }): Principal {
  return directPrincipal(organisation, 'manager', { id: null, displayName: 'system', email: null });
}

/** Draws "[#####-----] 50/100 rows, 12.5 rows/s" on one line of a terminal; elsewhere only the final state. */
function progressBar(stream: NodeJS.WriteStream) {
  const started = Date.now();
  let last = '';
  return {
    update(done: number, total: number) {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      last = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} rows, ${(done / seconds).toFixed(1)} rows/s`;
      if (stream.isTTY) stream.write(`\r${last}`);
    },
    finish() {
      stream.write(stream.isTTY ? '\n' : `${last}\n`);
    },
  };
}

function usage(message: string): number {
  console.error(`${message}\n\nUsage:\n${IMPORT_USAGE}`);
  return 2;
}

/** `throughgate import referrals FILE …`: exit 0 once the file is processed (even with bad rows), 2 for a usage error. */
export async function runImportCommand(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      args,
      allowPositionals: true,
      options: { organisation: { type: 'string' }, 'source-system': { type: 'string' } },
    });
  try {
    parsed = parse();
  } catch (error) {
    return usage((error as Error).message);
  }
  const [kind, file, ...extra] = parsed.positionals;
  if (kind !== 'referrals') return usage('Only "import referrals" is supported');
  if (!file || extra.length > 0) return usage('Give exactly one file to import');
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    return usage(`Cannot read the file ${file}`);
  }

  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    const db = database.db;
    const organisationName = parsed.values.organisation ?? (config.seedDemoData ? DEMO_ORGANISATION : undefined);
    if (!organisationName) return usage('Name the organisation to import into with --organisation');
    // The demo organisation is made on first use, as the server makes it; an import anywhere else needs none of it.
    if (config.seedDemoData && organisationName === DEMO_ORGANISATION) await seedDemoData(db);
    const organisation = await organisations.findOrganisationByName(db, organisationName);
    if (!organisation) return usage(`No organisation is called "${organisationName}"`);
    const principal = systemPrincipal(organisation);

    let preview: Awaited<ReturnType<typeof imports.previewImport>>;
    try {
      preview = await imports.previewImport(db, principal, {
        fileName: path.basename(file),
        content,
        defaultSourceSystem: parsed.values['source-system'],
      });
    } catch (error) {
      if (error instanceof ValidationFailed) return usage(error.errors.map((e) => e.text).join('\n'));
      throw error;
    }

    const bar = progressBar(process.stderr);
    let result: Awaited<ReturnType<typeof imports.runImport>>;
    try {
      result = await imports.runImport(db, principal, preview.id, {
        onProgress: (p) => bar.update(p.done, p.total),
        onChunkRetried: ({ firstLine, lastLine, error }) =>
          console.error(`\nLines ${firstLine}–${lastLine} could not be written together (${(error as Error).message}); importing them one by one`),
      });
    } finally {
      bar.finish();
    }
    if (!result) throw new Error('The import did not run in the foreground');
    console.log(
      `Imported ${result.imported}, skipped ${result.skipped} already imported, ${result.errors.length} with errors, of ${result.total} rows from ${path.basename(file)} into ${organisation.name} (batch ${preview.id})`,
    );
    for (const error of result.errors) console.log(`  line ${error.line}: ${error.reason}`);
    return 0;
  } catch (error) {
    if (error instanceof HttpError) {
      console.error(error.detail ?? error.title);
      return 1;
    }
    throw error;
  } finally {
    await sealAndClose(database);
  }
}
