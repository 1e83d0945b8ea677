import { randomInt } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../platform/audit/service.ts';
import * as audit from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { londonToday } from '../../platform/london-time.ts';
import { recomputeOrganisation } from '../engagement/service.ts';
import * as organisations from '../organisations/service.ts';
import { dayNumber, IdSource, isoDay, Random, STREAMS, staffPlan } from './generator.ts';
import { costPeriods } from './costs.ts';
import { type Batch, emptyBatch, generatePerson, type JourneyContext, type Practitioner, type Row, SEED_TABLES } from './journey.ts';
import * as queries from './queries.ts';

export const DEFAULT_SEED_ORGANISATION = 'Synthetic Through the Gate Service';
/** The audit action that records each run, with its parameters and figures. */
export const SEED_EVENT = 'seed.generated';
/**
 * Raised whenever a change to the generator changes the rows a seed gives, so
 * that a benchmark does not reuse a database seeded by an older generator.
 */
export const GENERATOR_VERSION = 1;

export interface SeedOptions {
  people: number;
  years: number;
  seed: number;
  organisationName: string;
  /** The last day of the dataset (default: today in London); tests fix it so two runs match. */
  today?: string;
}

export interface SeedProgress {
  stage: string;
  rows: number;
  seconds: number;
  /** For the people stage: how many of them are done. */
  done?: number;
  total?: number;
}

export interface SeedResult {
  organisationId: string;
  rows: number;
  seconds: number;
  startsOn: string;
  endsOn: string;
}

const PEOPLE_PER_CHUNK = 2_000;
const ROWS_PER_STATEMENT = 5_000;
const CHUNKS_IN_FLIGHT = 2;
/** About 125 job development contacts each over three years. */
const SPECIALISTS_PER_CHUNK = 100;

export function seedErrors(options: SeedOptions) {
  const errors = [];
  if (!Number.isInteger(options.people) || options.people < 1 || options.people > 10_000_000) errors.push({ field: 'people', text: '--people must be a whole number from 1 to 10,000,000' });
  if (!Number.isInteger(options.years) || options.years < 1 || options.years > 20) errors.push({ field: 'years', text: '--years must be a whole number from 1 to 20' });
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) errors.push({ field: 'seed', text: '--seed must be a whole number from 0 to 4294967295' });
  if (!options.organisationName.trim()) errors.push({ field: 'organisation', text: '--organisation must not be empty' });
  return errors;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'organisation';
}

async function writeTable(db: Db, table: queries.SeedTableName, organisationId: string, rows: readonly Row[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    await queries.insertRows(db, table, organisationId, rows.slice(start, start + ROWS_PER_STATEMENT));
  }
}

/** One chunk of people with all their records, in one transaction. Returns the rows written. */
async function writePeople(db: Db, organisationId: string, batch: Batch): Promise<number> {
  await db.transaction().execute(async (trx) => {
    await queries.skipReferenceChecks(trx);
    for (const table of SEED_TABLES) await writeTable(trx, table, organisationId, batch[table]);
  });
  return SEED_TABLES.reduce((sum, table) => sum + batch[table].length, 0);
}

async function organisationFor(db: Db, name: string): Promise<string> {
  const existing = await organisations.findOrganisationByName(db, name);
  if (existing && existing.kind !== 'provider') throw new ValidationFailed([{ field: 'organisation', text: `"${name}" is not a provider organisation` }]);
  return existing?.id ?? (await organisations.createOrganisation(db, SYSTEM_ACTOR, { name, kind: 'provider' })).id;
}

/** Teams, a manager per team, specialists and caseworkers: found by their synthetic emails when a run reuses the organisation. */
async function ensureStaff(db: Db, organisationId: string, organisationName: string, plan: ReturnType<typeof staffPlan>): Promise<Practitioner[]> {
  const teamNames = Array.from({ length: plan.teams }, (_, index) => `Synthetic team ${index + 1}`);
  await queries.insertMissingTeams(db, organisationId, teamNames);
  const teamIds = new Map((await queries.findTeams(db, organisationId, teamNames)).map((team) => [team.name, team.id]));
  const domain = `${slug(organisationName)}.synthetic.invalid`;
  const wanted: Row[] = [];
  const add = (role: string, kind: string | null, label: string, number: number) =>
    wanted.push({
      email: `seed-${label}-${String(number).padStart(4, '0')}@${domain}`,
      display_name: `Synthetic ${label} ${number}`,
      role,
      practitioner_kind: kind,
      status: 'active',
      team_id: teamIds.get(teamNames[(number - 1) % plan.teams]) ?? null,
    });
  for (let n = 1; n <= plan.teams; n += 1) add('manager', null, 'manager', n);
  for (let n = 1; n <= plan.specialists; n += 1) add('practitioner', 'employment_specialist', 'specialist', n);
  for (let n = 1; n <= plan.caseworkers; n += 1) add('practitioner', 'caseworker', 'caseworker', n);
  const emails = wanted.map((user) => user.email as string);
  const existing = new Set((await queries.findUsersByEmail(db, organisationId, emails)).map((user) => user.email));
  await writeTable(db, 'app_user', organisationId, wanted.filter((user) => !existing.has(user.email as string)));
  const users = new Map((await queries.findUsersByEmail(db, organisationId, emails)).map((user) => [user.email, user]));
  return wanted
    .filter((user) => user.practitioner_kind !== null)
    .map((user) => {
      const found = users.get(user.email as string)!;
      return { id: found.id, teamId: found.team_id as string, kind: user.practitioner_kind as Practitioner['kind'] };
    });
}

const EMPLOYER_WORDS = ['Northgate', 'Riverside', 'Hillcrest', 'Parkway', 'Eastfield', 'Westbrook', 'Kingsway', 'Meadow', 'Harbour', 'Station'];
const EMPLOYER_TRADES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['construction', 'Builders', ['skilled_trades', 'elementary']],
  ['hospitality', 'Kitchens', ['elementary', 'skilled_trades', 'caring_leisure_service']],
  ['retail', 'Stores', ['sales_customer_service', 'elementary']],
  ['warehousing_logistics', 'Logistics', ['elementary', 'process_plant_machine']],
  ['manufacturing', 'Manufacturing', ['process_plant_machine', 'elementary', 'skilled_trades']],
  ['cleaning_facilities', 'Facilities', ['elementary']],
  ['health_social_care', 'Care', ['caring_leisure_service']],
  ['office_admin', 'Services', ['administrative_secretarial', 'associate_professional', 'managers_directors', 'professional']],
];

async function ensureEmployers(db: Db, organisationId: string, seed: number, count: number): Promise<string[]> {
  const random = Random.stream(seed, STREAMS.employers);
  const rows: Row[] = Array.from({ length: count }, (_, index) => {
    const [sector, trade, jobTypes] = random.pick(EMPLOYER_TRADES);
    return {
      name: `${random.pick(EMPLOYER_WORDS)} ${trade} (synthetic ${index + 1})`,
      sector_code: sector,
      size_code: random.pick(['micro', 'small', 'small', 'medium', 'large']),
      job_types: jobTypes,
      open_to_convictions: random.weighted([['yes', 50], ['case_by_case', 30], ['unknown', 15], ['no', 5]] as const),
    };
  });
  const names = rows.map((row) => row.name as string);
  const found = async () => new Map((await queries.findEmployersByName(db, organisationId, names)).map((employer) => [employer.name, employer.id]));
  const existing = await found();
  const ids = new IdSource(Date.now(), randomInt(0x4000));
  await writeTable(db, 'employer', organisationId, rows.filter((row) => !existing.has(row.name as string)).map((row) => ({ ...row, id: ids.next() })));
  const all = await found();
  return names.map((name) => all.get(name)!);
}

/** Job development: one specialist's weekly contacts with employers, on nobody's behalf in particular. */
function developmentContacts(seed: number, specialist: Practitioner, index: number, employerIds: readonly string[], startDay: number, todayDay: number, ids: IdSource): Row[] {
  const rows: Row[] = [];
  const random = Random.stream(seed, STREAMS.employerDevelopment, index);
  for (let week = startDay; week <= todayDay; week += 7) {
    const day = week + random.int(0, 4);
    if (day > todayDay || !random.chance(0.8)) continue;
    rows.push({
      id: ids.next(),
      employer_id: random.pick(employerIds),
      specialist_id: specialist.id,
      occurred_on: isoDay(day),
      method_code: random.chance(0.7) ? 'face_to_face' : 'phone',
      purpose_code: 'learning_needs',
    });
  }
  return rows;
}

/**
 * Writes a synthetic dataset into a provider organisation (made, or reused
 * by name): staff, employers, people with their journeys, job development
 * and costs; then derives every episode's stage once.
 */
export async function seedDataset(db: Db, options: SeedOptions, onProgress: (progress: SeedProgress) => void = () => {}): Promise<SeedResult> {
  const errors = seedErrors(options);
  if (errors.length > 0) throw new ValidationFailed(errors);
  const started = performance.now();
  let totalRows = 0;
  const stage = async (name: string, body: () => Promise<number>) => {
    const stageStarted = performance.now();
    const rows = await body();
    totalRows += rows;
    onProgress({ stage: name, rows, seconds: (performance.now() - stageStarted) / 1000 });
  };

  const todayDay = dayNumber(options.today ?? londonToday());
  const startDay = todayDay - options.years * 365;
  const plan = staffPlan(options.people, options.years);
  const ids = new IdSource(Date.now(), randomInt(0x4000));
  let organisationId = '';
  let practitioners: Practitioner[] = [];
  let employerIds: string[] = [];

  await stage('organisation, teams and staff', async () => {
    organisationId = await organisationFor(db, options.organisationName);
    practitioners = await ensureStaff(db, organisationId, options.organisationName, plan);
    return plan.teams * 2 + plan.specialists + plan.caseworkers;
  });
  await stage('employers', async () => {
    employerIds = await ensureEmployers(db, organisationId, options.seed, plan.employers);
    return employerIds.length;
  });

  const specialists = practitioners.filter((practitioner) => practitioner.kind === 'employment_specialist');
  const context: JourneyContext = { seed: options.seed, startDay, todayDay, practitioners, specialists, employerIds, ids };
  const firstPerson = await queries.countSyntheticPeople(db, organisationId);
  const peopleStarted = performance.now();
  let peopleRows = 0;
  let done = 0;
  // Chunks of people, each written in a transaction of its own. While one is being written the next is generated,
  // and on PostgreSQL two are written at once on two connections (PGlite's one connection takes them in turn).
  const writing: Array<Promise<number>> = [];
  const finishOldest = async () => {
    peopleRows += await writing.shift()!;
    done = Math.min(options.people, done + PEOPLE_PER_CHUNK);
    onProgress({ stage: 'people and their records', rows: peopleRows, seconds: (performance.now() - peopleStarted) / 1000, done, total: options.people });
  };
  try {
    for (let generated = 0; generated < options.people; ) {
      const chunk = Math.min(PEOPLE_PER_CHUNK, options.people - generated);
      const batch: Batch = emptyBatch();
      for (let n = 0; n < chunk; n += 1) generatePerson(context, batch, firstPerson + generated + n);
      generated += chunk;
      const written = writePeople(db, organisationId, batch);
      written.catch(() => {}); // handled when its turn comes; this keeps a failure meanwhile from counting as unhandled
      writing.push(written);
      if (writing.length >= CHUNKS_IN_FLIGHT) await finishOldest();
    }
    while (writing.length > 0) await finishOldest();
  } finally {
    // A failed chunk leaves the others to finish (or fail) before the error goes up, so no write outlives the call.
    await Promise.allSettled(writing);
  }
  totalRows += peopleRows;

  await stage('job development contacts', async () => {
    let written = 0;
    // A few specialists at a time, so a national dataset's hundreds of thousands of rows are never all in memory.
    for (let from = 0; from < specialists.length; from += SPECIALISTS_PER_CHUNK) {
      const rows = specialists
        .slice(from, from + SPECIALISTS_PER_CHUNK)
        .flatMap((specialist, offset) => developmentContacts(options.seed, specialist, from + offset, employerIds, startDay, todayDay, ids));
      await db.transaction().execute(async (trx) => {
        await queries.skipReferenceChecks(trx);
        await writeTable(trx, 'employer_contact', organisationId, rows);
      });
      written += rows.length;
    }
    return written;
  });
  await stage('cost periods', async () => {
    const rows = costPeriods(plan, practitioners, options.years, startDay);
    await writeTable(db, 'cost_period', organisationId, rows);
    return rows.length;
  });
  await stage('derived engagement stages', async () => {
    await recomputeOrganisation(db, organisationId);
    return 0;
  });
  await stage('planner statistics (vacuum analyze)', async () => {
    await queries.vacuumAnalyzeSeededTables(db);
    return 0;
  });
  const result = { organisationId, rows: totalRows, seconds: (performance.now() - started) / 1000, startsOn: isoDay(startDay + 1), endsOn: isoDay(todayDay) };
  // The whole run, so a benchmark reusing this database knows what is in it and how long it took to make.
  await audit.record(db, {
    organisationId,
    actor: SYSTEM_ACTOR,
    action: SEED_EVENT,
    subjectType: 'organisation',
    subjectId: organisationId,
    detail: {
      people: options.people,
      years: options.years,
      seed: options.seed,
      generator: GENERATOR_VERSION,
      rows: totalRows,
      seconds: Number(result.seconds.toFixed(3)),
      startsOn: result.startsOn,
      endsOn: result.endsOn,
    },
  });
  return result;
}

/** A seed run as its audit event recorded it. */
export interface SeedRun {
  organisationId: string;
  people: number;
  years: number;
  seed: number;
  generator: number | null;
  rows: number;
  /** Null for runs recorded before the seconds were. */
  seconds: number | null;
  startsOn: string | null;
  endsOn: string | null;
}

/** Every seed run recorded in the database, oldest first. */
export async function seedRuns(db: Db): Promise<SeedRun[]> {
  const rows = await queries.findSeedRuns(db, SEED_EVENT);
  return rows.map((row) => {
    const detail = row.detail as Record<string, unknown>;
    const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : null);
    const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);
    return {
      organisationId: row.organisation_id ?? '',
      people: Number(detail.people),
      years: Number(detail.years),
      seed: Number(detail.seed),
      generator: numberOrNull(detail.generator),
      rows: Number(detail.rows),
      seconds: numberOrNull(detail.seconds),
      startsOn: textOrNull(detail.startsOn),
      endsOn: textOrNull(detail.endsOn),
    };
  });
}

export const countRows = queries.countRows;
export const contentFingerprint = queries.contentFingerprint;
export const SEEDED_TABLES = queries.COUNTED_TABLES;
