import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/**
 * Kysely's view of the schema. Platform tables are declared here; each
 * module adds its own by augmenting `Tables` from its own `tables.ts`, so a
 * module's schema lives beside the module.
 */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  kind: 'provider' | 'commissioner' | 'operator';
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface TeamTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface AppUserTable {
  id: Generated<string>;
  organisation_id: string;
  team_id: string | null;
  email: string;
  display_name: string;
  role: string;
  practitioner_kind: string | null;
  status: Generated<'invited' | 'active' | 'deactivated'>;
  password_hash: string | null;
  totp_secret_encrypted: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  failed_sign_ins: Generated<number>;
  locked_until: Date | null;
  last_sign_in_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface UserSessionTable {
  id: string;
  organisation_id: string;
  user_id: string;
  second_factor_verified: Generated<boolean>;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Date;
}

export interface OneTimeTokenTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  purpose: 'password_reset' | 'invitation';
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface EmailOutboxTable {
  id: Generated<string>;
  organisation_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  transport: string;
  created_at: CreatedAt;
  sent_at: Date | null;
  error: string | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  role: string;
  token_hash: string;
  token_prefix: string;
  created_by: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface CommissionTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  starts_on: string;
  ends_on: string | null;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface CommissionProviderTable {
  organisation_id: string;
  commission_id: string;
  provider_organisation_id: string;
}

export interface AuditEventTable {
  id: Generated<number>;
  organisation_id: string | null;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  reason: string | null;
  detail: JSONColumnType<Record<string, unknown>, string, string>;
  /** Null until sealed (src/platform/audit/sealer.ts). */
  previous_hash: string | null;
  hash: string | null;
  chain_position: number | null;
}

export interface Tables {
  organisation: OrganisationTable;
  team: TeamTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  one_time_token: OneTimeTokenTable;
  email_outbox: EmailOutboxTable;
  api_token: ApiTokenTable;
  commission: CommissionTable;
  commission_provider: CommissionProviderTable;
  audit_event: AuditEventTable;
}
