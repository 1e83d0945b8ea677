-- A referral being entered through the task list, before it is submitted.
-- Kept apart from referral so that an unfinished draft never counts as a
-- referral in reports, caseloads or the one-open-episode rule; it becomes an
-- episode and a referral only when "Check your answers" is submitted.

create table referral_draft (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  person_id uuid not null references person(id),
  created_by uuid not null references app_user(id),
  answers jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index referral_draft_owner on referral_draft (organisation_id, person_id, created_by);
comment on table referral_draft is 'Answers saved so far for a referral a practitioner is entering; deleted when the referral is submitted.';
comment on column referral_draft.answers is 'The task list sections saved so far, as JSON: source, details and agreement.';
