-- The participant journey: people, episodes of support opened by referrals,
-- custody and release, contacts, tasks, allocation and exit.
-- Codes in *_code columns come from reference_item (see 0002).

create table organisation_setting (
  organisation_id uuid primary key references organisation(id),
  engaged_after_contacts integer not null default 2 check (engaged_after_contacts between 1 and 20),
  service_area text,
  version integer not null default 1
);
comment on table organisation_setting is 'Per-organisation rules for the journey.';
comment on column organisation_setting.engaged_after_contacts is 'How many attended face-to-face community contacts make an episode engaged (default 2).';
comment on column organisation_setting.service_area is 'The area the service covers, compared with release areas to flag releases far away.';

create table person (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  given_name text not null,
  family_name text not null,
  preferred_name text,
  date_of_birth date,
  sex_code text,
  gender text,
  ethnicity_code text,
  language text,
  interpreter_needed boolean not null default false,
  phone text,
  email text,
  address text,
  postcode text,
  consents_to_texts boolean not null default false,
  consents_to_email boolean not null default false,
  right_to_work_code text,
  immigration_status text,
  prison_number text check (prison_number ~ '^[A-Z][0-9]{4}[A-Z]{2}$'),
  crn text check (crn ~ '^[A-Z][0-9]{6}$'),
  pnc_id text,
  nhs_number text check (nhs_number ~ '^[0-9]{10}$'),
  ni_number text check (ni_number ~ '^[A-Z]{2}[0-9]{6}[A-D]$'),
  primary_diagnosis_code text,
  secondary_diagnosis_codes text[] not null default '{}',
  offence_category_code text,
  priority_offender boolean not null default false,
  risk_notes text,
  sexual_offence_details text,
  merged_into_id uuid references person(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index person_name on person (organisation_id, family_name, given_name);
create index person_name_trigram on person using gin ((lower(given_name || ' ' || family_name)) gin_trgm_ops);
create index person_date_of_birth on person (organisation_id, date_of_birth);
create index person_prison_number on person (organisation_id, prison_number) where prison_number is not null;
create index person_crn on person (organisation_id, crn) where crn is not null;
create index person_pnc on person (organisation_id, pnc_id) where pnc_id is not null;
create index person_nhs on person (organisation_id, nhs_number) where nhs_number is not null;
create index person_ni on person (organisation_id, ni_number) where ni_number is not null;
comment on table person is 'A person the organisation supports. Identifiers are validated in src/modules/people; restricted fields need people:view-restricted.';
comment on column person.prison_number is 'NOMIS prison number: a letter, four digits, two letters (A1234BC).';
comment on column person.crn is 'Probation case reference number: a letter and six digits.';
comment on column person.pnc_id is 'Police National Computer id, normalised to YYYY/NNNNNNNL with its check letter verified.';
comment on column person.nhs_number is 'NHS number, 10 digits with a valid mod-11 check digit.';
comment on column person.ni_number is 'National Insurance number, without spaces.';
comment on column person.priority_offender is 'Prolific or priority offender flag.';
comment on column person.risk_notes is 'Restricted: risk information. Viewing it needs people:view-restricted and is audited.';
comment on column person.sexual_offence_details is 'Restricted: details of sexual offences. Viewing it needs people:view-restricted and is audited.';
comment on column person.merged_into_id is 'Set when an administrator merged this record into another; the row is kept for history.';

create table person_alias (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  person_id uuid not null references person(id),
  given_name text not null,
  family_name text not null,
  kind text not null default 'alias' check (kind in ('alias', 'previous_name', 'other_spelling'))
);
create index person_alias_person on person_alias (organisation_id, person_id);
create index person_alias_trigram on person_alias using gin ((lower(given_name || ' ' || family_name)) gin_trgm_ops);
comment on table person_alias is 'Other names a person is or was known by; searched alongside their main name.';

create table episode (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  person_id uuid not null references person(id),
  team_id uuid references team(id),
  key_worker_id uuid references app_user(id),
  referred_on date not null,
  stage text not null default 'referred'
    check (stage in ('referred', 'met_in_custody', 'seen_in_community', 'engaged', 'in_work', 'exited')),
  met_in_custody_on date,
  seen_in_community_on date,
  engaged_on date,
  in_work_on date,
  exited_on date,
  exit_reason_code text,
  exit_note text,
  expected_release_area text,
  release_address text,
  release_address_status text not null default 'unknown' check (release_address_status in ('known', 'unknown', 'no_fixed_abode')),
  local_authority text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index episode_person on episode (organisation_id, person_id);
create index episode_key_worker on episode (organisation_id, key_worker_id, stage);
create index episode_team on episode (organisation_id, team_id, stage);
create index episode_referred on episode (organisation_id, referred_on);
comment on table episode is 'One episode of support, opened by a referral. A person who comes back gets a new episode.';
comment on column episode.stage is 'Derived from the records (referral, contacts, jobs, exit) by src/modules/engagement; never set by hand.';
comment on column episode.engaged_on is 'Date of the Nth attended face-to-face community contact with the person (N from organisation_setting).';

create table referral (
  episode_id uuid primary key references episode(id),
  organisation_id uuid not null references organisation(id),
  status text not null default 'pending' check (status in ('pending', 'accepted', 'declined', 'withdrawn')),
  source_code text,
  referring_organisation text,
  referrer_name text,
  referrer_contact text,
  received_on date not null,
  reason text,
  person_knows boolean,
  person_agrees boolean,
  agreement_confirmed_by text,
  agreement_confirmed_on date,
  decision_reason_code text,
  decision_note text,
  decided_on date,
  decided_by uuid references app_user(id),
  created_by uuid references app_user(id),
  created_by_peer_advisor boolean not null default false,
  external_source text,
  external_id text,
  version integer not null default 1
);
create index referral_status on referral (organisation_id, status, received_on);
create unique index referral_external on referral (organisation_id, external_source, external_id) where external_id is not null;
comment on table referral is 'The referral that opened an episode, and the decision on it.';
comment on column referral.status is 'pending until a practitioner decides; declines must be rare and are reported.';
comment on column referral.created_by_peer_advisor is 'True for the narrow peer-advisor intake, which a practitioner completes.';
comment on column referral.external_id is 'The sender''s own id for an imported referral, so re-importing creates no duplicate.';

create table custody_spell (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  status_code text not null,
  sentence_length_days integer check (sentence_length_days > 0),
  started_on date,
  version integer not null default 1
);
create index custody_spell_episode on custody_spell (organisation_id, episode_id);
comment on table custody_spell is 'Custody during an episode: remand or sentenced, and the sentence length. Short sentence means under 12 months.';

create table prison_stay (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  prison_code text not null,
  arrived_on date,
  left_on date,
  check (left_on is null or arrived_on is null or left_on >= arrived_on)
);
create index prison_stay_episode on prison_stay (organisation_id, episode_id, arrived_on);
comment on table prison_stay is 'Prison history with dates; a transfer closes one stay and opens the next.';

create table release_date (
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  kind_code text not null,
  on_date date not null,
  updated_at timestamptz not null default now(),
  primary key (organisation_id, episode_id, kind_code)
);
comment on table release_date is 'The current date of each kind (conditional release, HDC eligibility, …). Changes are kept in the audit trail.';

create table release (
  episode_id uuid primary key references episode(id),
  organisation_id uuid not null references organisation(id),
  released_on date not null,
  release_type_code text not null,
  without_notice boolean not null default false,
  note text,
  version integer not null default 1
);
create index release_released_on on release (organisation_id, released_on);
comment on table release is 'The actual release. without_notice marks an early or unexpected release nobody told the service about.';

create table release_plan (
  episode_id uuid primary key references episode(id),
  organisation_id uuid not null references organisation(id),
  meet_at_gate boolean not null default false,
  gate_worker_id uuid references app_user(id),
  meeting_point text,
  meeting_time text,
  note text,
  version integer not null default 1
);
comment on table release_plan is 'The meet-at-the-gate plan for release day.';

create table release_checklist (
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  item_code text not null,
  state text not null default 'to_do' check (state in ('to_do', 'done', 'not_needed', 'declined')),
  note text,
  updated_at timestamptz not null default now(),
  updated_by uuid references app_user(id),
  primary key (organisation_id, episode_id, item_code)
);
comment on table release_checklist is 'Release-day checklist: each item done, not needed, or declined by the person.';

create table contact (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  occurred_at timestamptz not null,
  type_code text not null,
  setting_code text not null,
  with_code text not null,
  attended boolean not null default true,
  duration_minutes integer check (duration_minutes between 0 and 1440),
  note text,
  pathway_code text,
  recorded_by uuid references app_user(id),
  deleted_at timestamptz,
  deleted_by uuid references app_user(id),
  delete_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  check ((deleted_at is null) = (delete_reason is null))
);
create index contact_episode on contact (organisation_id, episode_id, occurred_at desc);
comment on table contact is 'A contact with or about the person. Deleting is soft, with a reason; edits keep history in contact_revision.';
comment on column contact.with_code is 'The person themself, or a third party about them (probation, employer, family, housing, health, other).';
comment on column contact.attended is 'False for a missed appointment (did not attend).';

create table contact_revision (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  contact_id uuid not null references contact(id),
  revised_at timestamptz not null default now(),
  revised_by uuid references app_user(id),
  previous jsonb not null
);
create index contact_revision_contact on contact_revision (organisation_id, contact_id, revised_at);
comment on table contact_revision is 'The previous values of a contact each time it was edited.';

create table task (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  assignee_id uuid references app_user(id),
  title text not null,
  schedule_code text,
  due_on date not null,
  completed_at timestamptz,
  completed_by uuid references app_user(id),
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create index task_assignee_due on task (organisation_id, assignee_id, due_on) where completed_at is null and cancelled_at is null;
create index task_episode on task (organisation_id, episode_id);
create unique index task_schedule_unique on task (organisation_id, episode_id, schedule_code) where schedule_code is not null;
comment on table task is 'Work for a key worker. Tasks with a schedule_code come from the release contact schedule and move with the release date.';

create table allocation (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  worker_id uuid not null references app_user(id),
  allocated_at timestamptz not null default now(),
  allocated_by uuid references app_user(id),
  handover_note text,
  ended_at timestamptz
);
create index allocation_episode on allocation (organisation_id, episode_id, allocated_at);
comment on table allocation is 'Who held an episode and when; episode.key_worker_id is the current one.';

create table custody_event (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  kind_code text not null,
  reason_code text not null,
  occurred_on date not null,
  note text,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index custody_event_episode on custody_event (organisation_id, episode_id, occurred_on);
comment on table custody_event is 'A recall, remand or new sentence during support, with its reason: breach of licence versus new offence.';

create table import_batch (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  kind text not null check (kind in ('referrals')),
  file_name text not null,
  file_sha256 text not null,
  status text not null default 'previewed' check (status in ('previewed', 'running', 'finished', 'failed')),
  total_rows integer not null default 0,
  imported_rows integer not null default 0,
  skipped_rows integer not null default 0,
  error_rows integer not null default 0,
  created_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index import_batch_organisation on import_batch (organisation_id, created_at desc);
comment on table import_batch is 'One upload of a referrals or releases list; rows already imported are skipped, so re-importing is safe.';

create table import_row_error (
  organisation_id uuid not null references organisation(id),
  batch_id uuid not null references import_batch(id),
  line integer not null,
  reason text not null,
  primary key (organisation_id, batch_id, line)
);
comment on table import_row_error is 'Rows an import could not take, with their line number and why.';
