import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createOrganisation } from '../../src/modules/organisations/service.ts';
import { SYSTEM_ACTOR } from '../../src/platform/audit/service.ts';
import { openPGlite } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { throughgate } from '../support/cli.ts';



/** Opens the data directory in this process (the command is not running then), for setting up and checking. */
async function withData<T>(dataDir: string, fn: (db: Awaited<ReturnType<typeof openPGlite>>['db']) => Promise<T>): Promise<T> {
  const database = await openPGlite(dataDir);
  try {
    await migrate(database);
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

describe('throughgate retention (command line)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let personId: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tg-retention-cli-'));
    env = { DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', NODE_ENV: 'test', SESSION_SECRET: 'cli-test-secret-0123456789abcdefghijklmn', LOG_LEVEL: 'silent' };
    personId = await withData(dataDir, async (db) => {
      const organisation = await createOrganisation(db, SYSTEM_ACTOR, { name: 'Retention CLI', kind: 'provider' });
      await createOrganisation(db, SYSTEM_ACTOR, { name: 'Retention CLI Other', kind: 'provider' });
      const person = await db
        .insertInto('person')
        .values({ organisation_id: organisation.id, given_name: 'Cornelius', family_name: 'Longago', prison_number: 'A1111AA' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('episode')
        .values({ organisation_id: organisation.id, person_id: person.id, referred_on: '2010-01-01', exited_on: '2011-01-01', exit_reason_code: 'goals_met' })
        .execute();
      return person.id;
    });
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  const givenName = () => withData(dataDir, (db) => db.selectFrom('person').select('given_name').where('id', '=', personId).executeTakeFirstOrThrow());

  test('a dry run (the default) lists who is due by reference and changes nothing', async () => {
    for (const args of [['retention'], ['retention', '--dry-run', '--organisation', 'Retention CLI']]) {
      const run = await throughgate(args, env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Retention CLI \(dry run, nothing changed/);
      assert.match(run.stdout, /closed_episode: 1 due \(kept 6 years/);
      assert.match(run.stdout, new RegExp(`person ${personId}  closed_episode  first referred 2010-01-01  last closed 2011-01-01`));
      assert.doesNotMatch(run.stdout, /Cornelius|Longago|A1111AA/);
    }
    assert.equal((await givenName()).given_name, 'Cornelius');
  });

  test('--apply anonymises, and a second run finds nothing', async () => {
    const run = await throughgate(['retention', '--apply', '--organisation', 'Retention CLI'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Retention CLI: anonymised 1 people, removed the text of 0 deleted contacts/);
    assert.equal((await givenName()).given_name, 'Anonymised');
    const again = await throughgate(['retention'], env);
    assert.match(again.stdout, /closed_episode: 0 due/);
  });

  test('usage errors exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['retention', '--apply', '--dry-run'], /not both/],
      [['retention', '--organisation', 'Nobody Ltd'], /No organisation is called "Nobody Ltd"/],
      [['retention', '--bogus'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const run = await throughgate(args, env);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
  });
});
