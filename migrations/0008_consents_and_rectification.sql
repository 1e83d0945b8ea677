-- Data protection: consent to each kind of sharing (with its withdrawal), and
-- the history of rectified person records.

insert into reference_list (code, label, description, extendable) values
  ('sharing_kind', 'Kind of sharing', 'What a person may consent to: each kind of sharing of their information, or of contacting them.', true);

insert into reference_item (list_code, code, label, sort_order) values
  ('sharing_kind', 'share_with_probation', 'Share information with probation', 1),
  ('sharing_kind', 'share_with_employers', 'Share information with employers', 2),
  ('sharing_kind', 'share_with_health', 'Share information with health services', 3),
  ('sharing_kind', 'share_with_housing', 'Share information with housing providers', 4),
  ('sharing_kind', 'share_with_family', 'Share information with family', 5),
  ('sharing_kind', 'texts_and_email', 'Contact by text message and email', 6),
  ('sharing_kind', 'case_studies_and_publicity', 'Use their story in case studies and publicity', 7);

create table person_consent (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  person_id uuid not null references person(id),
  kind_code text not null,
  recipient text,
  given_on date not null,
  note text,
  recorded_by uuid references app_user(id),
  recorded_at timestamptz not null default now(),
  withdrawn_on date,
  withdrawn_by uuid references app_user(id),
  withdrawal_note text,
  version integer not null default 1,
  check (withdrawn_on is null or withdrawn_on >= given_on)
);
create index person_consent_person on person_consent (organisation_id, person_id, kind_code);
comment on table person_consent is 'Consent a person gave to one kind of sharing (optionally to a named recipient). Withdrawal keeps the row and sets withdrawn_on.';
comment on column person_consent.kind_code is 'A sharing_kind code.';
comment on column person_consent.recipient is 'Who the information may go to, when the consent names someone (e.g. one probation office).';
comment on column person_consent.withdrawn_on is 'The date the person withdrew consent; from that day it no longer holds.';

create table person_revision (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  person_id uuid not null references person(id),
  revised_at timestamptz not null default now(),
  revised_by uuid references app_user(id),
  reason text,
  previous jsonb not null
);
create index person_revision_person on person_revision (organisation_id, person_id, revised_at);
comment on table person_revision is 'Rectification history: the previous values of only the fields an edit changed, keyed by column, with who, when and why.';
