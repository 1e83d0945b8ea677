import * as audit from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import { uuidV7 } from '../../platform/db/uuid-v7.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { recomputeEpisodes } from '../engagement/service.ts';
import { pncMatchKey } from '../people/identifiers.ts';
import { bulkMatchCandidates, type CandidatePerson, createPeople } from '../people/service.ts';
import { ambiguousMatch, type ImportedRowOutcome, importRow, personOf, sameName } from './import-row.ts';
import * as queries from './queries.ts';
import type { ReferralRow } from './validate.ts';

/** A row that passed checkRow, with its line in the file. */
export interface CheckedRow {
  line: number;
  row: ReferralRow;
}

export interface ChunkOutcome {
  line: number;
  outcome: ImportedRowOutcome;
}

/** Called when a chunk could not be written in bulk and was imported row by row instead. */
export type ChunkRetried = (retried: { firstLine: number; lastLine: number; error: unknown }) => void;

const pairKey = (source: string, id: string) => `${source}\u0000${id}`;

/** The identifiers a row or person can be matched on, each as "kind:value" (PNC ids by their century-free key). */
function identifierKeys(ids: {
  prisonNumber: string | null;
  crn: string | null;
  pncId: string | null;
  nhsNumber: string | null;
  niNumber: string | null;
}): string[] {
  const keys: string[] = [];
  if (ids.prisonNumber) keys.push(`prison:${ids.prisonNumber}`);
  if (ids.crn) keys.push(`crn:${ids.crn}`);
  if (ids.pncId) keys.push(`pnc:${pncMatchKey(ids.pncId)}`);
  if (ids.nhsNumber) keys.push(`nhs:${ids.nhsNumber}`);
  if (ids.niNumber) keys.push(`ni:${ids.niNumber}`);
  return keys;
}

const candidateKeys = (person: CandidatePerson) =>
  identifierKeys({
    prisonNumber: person.prison_number,
    crn: person.crn,
    pncId: person.pnc_id,
    nhsNumber: person.nhs_number,
    niNumber: person.ni_number,
  });

/**
 * The people a chunk's rows can match: the candidates the database gave for
 * the whole chunk, plus the people created by earlier rows of the chunk, so a
 * later row finds them as it would have row by row. A person is known by a
 * reference: their id, or "new:N" for the chunk's Nth new person.
 */
class PeopleIndex {
  private readonly byIdentifier = new Map<string, Set<string>>();
  private readonly byBirth = new Map<string, Map<string, { givenName: string; familyName: string }>>();

  addIdentifiers(ref: string, keys: readonly string[]) {
    for (const key of keys) {
      const refs = this.byIdentifier.get(key) ?? new Set<string>();
      refs.add(ref);
      this.byIdentifier.set(key, refs);
    }
  }

  addBirth(ref: string, dateOfBirth: string | null, givenName: string, familyName: string) {
    if (!dateOfBirth) return;
    const born = this.byBirth.get(dateOfBirth) ?? new Map();
    born.set(ref, { givenName, familyName });
    this.byBirth.set(dateOfBirth, born);
  }

  /** The same rules as import-row.ts's matchPerson: a reference, null for nobody, or why the row is refused. */
  match(row: ReferralRow): { ref: string | null } | { refused: string } {
    const byIdentifier = new Set<string>();
    for (const key of identifierKeys(row)) for (const ref of this.byIdentifier.get(key) ?? []) byIdentifier.add(ref);
    if (byIdentifier.size > 1) return { refused: ambiguousMatch(byIdentifier.size, 'identifier') };
    if (byIdentifier.size === 1) return { ref: [...byIdentifier][0] };
    if (!row.dateOfBirth) return { ref: null };
    const byName = [...(this.byBirth.get(row.dateOfBirth) ?? [])].filter(
      ([, person]) => sameName(person.givenName, row.givenName) && sameName(person.familyName, row.familyName),
    );
    if (byName.length > 1) return { refused: ambiguousMatch(byName.length, 'name and date of birth') };
    return { ref: byName[0]?.[0] ?? null };
  }
}

/** What one row of the chunk will write, decided before anything is written. */
interface Planned {
  item: CheckedRow;
  personRef: string;
  createsPerson: boolean;
}

/**
 * Writes a chunk in one transaction with set-based SQL, deciding each row as
 * importRow would: skipped when its (source_system, external_id) already has
 * a referral or an earlier row of the file took it; refused when it fits more
 * than one person; otherwise matched or a new person, then an episode,
 * pending referral, prison stay, conditional release date, derived stage and
 * one `import.row-imported` event.
 */
async function writeChunk(trx: Db, principal: Principal, batchId: string, rows: readonly CheckedRow[]): Promise<ChunkOutcome[]> {
  const organisationId = principal.organisationId;
  const existing = await queries.existingExternalIds(
    trx,
    organisationId,
    rows.map(({ row }) => ({ source: row.sourceSystem, id: row.externalId })),
  );
  const candidates = await bulkMatchCandidates(
    trx,
    principal,
    rows.filter(({ row }) => !existing.has(pairKey(row.sourceSystem, row.externalId))).map(({ row }) => ({ ...row, identifiers: row })),
  );
  const people = new PeopleIndex();
  for (const person of candidates.byIdentifier) people.addIdentifiers(person.id, candidateKeys(person));
  for (const person of candidates.byBirthAndName) people.addBirth(person.id, person.date_of_birth, person.given_name, person.family_name);

  const outcomes: ChunkOutcome[] = [];
  const planned: Planned[] = [];
  const newPeople: ReferralRow[] = [];
  for (const item of rows) {
    const { row } = item;
    const key = pairKey(row.sourceSystem, row.externalId);
    if (existing.has(key)) {
      outcomes.push({ line: item.line, outcome: { outcome: 'skipped' } });
      continue;
    }
    const matched = people.match(row);
    if ('refused' in matched) {
      outcomes.push({ line: item.line, outcome: { outcome: 'error', problems: [matched.refused] } });
      continue;
    }
    let personRef = matched.ref;
    if (personRef === null) {
      personRef = `new:${newPeople.length}`;
      newPeople.push(row);
      people.addIdentifiers(personRef, identifierKeys(row));
      people.addBirth(personRef, row.dateOfBirth, row.givenName, row.familyName);
    }
    // A row repeated later in the file is skipped, as one imported before.
    existing.add(key);
    planned.push({ item, personRef, createsPerson: matched.ref === null });
    outcomes.push({ line: item.line, outcome: { outcome: 'imported' } });
  }

  const newIds = await createPeople(
    trx,
    principal,
    newPeople.map(personOf),
  );
  const personId = (ref: string) => (ref.startsWith('new:') ? newIds[Number(ref.slice(4))] : ref);
  const referrals: queries.NewReferral[] = planned.map(({ item: { row }, personRef }) => ({
    episodeId: uuidV7(),
    personId: personId(personRef),
    receivedOn: row.receivedOn,
    sourceCode: row.referralSource,
    referringOrganisation: row.referringOrganisation,
    reason: row.reason,
    externalSource: row.sourceSystem,
    externalId: row.externalId,
    prisonStayId: row.prison ? uuidV7() : null,
    prisonCode: row.prison,
    conditionalReleaseDate: row.conditionalReleaseDate,
  }));
  await queries.insertReferralsInBulk(trx, organisationId, principal.userId, referrals);
  await recomputeEpisodes(
    trx,
    organisationId,
    referrals.map((referral) => referral.episodeId),
  );
  await audit.recordMany(
    trx,
    planned.map(({ item, createsPerson }, index) => ({
      organisationId,
      actor: actorOf(principal),
      action: 'import.row-imported',
      subjectType: 'episode',
      subjectId: referrals[index].episodeId,
      detail: {
        batchId,
        line: item.line,
        externalSource: item.row.sourceSystem,
        externalId: item.row.externalId,
        personId: referrals[index].personId,
        newPerson: createsPerson,
      },
    })),
  );
  return outcomes;
}

/**
 * Imports a chunk of checked rows in one transaction. If that fails (another
 * import wrote the same referral meanwhile, or any other error), it is rolled
 * back whole and the rows are imported one by one with importRow, so one bad
 * row never costs the others and each row's outcome is what it always was.
 */
export async function importChunk(
  db: Db,
  principal: Principal,
  batchId: string,
  rows: readonly CheckedRow[],
  onRetried?: ChunkRetried,
): Promise<ChunkOutcome[]> {
  if (rows.length === 0) return [];
  try {
    return await db.transaction().execute((trx) => writeChunk(trx, principal, batchId, rows));
  } catch (error) {
    onRetried?.({ firstLine: rows[0].line, lastLine: rows[rows.length - 1].line, error });
    const outcomes: ChunkOutcome[] = [];
    for (const item of rows) outcomes.push({ line: item.line, outcome: await importRow(db, principal, { batchId, ...item }) });
    return outcomes;
  }
}
