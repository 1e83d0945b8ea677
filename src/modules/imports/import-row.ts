import * as audit from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { recomputeEpisodes } from '../engagement/service.ts';
import { createPerson, findMatches, type PersonMatch } from '../people/service.ts';
import * as queries from './queries.ts';
import type { ReferralRow } from './validate.ts';

export type ImportedRowOutcome = { outcome: 'imported' | 'skipped' } | { outcome: 'error'; problems: string[] };

// findMatches explains each match; these are the explanations that mean "shares an identifier".
const IDENTIFIER_REASONS = new Set(['Same prison number', 'Same CRN', 'Same PNC ID', 'Same NHS number', 'Same National Insurance number']);

class RowRefused extends Error {}

/** The person a row describes, as the people service takes one. */
export function personOf(row: ReferralRow) {
  return {
    givenName: row.givenName,
    familyName: row.familyName,
    dateOfBirth: row.dateOfBirth,
    sex: row.sex,
    ethnicity: row.ethnicity,
    prisonNumber: row.prisonNumber,
    crn: row.crn,
    pncId: row.pncId,
    nhsNumber: row.nhsNumber,
    niNumber: row.niNumber,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

// What localeCompare(b, 'en', { sensitivity: 'base' }) does, with one collator made once: case and accents ignored.
const baseLetters = new Intl.Collator('en', { sensitivity: 'base' });

/** Whether two names are the same for matching: "nora" is "Nora", "Sian" is "Siân". */
export const sameName = (a: string, b: string) => baseLetters.compare(a, b) === 0;

/** Why a row that fits more than one person is refused; the bulk path (import-chunk.ts) gives the same reason. */
export function ambiguousMatch(people: number, what: 'identifier' | 'name and date of birth'): string {
  return `matches ${people} people by ${what}: merge the duplicate records, then import the row again`;
}

/**
 * Search before create: a person of the organisation who shares any
 * identifier with the row; else one with exactly the same names and date of
 * birth; else nobody (a new person is created). When more than one person
 * fits, the row is refused rather than guessed at: the duplicates need merging first.
 */
async function matchPerson(trx: Db, principal: Principal, row: ReferralRow): Promise<string | null> {
  const matches = await findMatches(
    trx,
    principal,
    {
      name: `${row.givenName} ${row.familyName}`,
      dateOfBirth: row.dateOfBirth ?? undefined,
      identifiers: {
        prisonNumber: row.prisonNumber ?? undefined,
        crn: row.crn ?? undefined,
        pncId: row.pncId ?? undefined,
        nhsNumber: row.nhsNumber ?? undefined,
        niNumber: row.niNumber ?? undefined,
      },
    },
    50,
  );
  const pick = (found: PersonMatch[], what: 'identifier' | 'name and date of birth') => {
    if (found.length > 1) throw new RowRefused(ambiguousMatch(found.length, what));
    return found[0]?.id ?? null;
  };
  const byIdentifier = matches.filter((match) => match.reasons.some((reason) => IDENTIFIER_REASONS.has(reason)));
  if (byIdentifier.length > 0) return pick(byIdentifier, 'identifier');
  if (!row.dateOfBirth) return null;
  const byNameAndBirth = matches.filter(
    (match) => match.dateOfBirth === row.dateOfBirth && sameName(match.givenName, row.givenName) && sameName(match.familyName, row.familyName),
  );
  return pick(byNameAndBirth, 'name and date of birth');
}

/**
 * Imports one checked row in its own transaction: the matched or new person,
 * an episode and its pending referral, the prison and conditional release
 * date when given, the derived stage, and one audit event. Any failure rolls
 * the whole row back.
 */
export async function importRow(
  db: Db,
  principal: Principal,
  item: { batchId: string; line: number; row: ReferralRow },
): Promise<ImportedRowOutcome> {
  const { row } = item;
  const organisationId = principal.organisationId;
  try {
    return await db.transaction().execute(async (trx): Promise<ImportedRowOutcome> => {
      if (await queries.referralByExternalId(trx, organisationId, row.sourceSystem, row.externalId)) return { outcome: 'skipped' };
      const matched = await matchPerson(trx, principal, row);
      const personId =
        matched ??
        (
          await createPerson(trx, principal, personOf(row))
        ).id;
      const episode = await queries.insertEpisode(trx, organisationId, personId, row.receivedOn);
      await queries.insertReferral(trx, {
        episode_id: episode.id,
        organisation_id: organisationId,
        source_code: row.referralSource,
        referring_organisation: row.referringOrganisation,
        received_on: row.receivedOn,
        reason: row.reason,
        created_by: principal.userId,
        external_source: row.sourceSystem,
        external_id: row.externalId,
      });
      if (row.prison) await queries.insertPrisonStay(trx, organisationId, episode.id, row.prison);
      if (row.conditionalReleaseDate) await queries.insertConditionalReleaseDate(trx, organisationId, episode.id, row.conditionalReleaseDate);
      await recomputeEpisodes(trx, organisationId, [episode.id]);
      await audit.record(trx, {
        organisationId,
        actor: actorOf(principal),
        action: 'import.row-imported',
        subjectType: 'episode',
        subjectId: episode.id,
        detail: {
          batchId: item.batchId,
          line: item.line,
          externalSource: row.sourceSystem,
          externalId: row.externalId,
          personId,
          newPerson: matched === null,
        },
      });
      return { outcome: 'imported' };
    });
  } catch (error) {
    // Someone imported the same referral between our check and our insert: it exists, so this row is a skip.
    if (isUniqueViolation(error)) return { outcome: 'skipped' };
    if (error instanceof RowRefused) return { outcome: 'error', problems: [error.message] };
    if (error instanceof ValidationFailed) return { outcome: 'error', problems: error.errors.map((e) => `${e.field}: ${e.text}`) };
    throw error;
  }
}
