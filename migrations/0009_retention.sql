-- Retention: a schedule per organisation and record type, and the marks left
-- on records the schedule has anonymised or purged. The job and the command
-- line (src/modules/retention) apply it; docs/retention.md explains it.

create table retention_rule (
  organisation_id uuid not null references organisation(id),
  record_type text not null check (record_type in ('closed_episode', 'declined_referral', 'deleted_contact')),
  years integer not null check (years between 1 and 100),
  updated_at timestamptz not null default now(),
  updated_by uuid references app_user(id),
  version integer not null default 1,
  primary key (organisation_id, record_type)
);
comment on table retention_rule is 'How many years an organisation keeps each kind of record before it is anonymised or purged. No row means the default (docs/retention.md). The audit trail is never deleted, so has no rule.';
comment on column retention_rule.record_type is 'closed_episode: people whose every episode closed; declined_referral: people whose every referral was declined or withdrawn; deleted_contact: the text of soft-deleted contacts.';

alter table person add column anonymised_at timestamptz;
comment on column person.anonymised_at is 'When the retention schedule anonymised this person: names, identifiers and free text removed, codes and dates kept for reports.';

alter table contact add column note_purged_at timestamptz;
comment on column contact.note_purged_at is 'When the retention schedule removed the note (and delete reason) of this soft-deleted contact.';
