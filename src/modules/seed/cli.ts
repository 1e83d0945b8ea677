import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.ts';
import { sealAndClose } from '../../platform/audit/service.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { DEFAULT_SEED_ORGANISATION, type SeedProgress, seedDataset } from './service.ts';

export const SEED_USAGE = `  seed --people N [--years Y] [--seed S] [--organisation NAME] [--allow-production]
                                 Generate a deterministic synthetic dataset (default 3 years, seed 1, into
                                 "${DEFAULT_SEED_ORGANISATION}"). Refuses under NODE_ENV=production
                                 unless --allow-production is given`;

function usage(message: string): number {
  console.error(`${message}\n\nUsage:\n${SEED_USAGE}`);
  return 2;
}

const number = (value: number) => Math.round(value).toLocaleString('en-GB');

/** One line per stage on stderr: rows written and rows per second. */
export function progressLine(progress: SeedProgress): string {
  const rate = progress.seconds > 0 ? progress.rows / progress.seconds : 0;
  const of = progress.total === undefined ? '' : ` (${number(progress.done ?? 0)}/${number(progress.total)} people)`;
  return `seed: ${progress.stage}${of}: ${number(progress.rows)} rows in ${progress.seconds.toFixed(1)} s, ${number(rate)} rows/s`;
}

/** `throughgate seed …`: 0 when seeded, 2 for a usage error or a refusal in production. */
export async function runSeedCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: { people?: string; years?: string; seed?: string; organisation?: string; 'allow-production'?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        people: { type: 'string' },
        years: { type: 'string' },
        seed: { type: 'string' },
        organisation: { type: 'string' },
        'allow-production': { type: 'boolean' },
      },
    }));
  } catch (error) {
    return usage((error as Error).message);
  }
  // Checked before anything else, the configuration included: synthetic people must never land in a live service by accident.
  if (env.NODE_ENV === 'production' && !values['allow-production']) {
    console.error('Refusing to seed synthetic data: NODE_ENV is production. Give --allow-production if this really is a throwaway database.');
    return 2;
  }
  if (values.people === undefined) return usage('Say how many people to generate with --people');
  const options = {
    people: Number(values.people),
    years: Number(values.years ?? 3),
    seed: Number(values.seed ?? 1),
    organisationName: values.organisation ?? DEFAULT_SEED_ORGANISATION,
  };

  const config = loadConfig(env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    const result = await seedDataset(database.db, options, (progress) => console.error(progressLine(progress)));
    console.log(
      `Seeded ${number(options.people)} people (${number(result.rows)} rows, referrals ${result.startsOn} to ${result.endsOn}, seed ${options.seed}) into ${options.organisationName} in ${result.seconds.toFixed(1)} s`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ValidationFailed) return usage(error.errors.map((problem) => problem.text).join('\n'));
    throw error;
  } finally {
    await sealAndClose(database);
  }
}
