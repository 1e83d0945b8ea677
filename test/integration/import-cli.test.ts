import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openPGlite } from '../../src/platform/db/database.ts';
import { throughgate } from '../support/cli.ts';

describe('throughgate import referrals (command line)', () => {
  let dataDir: string;
  let env: Record<string, string>;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tg-import-cli-'));
    env = {
      DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'true',
      NODE_ENV: 'test',
      SESSION_SECRET: 'cli-test-secret-0123456789abcdefghijklmn',
      LOG_LEVEL: 'silent',
    };
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('imports the example file with a progress line and a summary, then skips every row the second time', async () => {
    const first = await throughgate(['import', 'referrals', 'docs/examples/referrals.csv'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Imported 4, skipped 0 already imported, 0 with errors, of 4 rows from referrals\.csv into Demo Through the Gate Service/);
    assert.match(first.stderr, /\[#+\] 4\/4 rows, [\d.]+ rows\/s/);

    const second = await throughgate(['import', 'referrals', 'docs/examples/referrals.csv'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Imported 0, skipped 4 already imported, 0 with errors, of 4 rows/);

    // No server ran to seal the import's audit events, so the command sealed them before it closed.
    const database = await openPGlite(dataDir);
    try {
      const events = await database.db
        .selectFrom('audit_event')
        .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.count<number>('chain_position').as('sealed')])
        .where('action', '=', 'import.row-imported')
        .executeTakeFirstOrThrow();
      assert.equal(Number(events.all), 4);
      assert.equal(Number(events.sealed), 4);
    } finally {
      await database.close();
    }
  });

  test('reports bad rows with line and reason and still exits 0', async () => {
    const file = path.join(dataDir, 'bad.csv');
    await writeFile(
      file,
      'external_id,given_name,family_name,received_on,nhs_number\nC-1,Good,Row,2026-01-02,\nC-2,Bad,Row,2026-01-02,1234567890\n',
    );
    const run = await throughgate(['import', 'referrals', file, '--source-system', 'CLI test'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Imported 1, skipped 0 already imported, 1 with errors, of 2 rows/);
    assert.match(run.stdout, /line 3: nhs_number: Enter a valid NHS number/);
  });

  test('usage errors exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['import', 'people', 'x.csv'], /Only "import referrals" is supported/],
      [['import', 'referrals'], /Give exactly one file/],
      [['import', 'referrals', 'no-such-file.csv'], /Cannot read the file/],
      [['import', 'referrals', 'docs/examples/referrals.csv', '--organisation', 'Nobody Ltd'], /No organisation is called "Nobody Ltd"/],
      [['import', 'referrals', 'README.md'], /must be a CSV/],
    ];
    for (const [args, message] of cases) {
      const run = await throughgate(args, env);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
  });
});
