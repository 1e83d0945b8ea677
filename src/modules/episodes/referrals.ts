import * as audit from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { type FieldError, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { reassignPendingTasks } from '../custody/service.ts';
import { recomputeEpisodes } from '../engagement/service.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { teamOfUser } from '../users/service.ts';
import * as queries from './queries.ts';
import { londonToday, parseVersion, requiredText, StaleEpisode } from './rules.ts';

/** What a new referral says. Codes are reference-list codes; dates are YYYY-MM-DD. */
export interface NewReferral {
  personId: string;
  receivedOn: string;
  sourceCode: string | null;
  referringOrganisation: string | null;
  referrerName: string | null;
  referrerContact: string | null;
  reason: string | null;
  personKnows: boolean | null;
  personAgrees: boolean | null;
  agreementConfirmedBy: string | null;
  agreementConfirmedOn: string | null;
  externalSource?: string | null;
  externalId?: string | null;
}

export class SecondOpenEpisode extends ValidationFailed {
  readonly openEpisodeId: string;
  constructor(openEpisodeId: string) {
    super([
      {
        field: 'person',
        text: 'This person already has an open episode of support. Close it, or record this referral on it, before opening another',
      },
    ]);
    this.openEpisodeId = openEpisodeId;
  }
}

/**
 * Opens an episode from a referral, inside the caller's transaction: the
 * episode (referred on the date received, in the creating user's team), its
 * pending referral, the first allocation when there is a key worker, the
 * audit row and the derived stage. Refuses a second open episode for one
 * person; a lock serialises concurrent submissions for that person.
 *
 * The referral starts pending even when a practitioner enters it: accepting
 * is a separate, audited decision (who and when), often made only after the
 * first meeting confirms the person wants to take part.
 */
export async function openEpisodeInto(
  trx: Db,
  principal: Principal,
  input: NewReferral,
  options: { keyWorkerId: string | null; createdByPeerAdvisor: boolean },
): Promise<{ episodeId: string }> {
  const organisationId = principal.organisationId;
  await queries.lockPersonEpisodes(trx, input.personId);
  const open = await queries.openEpisodeFor(trx, organisationId, input.personId);
  if (open) throw new SecondOpenEpisode(open.id);
  const teamId = principal.userId ? await teamOfUser(trx, organisationId, principal.userId) : null;
  const episode = await queries.insertEpisode(trx, {
    organisation_id: organisationId,
    person_id: input.personId,
    team_id: teamId,
    key_worker_id: options.keyWorkerId,
    referred_on: input.receivedOn,
  });
  await queries.insertReferral(trx, {
    episode_id: episode.id,
    organisation_id: organisationId,
    status: 'pending',
    source_code: input.sourceCode,
    referring_organisation: input.referringOrganisation,
    referrer_name: input.referrerName,
    referrer_contact: input.referrerContact,
    received_on: input.receivedOn,
    reason: input.reason,
    person_knows: input.personKnows,
    person_agrees: input.personAgrees,
    agreement_confirmed_by: input.agreementConfirmedBy,
    agreement_confirmed_on: input.agreementConfirmedOn,
    created_by: principal.userId,
    created_by_peer_advisor: options.createdByPeerAdvisor,
    external_source: input.externalSource ?? null,
    external_id: input.externalId ?? null,
  });
  if (options.keyWorkerId) {
    await queries.insertAllocation(trx, {
      organisation_id: organisationId,
      episode_id: episode.id,
      worker_id: options.keyWorkerId,
      allocated_by: principal.userId,
      handover_note: null,
    });
  }
  await audit.record(trx, {
    organisationId,
    actor: actorOf(principal),
    action: 'referral.created',
    subjectType: 'episode',
    subjectId: episode.id,
    detail: {
      personId: input.personId,
      receivedOn: input.receivedOn,
      sourceCode: input.sourceCode,
      peerAdvisor: options.createdByPeerAdvisor,
      keyWorkerId: options.keyWorkerId,
    },
  });
  await recomputeEpisodes(trx, organisationId, [episode.id]);
  return { episodeId: episode.id };
}

export type Decision = 'accept' | 'decline' | 'withdraw';

const DECISION_LISTS = { decline: 'referral_decline_reason', withdraw: 'referral_withdrawal_reason' } as const;
const DECISION_STATUS = { accept: 'accepted', decline: 'declined', withdraw: 'withdrawn' } as const;

export interface DecisionInput {
  reasonCode: string;
  note: string;
  version: string;
}

/** Checks a decline or withdrawal reason before anything is asked or saved. */
export async function checkDecision(db: Db, principal: Principal, decision: Decision, input: DecisionInput) {
  assertCan(principal, 'referrals:decide');
  if (decision === 'accept') return { reasonCode: null, note: null };
  const list = DECISION_LISTS[decision];
  const reference = await loadReferenceData(db, principal.organisationId, [list]);
  const errors: FieldError[] = [];
  const verb = decision === 'decline' ? 'declined' : 'withdrawn';
  let reasonCode: string | null = null;
  if (!input.reasonCode) errors.push({ field: 'reasonCode', text: `Select why the referral is being ${verb}` });
  else reasonCode = reference.check(list, input.reasonCode, 'reasonCode', errors, 'Select a reason from the list');
  const note = requiredText(input.note, 'note', `Explain why the referral is being ${verb}`, 2000, errors);
  if (errors.length > 0) throw new ValidationFailed(errors);
  return { reasonCode, note };
}

/**
 * Accepts, declines or withdraws a pending referral, if it is still at the
 * version the page showed. Accepting an episode nobody holds yet (a peer
 * advisor's intake) makes the accepting practitioner its key worker.
 */
export async function decideReferral(db: Db, principal: Principal, episodeId: string, decision: Decision, input: DecisionInput) {
  const checked = await checkDecision(db, principal, decision, input);
  if (!isUuid(episodeId)) throw new NotFound();
  const organisationId = principal.organisationId;
  await inTransaction(db, async (trx) => {
    const episode = await queries.findEpisode(trx, organisationId, episodeId, { forUpdate: true });
    const referral = episode && (await queries.findReferral(trx, organisationId, episodeId, { forUpdate: true }));
    if (!episode || !referral) throw new NotFound();
    if (referral.version !== parseVersion(input.version)) throw new StaleEpisode(episodeId);
    if (referral.status !== 'pending') {
      throw new ValidationFailed([{ field: 'decision', text: 'This referral has already been decided' }]);
    }
    const updated = await queries.updateReferralIfCurrent(trx, organisationId, episodeId, referral.version, {
      status: DECISION_STATUS[decision],
      decision_reason_code: checked.reasonCode,
      decision_note: checked.note,
      decided_on: londonToday(),
      decided_by: principal.userId,
    });
    if (!updated) throw new StaleEpisode(episodeId);
    const takesOver = decision === 'accept' && !episode.key_worker_id && principal.userId !== null;
    if (takesOver) {
      await queries.updateEpisodeIfCurrent(trx, organisationId, episodeId, episode.version, { key_worker_id: principal.userId });
      await queries.insertAllocation(trx, {
        organisation_id: organisationId,
        episode_id: episodeId,
        worker_id: principal.userId as string,
        allocated_by: principal.userId,
        handover_note: null,
      });
      // Tasks made before anyone held the episode go to its first key worker.
      await reassignPendingTasks(trx, organisationId, episodeId, principal.userId);
    }
    await audit.record(trx, {
      organisationId,
      actor: actorOf(principal),
      action: `referral.${DECISION_STATUS[decision]}`,
      subjectType: 'episode',
      subjectId: episodeId,
      detail: { reasonCode: checked.reasonCode, becameKeyWorker: takesOver },
      reason: checked.note ?? undefined,
    });
    await recomputeEpisodes(trx, organisationId, [episodeId]);
  });
}

export interface PendingFilters {
  peerOnly: boolean;
}

/** Pending referrals for practitioners to complete, oldest first. */
export async function listPendingReferrals(db: Db, principal: Principal, filters: PendingFilters, page: { limit: number; offset: number }) {
  assertCan(principal, 'people:view');
  const { rows, total } = await queries.pendingReferrals(db, principal.organisationId, filters, page.limit, page.offset);
  const reference = await loadReferenceData(db, principal.organisationId, ['referral_source']);
  return {
    total,
    referrals: rows.map((row) => ({
      episodeId: row.episode_id,
      personName: `${row.preferred_name || row.given_name} ${row.family_name}`,
      prisonNumber: row.prison_number,
      receivedOn: row.received_on,
      sourceLabel: row.created_by_peer_advisor ? 'Peer advisor intake' : reference.label('referral_source', row.source_code),
      reason: row.reason,
    })),
  };
}
