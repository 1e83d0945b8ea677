import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type Stage = 'referred' | 'met_in_custody' | 'seen_in_community' | 'engaged' | 'in_work' | 'exited';

export interface OrganisationSettingTable {
  organisation_id: string;
  engaged_after_contacts: Generated<number>;
  service_area: string | null;
  version: Generated<number>;
}

export interface EpisodeTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  team_id: string | null;
  key_worker_id: string | null;
  referred_on: string;
  stage: Generated<Stage>;
  met_in_custody_on: string | null;
  seen_in_community_on: string | null;
  engaged_on: string | null;
  in_work_on: string | null;
  exited_on: string | null;
  exit_reason_code: string | null;
  exit_note: string | null;
  expected_release_area: string | null;
  release_address: string | null;
  release_address_status: Generated<'known' | 'unknown' | 'no_fixed_abode'>;
  local_authority: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: Generated<number>;
}

export interface ReferralTable {
  episode_id: string;
  organisation_id: string;
  status: Generated<'pending' | 'accepted' | 'declined' | 'withdrawn'>;
  source_code: string | null;
  referring_organisation: string | null;
  referrer_name: string | null;
  referrer_contact: string | null;
  received_on: string;
  reason: string | null;
  person_knows: boolean | null;
  person_agrees: boolean | null;
  agreement_confirmed_by: string | null;
  agreement_confirmed_on: string | null;
  decision_reason_code: string | null;
  decision_note: string | null;
  decided_on: string | null;
  decided_by: string | null;
  created_by: string | null;
  created_by_peer_advisor: Generated<boolean>;
  external_source: string | null;
  external_id: string | null;
  version: Generated<number>;
}

export interface AllocationTable {
  id: Generated<string>;
  organisation_id: string;
  episode_id: string;
  worker_id: string;
  allocated_at: ColumnType<Date, Date | undefined, never>;
  allocated_by: string | null;
  handover_note: string | null;
  ended_at: Date | null;
}

export interface CustodyEventTable {
  id: Generated<string>;
  organisation_id: string;
  episode_id: string;
  kind_code: string;
  reason_code: string;
  occurred_on: string;
  note: string | null;
  recorded_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** Answers of a referral still being entered: see migrations/0005_referral_drafts.sql. */
export interface ReferralDraftTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  created_by: string;
  answers: JSONColumnType<Record<string, unknown>, string, string>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    organisation_setting: OrganisationSettingTable;
    episode: EpisodeTable;
    referral: ReferralTable;
    allocation: AllocationTable;
    custody_event: CustodyEventTable;
    referral_draft: ReferralDraftTable;
  }
}
