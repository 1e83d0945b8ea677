/**
 * Growth: how the person-level pages' queries and the outcomes report change
 * with the size of the database. For each PostgreSQL size, the same page
 * queries bench/http.ts issues on its raw side (the caseload, a person's
 * page, the release board, and a contact's insert, here rolled back so the
 * dataset does not drift) are timed one call at a time on one connection,
 * over several caseworkers, people and episodes; at the largest size each
 * statement's EXPLAIN (ANALYZE, BUFFERS) goes in the doc, to show why a page
 * stays flat or what makes it grow.
 */
import { CompiledQuery, type KyselyPlugin, sql } from 'kysely';
import { activeCount, caseloadPage } from '../src/modules/caseload/queries.ts';
import { episodeStage, insertContact, lockEpisode } from '../src/modules/contacts/queries.ts';
import { releaseBoard, releaseBoardCounts } from '../src/modules/custody/board-queries.ts';
import { teamOfUser } from '../src/modules/users/service.ts';
import { recomputeEpisodes } from '../src/modules/engagement/service.ts';
import { episodesForPerson } from '../src/modules/episodes/queries.ts';
import { aliasesOf, findPerson } from '../src/modules/people/queries.ts';
import type { Db } from '../src/platform/db/database.ts';
import { benchContact } from './queries.ts';

export const GROWTH_PAGES = ['caseload page', 'person page', 'release board', 'release board, all teams', 'contact insert'] as const;
export type GrowthPage = (typeof GROWTH_PAGES)[number];

/** What each page's round issues, for the doc. */
export const GROWTH_QUERIES: Record<GrowthPage, string> = {
  'caseload page': '`caseloadPage` (sorted by name, first 25) and `activeCount` for one caseworker',
  'person page': '`findPerson`, `aliasesOf` and `episodesForPerson` for one person',
  'release board': '`teamOfUser`, then `releaseBoardCounts` and the first page of `releaseBoard` for one caseworker\'s team, as the board first opens for them',
  'release board, all teams': '`releaseBoardCounts` and the first page of `releaseBoard` for the whole organisation ("All teams")',
  'contact insert': '`lockEpisode`, `insertContact`, `recomputeEpisodes` and `episodeStage` for one open episode, in a transaction rolled back',
};

export interface GrowthTargets {
  organisationId: string;
  /** The dataset's last day, so every size is read at the same point of its own data. */
  today: string;
  workerIds: string[];
  personIds: string[];
  episodeIds: string[];
}

export interface PageTiming {
  medianMs: number;
  p95Ms: number;
  calls: number;
}

export interface StatementPlan {
  sql: string;
  plan: string;
}

export interface GrowthSize {
  label: string;
  people: number;
  pages: Record<GrowthPage, PageTiming>;
  /** The whole outcomes report and the hand-written funnel, medians from reportSuite on the same database. */
  reportMs: number;
  handWrittenMs: number;
  /** Each page's statements with their plans; only asked for at the largest size. */
  plans?: Record<GrowthPage, StatementPlan[]>;
}

/**
 * Caseworkers with open episodes, people and open episodes, spread over the
 * whole dataset (ordered by a hash of the id, so not all from the first
 * chunk written) and the same ones on every run against the same database.
 */
export async function growthTargets(db: Db, organisationId: string, today: string, count: number): Promise<GrowthTargets> {
  const workers = await sql<{ id: string }>`
    select key_worker_id as id from episode
     where organisation_id = ${organisationId} and exited_on is null and key_worker_id is not null
     group by key_worker_id order by md5(key_worker_id::text) limit ${count}`.execute(db);
  const people = await sql<{ id: string }>`
    select id from person where organisation_id = ${organisationId} order by md5(id::text) limit ${count}`.execute(db);
  const episodes = await sql<{ id: string }>`
    select id from episode where organisation_id = ${organisationId} and exited_on is null order by md5(id::text) limit ${count}`.execute(db);
  const ids = (result: { rows: Array<{ id: string }> }) => result.rows.map((row) => row.id);
  if (workers.rows.length === 0 || people.rows.length === 0 || episodes.rows.length === 0) throw new Error('The seeded organisation has no open episode to time the pages with');
  return { organisationId, today, workerIds: ids(workers), personIds: ids(people), episodeIds: ids(episodes) };
}

class RolledBack extends Error {}

/** Runs fn in a transaction and always rolls it back. */
async function rolledBack(db: Db, fn: (trx: Db) => Promise<unknown>): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      await fn(trx);
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
}

/** How many distinct targets a page has: the release board is one per organisation. */
function targetCount(t: GrowthTargets, page: GrowthPage): number {
  if (page === 'caseload page') return t.workerIds.length;
  if (page === 'person page') return t.personIds.length;
  if (page === 'contact insert') return t.episodeIds.length;
  if (page === 'release board') return t.workerIds.length;
  return 1;
}

/** One round of a page's queries for its nth target. */
async function pageRound(db: Db, t: GrowthTargets, page: GrowthPage, n: number): Promise<void> {
  const org = t.organisationId;
  switch (page) {
    case 'caseload page': {
      const workerId = t.workerIds[n % t.workerIds.length];
      await caseloadPage(db, org, { scope: { keyWorkerId: workerId }, search: '', stage: '', window: '', overdueOnly: false, sort: 'name', today: t.today, limit: 25, offset: 0 });
      await activeCount(db, org, workerId);
      return;
    }
    case 'person page': {
      const personId = t.personIds[n % t.personIds.length];
      await findPerson(db, org, personId);
      await aliasesOf(db, org, personId);
      await episodesForPerson(db, org, personId);
      return;
    }
    case 'release board': {
      const teamId = await teamOfUser(db, org, t.workerIds[n % t.workerIds.length]);
      await releaseBoardCounts(db, org, { today: t.today, teamId, keyWorkerId: null });
      await releaseBoard(db, org, { today: t.today, teamId, keyWorkerId: null, window: null });
      return;
    }
    case 'release board, all teams':
      await releaseBoardCounts(db, org, { today: t.today, teamId: null, keyWorkerId: null });
      await releaseBoard(db, org, { today: t.today, teamId: null, keyWorkerId: null, window: null });
      return;
    case 'contact insert': {
      const episodeId = t.episodeIds[n % t.episodeIds.length];
      await rolledBack(db, async (trx) => {
        await lockEpisode(trx, org, episodeId);
        await insertContact(trx, benchContact(org, episodeId, new Date(`${t.today}T12:00:00Z`)));
        await recomputeEpisodes(trx, org, [episodeId]);
        await episodeStage(trx, org, episodeId);
      });
      return;
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** One warm-up pass over the page's targets, then `calls` timed rounds one at a time, spread over them. */
export async function timePage(db: Db, t: GrowthTargets, page: GrowthPage, calls: number): Promise<PageTiming> {
  const targets = targetCount(t, page);
  for (let n = 0; n < Math.min(targets, calls); n += 1) await pageRound(db, t, page, n);
  const times: number[] = [];
  for (let n = 0; n < calls; n += 1) {
    const started = performance.now();
    await pageRound(db, t, page, n);
    times.push(performance.now() - started);
  }
  const sorted = times.sort((a, b) => a - b);
  return { medianMs: percentile(sorted, 50), p95Ms: percentile(sorted, 95), calls };
}

/**
 * The statements a page's round issues, compiled as Kysely sends them (text
 * and parameters), in the order they ran. Kysely also hands subqueries to
 * plugins while it builds, so a statement is kept only once its result comes back.
 */
async function statementsOf(db: Db, t: GrowthTargets, page: GrowthPage): Promise<CompiledQuery[]> {
  const compiled = new Map<unknown, CompiledQuery>();
  const statements: CompiledQuery[] = [];
  const executor = db.getExecutor();
  const capture: KyselyPlugin = {
    transformQuery(args) {
      compiled.set(args.queryId, executor.compileQuery(args.node, args.queryId));
      return args.node;
    },
    async transformResult(args) {
      const statement = compiled.get(args.queryId);
      if (statement) statements.push(statement);
      return args.result;
    },
  };
  await pageRound(db.withPlugin(capture), t, page, 0);
  return statements;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every statement of a page's first round, in
 * order, in one transaction rolled back (EXPLAIN ANALYZE runs the statement,
 * so the contact insert's plans are its real ones and still leave no row).
 */
export async function explainPage(db: Db, t: GrowthTargets, page: GrowthPage): Promise<StatementPlan[]> {
  const statements = await statementsOf(db, t, page);
  const plans: StatementPlan[] = [];
  await rolledBack(db, async (trx) => {
    for (const statement of statements) {
      const result = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain (analyze, buffers, format text) ${statement.sql}`, [...statement.parameters]),
      );
      plans.push({ sql: statement.sql.replace(/\s+/g, ' ').trim(), plan: result.rows.map((row) => row['QUERY PLAN']).join('\n') });
    }
  });
  return plans;
}

/** Every page at one size: timings, and plans when asked. */
export async function growthSuite(
  db: Db,
  t: GrowthTargets,
  size: { label: string; people: number; reportMs: number; handWrittenMs: number },
  options: { calls: number; explain: boolean },
): Promise<GrowthSize> {
  const pages = {} as Record<GrowthPage, PageTiming>;
  for (const page of GROWTH_PAGES) pages[page] = await timePage(db, t, page, options.calls);
  let plans: GrowthSize['plans'];
  if (options.explain) {
    plans = {} as Record<GrowthPage, StatementPlan[]>;
    for (const page of GROWTH_PAGES) plans[page] = await explainPage(db, t, page);
  }
  return { ...size, pages, plans };
}

const whole = (value: number) => Math.round(value).toLocaleString('en-GB');
const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const ratio = (value: number, base: number) => `${(value / base).toFixed(2)} ×`;

function table(header: string[], rows: string[][]): string[] {
  const alignment = header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `| ${alignment.join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

/** The growth section of docs/benchmarks.md: a table across sizes with ratios to the smallest, then the largest size's plans. */
export function renderGrowth(sizes: readonly GrowthSize[]): string[] {
  if (sizes.length === 0) return [];
  const base = sizes[0];
  const largest = sizes[sizes.length - 1];
  const calls = base.pages[GROWTH_PAGES[0]].calls;
  const lines = [
    '### Growth (PostgreSQL)',
    '',
    `Each page's queries from its modules' \`queries.ts\`, issued one call at a time on one connection with no HTTP: median (and p95) of ${calls} calls after a warm-up pass, spread over different caseworkers, people and open episodes picked across the whole dataset; "today" is the dataset's last day at every size. Then the whole outcomes report and the hand-written funnel (medians from the report suite above). The ratio is to the ${whole(base.people)}-person database: a person-level page is flat when it stays near 1.`,
    '',
    ...GROWTH_PAGES.map((page) => `- ${page}: ${GROWTH_QUERIES[page]}.`),
    '',
    ...table(
      ['Query', ...sizes.map((size) => `${whole(size.people)} people`), ...sizes.slice(1).map((size) => `${whole(size.people)} ÷ ${whole(base.people)}`)],
      [
        ...GROWTH_PAGES.map((page) => [
          page,
          ...sizes.map((size) => `${ms(size.pages[page].medianMs)} (p95 ${ms(size.pages[page].p95Ms)})`),
          ...sizes.slice(1).map((size) => ratio(size.pages[page].medianMs, base.pages[page].medianMs)),
        ]),
        ['whole outcomes report', ...sizes.map((size) => ms(size.reportMs)), ...sizes.slice(1).map((size) => ratio(size.reportMs, base.reportMs))],
        ['hand-written funnel', ...sizes.map((size) => ms(size.handWrittenMs)), ...sizes.slice(1).map((size) => ratio(size.handWrittenMs, base.handWrittenMs))],
      ],
    ),
    '',
  ];
  if (largest.plans) {
    lines.push(
      `The plans at ${whole(largest.people)} people: \`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT)\` of each statement of one round, in order, in a transaction rolled back.`,
      '',
    );
    for (const page of GROWTH_PAGES) {
      lines.push(`<details><summary>${page}: ${largest.plans[page].length} statement${largest.plans[page].length === 1 ? '' : 's'}</summary>`, '');
      for (const statement of largest.plans[page]) lines.push('```sql', statement.sql, '```', '', '```text', statement.plan, '```', '');
      lines.push('</details>', '');
    }
  }
  return lines;
}
