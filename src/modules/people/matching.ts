import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { pncMatchKey, validateIdentifiers } from './identifiers.ts';
import * as queries from './queries.ts';

export interface MatchQuery {
  name?: string;
  dateOfBirth?: string;
  identifiers?: { prisonNumber?: string; crn?: string; pncId?: string; nhsNumber?: string; niNumber?: string };
}

export interface PersonMatch {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  prisonNumber: string | null;
  score: number;
  reasons: string[];
}

const IDENTIFIER_REASONS = [
  ['prisonNumber', 'prison_number', 'Same prison number'],
  ['crn', 'crn', 'Same CRN'],
  ['nhsNumber', 'nhs_number', 'Same NHS number'],
  ['niNumber', 'ni_number', 'Same National Insurance number'],
] as const;

/**
 * Likely duplicates, best first, each with why it matched: shared
 * identifiers weigh most, then a similar name (either order, or an alias),
 * then the same date of birth. Invalid identifiers are ignored here; the
 * create form reports them.
 */
export async function findMatches(db: Db, principal: Principal, query: MatchQuery, limit = 10): Promise<PersonMatch[]> {
  // Not for intake:create alone: matches show other people's names and dates of birth.
  assertCan(principal, 'people:view');
  const ids = validateIdentifiers(query.identifiers ?? {}).values;
  const pncKey = ids.pncId ? pncMatchKey(ids.pncId) : null;
  const name = (query.name ?? '').trim().replace(/\s+/g, ' ');
  const dateOfBirth = /^\d{4}-\d{2}-\d{2}$/.test(query.dateOfBirth ?? '') ? (query.dateOfBirth as string) : null;
  const rows = await queries.matchCandidates(db, principal.organisationId, { name, dateOfBirth, identifiers: { ...ids, pncKey } }, 50);
  const matches = rows.map((row) => {
    const reasons: string[] = [];
    let score = 0;
    for (const [field, column, reason] of IDENTIFIER_REASONS) {
      if (ids[field] && row[column] === ids[field]) {
        reasons.push(reason);
        score += 100;
      }
    }
    if (pncKey && row.pnc_id && pncMatchKey(row.pnc_id) === pncKey) {
      reasons.push('Same PNC ID');
      score += 100;
    }
    if (name) {
      const nameScore = Number(row.name_score);
      const aliasScore = Number(row.alias_score);
      if (nameScore >= 0.99) reasons.push('Same name');
      else if (nameScore >= 0.3) reasons.push('Similar name');
      if (aliasScore >= 0.3 && aliasScore > nameScore) reasons.push('Similar to another name they are known by');
      score += Math.round(Math.max(nameScore, aliasScore) * 60);
    }
    if (dateOfBirth && row.date_of_birth === dateOfBirth) {
      reasons.push('Same date of birth');
      score += 30;
    }
    return {
      id: row.id,
      givenName: row.given_name,
      familyName: row.family_name,
      dateOfBirth: row.date_of_birth,
      prisonNumber: row.prison_number,
      score,
      reasons,
    };
  });
  return matches
    .filter((match) => match.reasons.length > 0)
    .sort((a, b) => b.score - a.score || a.familyName.localeCompare(b.familyName))
    .slice(0, limit);
}

export type { CandidatePerson } from './queries.ts';

/** One row of a bulk match: a name, maybe a date of birth, and identifiers as given (normalised here as findMatches does). */
export interface BulkMatchQuery {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  identifiers: { prisonNumber?: string | null; crn?: string | null; pncId?: string | null; nhsNumber?: string | null; niNumber?: string | null };
}

/**
 * Candidates for many rows in two statements (the importer's chunks, where
 * findMatches a row would cost a trigram search a row): everyone sharing an
 * identifier with any row, and everyone born on a row's date of birth whose
 * names may be the row's (person_name_key: coarser than an exact comparison,
 * which the caller makes). The caller applies its own rules to them.
 */
export async function bulkMatchCandidates(db: Db, principal: Principal, rows: readonly BulkMatchQuery[]) {
  assertCan(principal, 'people:view');
  const sets: queries.IdentifierSets = { prisonNumbers: [], crns: [], pncKeys: [], nhsNumbers: [], niNumbers: [] };
  const names = new Map<string, { givenName: string; familyName: string; dateOfBirth: string }>();
  for (const row of rows) {
    const ids = validateIdentifiers(row.identifiers).values;
    if (ids.prisonNumber) sets.prisonNumbers.push(ids.prisonNumber);
    if (ids.crn) sets.crns.push(ids.crn);
    if (ids.pncId) sets.pncKeys.push(pncMatchKey(ids.pncId));
    if (ids.nhsNumber) sets.nhsNumbers.push(ids.nhsNumber);
    if (ids.niNumber) sets.niNumbers.push(ids.niNumber);
    if (row.dateOfBirth) {
      const name = { givenName: row.givenName, familyName: row.familyName, dateOfBirth: row.dateOfBirth };
      names.set(JSON.stringify(name), name);
    }
  }
  const byIdentifier = await queries.peopleHoldingIdentifiers(db, principal.organisationId, sets);
  const byBirthAndName = await queries.peopleByBirthAndNameKey(db, principal.organisationId, [...names.values()]);
  return { byIdentifier, byBirthAndName };
}
