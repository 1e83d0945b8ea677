-- Platform tables: organisations, teams, users, sessions, one-time tokens,
-- email outbox, API tokens, commissions and the audit trail.

create extension if not exists pg_trgm;

-- UUIDv7: time-ordered ids, so new rows land at the end of btree indexes.
create or replace function uuid_v7() returns uuid
language plpgsql volatile as $$
declare
  unix_ms bigint := floor(extract(epoch from clock_timestamp()) * 1000);
  bytes bytea := decode(lpad(to_hex(unix_ms), 12, '0'), 'hex') || substring(uuid_send(gen_random_uuid()) from 11 for 6)
    || substring(uuid_send(gen_random_uuid()) from 1 for 4);
begin
  bytes := set_byte(bytes, 6, (get_byte(bytes, 6) & 15) | 112);
  bytes := set_byte(bytes, 8, (get_byte(bytes, 8) & 63) | 128);
  return encode(bytes, 'hex')::uuid;
end $$;

create table organisation (
  id uuid primary key default uuid_v7(),
  name text not null,
  kind text not null check (kind in ('provider', 'commissioner', 'operator')),
  created_at timestamptz not null default now(),
  version integer not null default 1
);
comment on table organisation is 'A tenant: a provider of support, a commissioning body, or the instance operator.';
comment on column organisation.kind is 'provider runs services; commissioner pays for them and sees aggregates; operator runs the instance.';
comment on column organisation.version is 'Optimistic concurrency counter, incremented on every update.';

create table team (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  name text not null,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index team_name_unique on team (organisation_id, lower(name));
comment on table team is 'A team within an organisation, for allocation and caseload views.';

create table app_user (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  team_id uuid references team(id),
  email text not null,
  display_name text not null,
  role text not null check (role in ('system_admin', 'organisation_admin', 'manager', 'practitioner',
    'mentor_coordinator', 'volunteer_mentor', 'peer_advisor', 'commissioner')),
  practitioner_kind text check (practitioner_kind in ('employment_specialist', 'caseworker')),
  status text not null default 'invited' check (status in ('invited', 'active', 'deactivated')),
  password_hash text,
  totp_secret_encrypted text,
  totp_enabled_at timestamptz,
  totp_last_step bigint,
  failed_sign_ins integer not null default 0,
  locked_until timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index app_user_email_unique on app_user (lower(email));
create index app_user_organisation on app_user (organisation_id, display_name);
comment on table app_user is 'A person who signs in. Belongs to exactly one organisation.';
comment on column app_user.role is 'Decides what the user may do; see src/platform/auth/permissions.ts.';
comment on column app_user.password_hash is 'argon2id hash; null until an invitation is accepted.';
comment on column app_user.totp_secret_encrypted is 'TOTP shared secret, AES-256-GCM encrypted with a key derived from SESSION_SECRET.';
comment on column app_user.totp_last_step is 'Last accepted TOTP time step, so a code cannot be replayed.';
comment on column app_user.failed_sign_ins is 'Consecutive failed sign-ins; reset on success. Reaching the limit sets locked_until.';

create table user_session (
  id text primary key,
  organisation_id uuid not null references organisation(id),
  user_id uuid not null references app_user(id),
  second_factor_verified boolean not null default false,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index user_session_user on user_session (user_id);
comment on table user_session is 'Signed-in sessions. The cookie holds a random token; only its SHA-256 is stored here.';
comment on column user_session.id is 'SHA-256 of the session token (hex).';
comment on column user_session.expires_at is 'Absolute expiry; idle expiry is judged from last_seen_at.';

create table one_time_token (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  user_id uuid not null references app_user(id),
  purpose text not null check (purpose in ('password_reset', 'invitation')),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index one_time_token_user on one_time_token (organisation_id, user_id);
comment on table one_time_token is 'Single-use emailed links (password reset, invitation). Only the SHA-256 of the token is kept.';

create table email_outbox (
  id uuid primary key default uuid_v7(),
  organisation_id uuid references organisation(id),
  to_address text not null,
  subject text not null,
  text_body text not null,
  transport text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  error text
);
create index email_outbox_organisation on email_outbox (organisation_id, created_at desc);
comment on table email_outbox is 'Every email the service sends. In development this is the only delivery, read on the outbox page.';

create table api_token (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  name text not null,
  role text not null check (role in ('manager', 'practitioner', 'commissioner')),
  token_hash text not null unique,
  token_prefix text not null,
  created_by uuid not null references app_user(id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references app_user(id)
);
create index api_token_organisation on api_token (organisation_id, created_at desc);
comment on table api_token is 'Bearer tokens for /api/v1, scoped to one organisation and acting with one role. Stored as SHA-256.';
comment on column api_token.token_prefix is 'First characters of the token, shown so admins can tell tokens apart.';

create table commission (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  name text not null,
  starts_on date not null,
  ends_on date,
  created_at timestamptz not null default now(),
  version integer not null default 1,
  check (ends_on is null or ends_on >= starts_on)
);
create index commission_organisation on commission (organisation_id);
comment on table commission is 'A contract held by a commissioning organisation; its users see aggregate figures for the providers it covers.';

create table commission_provider (
  organisation_id uuid not null references organisation(id),
  commission_id uuid not null references commission(id),
  provider_organisation_id uuid not null references organisation(id),
  primary key (organisation_id, commission_id, provider_organisation_id)
);
comment on table commission_provider is 'The provider organisations a commission covers.';

create table audit_event (
  id bigint generated always as identity primary key,
  organisation_id uuid references organisation(id),
  occurred_at timestamptz not null,
  actor_user_id uuid references app_user(id),
  actor_label text not null,
  action text not null,
  subject_type text,
  subject_id text,
  reason text,
  detail jsonb not null default '{}',
  previous_hash text not null,
  hash text not null
);
create index audit_event_organisation on audit_event (organisation_id, id desc);
create index audit_event_subject on audit_event (organisation_id, subject_type, subject_id);
comment on table audit_event is 'Append-only trail of sign-ins, changes and views. Each row hashes the one before it in the same organisation, so edits and deletions are detectable.';
comment on column audit_event.previous_hash is 'hash of the previous event in this organisation''s chain, or 64 zeros for the first.';
comment on column audit_event.hash is 'SHA-256 over previous_hash and this row''s fields; see src/platform/audit/chain.ts.';

create function audit_event_is_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_event is append-only';
end $$;

create trigger audit_event_append_only
  before update or delete on audit_event
  for each row execute function audit_event_is_append_only();
