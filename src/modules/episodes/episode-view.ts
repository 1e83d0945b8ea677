import { STAGE_LABELS } from '../engagement/service.ts';
import type { PersonSummary } from '../people/service.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import type * as queries from './queries.ts';

/** The reference lists the episode page labels codes from. */
export const VIEW_LISTS = [
  'exit_reason',
  'referral_source',
  'referral_decline_reason',
  'referral_withdrawal_reason',
  'custody_event_kind',
  'custody_event_reason',
] as const;

const STATUS_LABELS = { pending: 'Pending', accepted: 'Accepted', declined: 'Declined', withdrawn: 'Withdrawn' } as const;
const STATUS_TAGS = { pending: 'govuk-tag--yellow', accepted: 'govuk-tag--green', declined: 'govuk-tag--red', withdrawn: 'govuk-tag--grey' } as const;

function yesNo(value: boolean | null): string {
  return value === null ? 'Not recorded' : value ? 'Yes' : 'No';
}

/** The view model of the episode page: labels instead of codes, stages with the date each was reached. */
export function toEpisodePage(
  row: queries.EpisodeRow,
  person: PersonSummary,
  referral: queries.ReferralRow | undefined,
  allocations: Awaited<ReturnType<typeof queries.allocationHistory>>,
  events: Awaited<ReturnType<typeof queries.custodyEvents>>,
  reference: ReferenceData,
) {
  const personName = `${person.preferredName || person.givenName} ${person.familyName}`;
  const decisionList = referral?.status === 'declined' ? 'referral_decline_reason' : 'referral_withdrawal_reason';
  return {
    id: row.id,
    version: row.version,
    open: row.exited_on === null,
    person: { ...person, name: personName },
    stage: row.stage,
    stageLabel: STAGE_LABELS[row.stage],
    stages: [
      { label: STAGE_LABELS.referred, on: row.referred_on },
      { label: STAGE_LABELS.met_in_custody, on: row.met_in_custody_on },
      { label: STAGE_LABELS.seen_in_community, on: row.seen_in_community_on },
      { label: STAGE_LABELS.engaged, on: row.engaged_on },
      { label: STAGE_LABELS.in_work, on: row.in_work_on },
      { label: STAGE_LABELS.exited, on: row.exited_on },
    ],
    keyWorkerName: row.key_worker_name,
    exit: row.exited_on
      ? { on: row.exited_on, reasonLabel: reference.label('exit_reason', row.exit_reason_code), note: row.exit_note }
      : null,
    referral: referral
      ? {
          version: referral.version,
          status: referral.status,
          statusLabel: STATUS_LABELS[referral.status],
          statusTag: STATUS_TAGS[referral.status],
          pending: referral.status === 'pending',
          receivedOn: referral.received_on,
          sourceLabel: referral.created_by_peer_advisor && !referral.source_code ? 'Peer advisor intake' : reference.label('referral_source', referral.source_code),
          referringOrganisation: referral.referring_organisation,
          referrerName: referral.referrer_name,
          referrerContact: referral.referrer_contact,
          reason: referral.reason,
          personKnows: yesNo(referral.person_knows),
          personAgrees: yesNo(referral.person_agrees),
          agreementConfirmedBy: referral.agreement_confirmed_by,
          agreementConfirmedOn: referral.agreement_confirmed_on,
          peerAdvisor: referral.created_by_peer_advisor,
          decidedOn: referral.decided_on,
          decidedByName: referral.decided_by_name,
          decisionReasonLabel: referral.decision_reason_code ? reference.label(decisionList, referral.decision_reason_code) : null,
          decisionNote: referral.decision_note,
        }
      : null,
    allocations: allocations.map((allocation) => ({
      workerName: allocation.worker_name,
      allocatedAt: allocation.allocated_at,
      endedAt: allocation.ended_at,
      allocatedByName: allocation.allocated_by_name,
      handoverNote: allocation.handover_note,
    })),
    custodyEvents: events.map((event) => ({
      kindLabel: reference.label('custody_event_kind', event.kind_code),
      reasonLabel: reference.label('custody_event_reason', event.reason_code),
      occurredOn: event.occurred_on,
      note: event.note,
      recordedByName: event.recorded_by_name,
    })),
  };
}

export type EpisodePage = ReturnType<typeof toEpisodePage>;
