/**
 * The pure parts of the synthetic dataset: a seeded random stream, the
 * distributions people are drawn from, synthetic identifiers and ids. Nothing
 * here touches the database or the clock, so the same seed always gives the
 * same values (the tests hold it to that).
 */

/** mulberry32: small, fast and good enough for synthetic data; never Math.random, so a seed reproduces a dataset. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes two 32-bit numbers (murmur3's finaliser), so each person gets an independent stream from (seed, index). */
export function mix32(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Weighted choices; a null value is "not recorded". */
export type Weights<T extends string> = ReadonlyArray<readonly [T | null, number]>;

export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A stream for one part of the dataset (a person, the employers), independent of how many others there are. */
  static stream(seed: number, part: number, index = 0): Random {
    return new Random(mix32(mix32(seed, part), index));
  }

  float(): number {
    return this.next();
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T extends string>(weights: Weights<T>): T | null {
    const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of weights) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return weights[weights.length - 1][0];
  }
}

export const STREAMS = { people: 1, employers: 2, staff: 3, employerDevelopment: 4 } as const;

// Shares loosely follow published prison-population and IPS-in-prison evaluation figures; codes are from migrations 0002 and 0006.
export const REFERRAL_SOURCES: Weights<string> = [
  ['prison_mental_health_in_reach', 22],
  ['offender_management_unit', 15],
  ['prison_resettlement_team', 18],
  ['probation', 12],
  ['integrated_offender_management', 6],
  ['employment_programme', 5],
  ['other_charity', 6],
  ['family_member', 3],
  ['self', 7],
  ['researcher', 2],
  ['other', 2],
  [null, 2],
];
export const PRISON_SOURCES = new Set(['prison_mental_health_in_reach', 'offender_management_unit', 'prison_resettlement_team']);

export const OFFENCES: Weights<string> = [
  ['acquisitive', 30],
  ['violent_high', 15],
  ['violent_low', 20],
  ['sexual', 6],
  ['drug_supply', 15],
  ['other', 10],
  [null, 4],
];

export const DIAGNOSES: Weights<string> = [
  ['psychosis', 10],
  ['depression', 18],
  ['anxiety', 12],
  ['mixed_anxiety_depression', 15],
  ['substance_misuse', 15],
  ['adhd', 7],
  ['autistic_spectrum', 3],
  ['personality_disorder', 8],
  ['ocd', 1],
  ['ptsd', 6],
  ['unknown', 3],
  [null, 2],
];

export const SEXES: Weights<string> = [
  ['male', 85],
  ['female', 13],
  ['not_stated', 1],
  [null, 1],
];

export const ETHNICITIES: Weights<string> = [
  ['white_british', 62],
  ['white_irish', 1],
  ['white_gypsy_irish_traveller', 2],
  ['white_other', 6],
  ['black_caribbean', 5],
  ['black_african', 4],
  ['black_other', 2],
  ['asian_pakistani', 3],
  ['asian_indian', 1],
  ['asian_bangladeshi', 1],
  ['asian_other', 2],
  ['mixed_white_black_caribbean', 4],
  ['mixed_other', 2],
  ['other_any', 2],
  ['not_stated', 1],
  [null, 2],
];

export const PRISONS = [
  'altcourse', 'bedford', 'belmarsh', 'berwyn', 'birmingham', 'bristol', 'brixton', 'bronzefield', 'bullingdon', 'cardiff',
  'chelmsford', 'doncaster', 'durham', 'elmley', 'exeter', 'forest_bank', 'hewell', 'high_down', 'hull', 'leeds',
  'leicester', 'lewes', 'lincoln', 'liverpool', 'manchester', 'norwich', 'nottingham', 'oakwood', 'parc', 'pentonville',
  'peterborough', 'preston', 'risley', 'styal', 'swansea', 'thameside', 'wandsworth', 'winchester', 'wormwood_scrubs', 'wymott',
] as const;

export const SOC_GROUPS: Weights<string> = [
  ['elementary', 34],
  ['skilled_trades', 16],
  ['process_plant_machine', 14],
  ['sales_customer_service', 12],
  ['caring_leisure_service', 10],
  ['administrative_secretarial', 6],
  ['associate_professional', 5],
  ['managers_directors', 2],
  ['professional', 1],
];

export const JOB_TITLES: Record<string, readonly string[]> = {
  elementary: ['Warehouse operative', 'Kitchen porter', 'Cleaner', 'Labourer', 'Packer'],
  skilled_trades: ['Plasterer', 'Bricklayer', 'Painter and decorator', 'Chef', 'Mechanic'],
  process_plant_machine: ['Forklift driver', 'Machine operator', 'Delivery driver'],
  sales_customer_service: ['Sales assistant', 'Call centre adviser', 'Customer service assistant'],
  caring_leisure_service: ['Support worker', 'Gym assistant', 'Care assistant'],
  administrative_secretarial: ['Administrator', 'Receptionist', 'Data entry clerk'],
  associate_professional: ['Peer mentor', 'IT support technician', 'Sports coach'],
  managers_directors: ['Shift supervisor', 'Site manager'],
  professional: ['Youth worker', 'Quantity surveyor'],
};

export const GIVEN_NAMES = [
  'Aaron', 'Adam', 'Ali', 'Amir', 'Ben', 'Callum', 'Chloe', 'Connor', 'Daniel', 'Darren', 'Dean', 'Emma', 'Femi', 'Gary',
  'Grace', 'Hassan', 'Jack', 'Jade', 'Jamal', 'Jason', 'Kayleigh', 'Kieran', 'Kofi', 'Lee', 'Leon', 'Liam', 'Marcus', 'Mark',
  'Michael', 'Mohammed', 'Nathan', 'Paul', 'Reece', 'Ryan', 'Sam', 'Sarah', 'Scott', 'Shane', 'Stacey', 'Tyrone', 'Wayne', 'Zoe',
] as const;

export const FAMILY_NAMES = [
  'Adeyemi', 'Ahmed', 'Baker', 'Begum', 'Brown', 'Campbell', 'Clarke', 'Davies', 'Evans', 'Green', 'Hall', 'Harris', 'Hughes',
  'Hussain', 'Jackson', 'Johnson', 'Jones', 'Kaur', 'Khan', 'Lewis', 'Martin', "O'Brien", 'Okafor', 'Patel', 'Roberts',
  'Robinson', 'Smith', 'Taylor', 'Thomas', 'Thompson', 'Walker', 'White', 'Williams', 'Wilson', 'Wood', 'Wright', 'Young',
] as const;

/** Age on the referral date, 18 to 70, skewed young (median about 33, as in the prison population). */
export function ageAtReferral(random: Random): number {
  return 18 + Math.floor(52 * random.float() ** 1.8);
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A prison number of the right shape (A1234BC) that no real one is: real
 * numbers start A to H, these start Z, Y, X … counting down as the numbers run out.
 */
export function syntheticPrisonNumber(personNumber: number): string {
  const block = Math.floor(personNumber / 6_760_000);
  const inBlock = personNumber % 6_760_000;
  const digits = String(inBlock % 10_000).padStart(4, '0');
  const pair = Math.floor(inBlock / 10_000);
  return `${LETTERS[25 - (block % 26)]}${digits}${LETTERS[Math.floor(pair / 26)]}${LETTERS[pair % 26]}`;
}

/** A probation case reference of the right shape (A123456), again from the end of the alphabet. */
export function syntheticCrn(personNumber: number): string {
  return `${LETTERS[25 - (Math.floor(personNumber / 1_000_000) % 26)]}${String(personNumber % 1_000_000).padStart(6, '0')}`;
}

/** Ofcom's range for drama (07700 900000 to 900999): never a real phone. */
export function syntheticPhone(personNumber: number): string {
  return `07700 900${String(personNumber % 1000).padStart(3, '0')}`;
}

/** The adult minimum wage from each April, so a competitive job pays at least the rate on its start date. */
const ADULT_MINIMUM_WAGE: ReadonlyArray<readonly [string, number]> = [
  ['2026-04-01', 12.71],
  ['2025-04-01', 12.21],
  ['2024-04-01', 11.44],
  ['2023-04-01', 10.42],
  ['2022-04-01', 9.5],
  ['2021-04-01', 8.91],
  ['2020-04-01', 8.72],
  ['2019-04-01', 8.21],
  ['2018-04-01', 7.83],
  ['2017-04-01', 7.5],
];

export function adultMinimumWage(onDate: string): number {
  return (ADULT_MINIMUM_WAGE.find(([from]) => from <= onDate) ?? ADULT_MINIMUM_WAGE[ADULT_MINIMUM_WAGE.length - 1])[1];
}

/** How many staff a service of this size has: about 50 new referrals a year per employment specialist. */
export function staffPlan(people: number, years: number) {
  const specialists = Math.max(2, Math.ceil(people / (years * 50)));
  const caseworkers = Math.max(1, Math.ceil(specialists / 2));
  const teams = Math.max(1, Math.ceil((specialists + caseworkers) / 10));
  return { specialists, caseworkers, teams, employers: Math.max(10, Math.ceil(people / 25)) };
}

const DAY_MS = 86_400_000;

/** Calendar dates as day numbers (days since 1970-01-01), so the journey does arithmetic on integers. */
export function dayNumber(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

const isoCache = new Map<number, string>();
export function isoDay(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

/**
 * UUIDv7-shaped ids made in the process: the run's start time, a per-run
 * tag and a counter. Time-ordered like the database's uuid_v7(), so a big
 * seed appends to btree indexes, but without a function call per row.
 */
export class IdSource {
  private counter = 0;
  private readonly prefix: string;
  private readonly variant: string;

  constructor(startedAtMs: number, runTag: number) {
    const ms = startedAtMs.toString(16).padStart(12, '0');
    const tag = (runTag & 0xfff).toString(16).padStart(3, '0');
    this.prefix = `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${tag}-`;
    this.variant = (8 + ((runTag >>> 12) & 3)).toString(16);
  }

  next(): string {
    this.counter += 1;
    const count = this.counter.toString(16).padStart(15, '0');
    return `${this.prefix}${this.variant}${count.slice(0, 3)}-${count.slice(3)}`;
  }
}
