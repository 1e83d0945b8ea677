-- Outcomes and commissioning: the costs and staffing a manager enters per
-- period, the targets of a commission's service-level agreement, and IPS
-- fidelity reviews. The outcomes report itself is computed from the records
-- and stores nothing.

create table cost_period (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  team_id uuid references team(id),
  starts_on date not null,
  ends_on date not null,
  staff_fte numeric(6, 2) not null check (staff_fte >= 0),
  specialist_fte numeric(6, 2) not null default 0 check (specialist_fte >= 0),
  salaries numeric(12, 2) not null default 0 check (salaries >= 0),
  overheads numeric(12, 2) not null default 0 check (overheads >= 0),
  management numeric(12, 2) not null default 0 check (management >= 0),
  travel numeric(12, 2) not null default 0 check (travel >= 0),
  other numeric(12, 2) not null default 0 check (other >= 0),
  note text,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  check (ends_on >= starts_on)
);
create index cost_period_organisation on cost_period (organisation_id, starts_on);
comment on table cost_period is 'Staffing (full-time equivalents) and costs in pounds for a period, for the whole organisation or one team.';
comment on column cost_period.specialist_fte is 'Of staff_fte, the employment specialists: the IPS caseload standard is per full-time specialist.';

create table commission_target (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  commission_id uuid not null references commission(id),
  measure_code text not null,
  target numeric(12, 2) not null check (target >= 0),
  starts_on date not null,
  ends_on date not null,
  note text,
  created_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  version integer not null default 1,
  check (ends_on >= starts_on)
);
create index commission_target_commission on commission_target (organisation_id, commission_id, starts_on);
comment on table commission_target is 'A service-level agreement target: a measure (code from the outcomes module), the figure to reach, and the period it covers.';

create table fidelity_review (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  team_id uuid references team(id),
  service_name text not null,
  reviewed_on date not null,
  reviewers text not null,
  total integer not null check (total between 25 and 125),
  band text not null check (band in ('exemplary', 'good', 'fair', 'not_ips')),
  note text,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create index fidelity_review_organisation on fidelity_review (organisation_id, reviewed_on desc);
comment on table fidelity_review is 'An IPS fidelity review: 25 items scored 1 to 5; the total and its band are stored as they were on the day.';

create table fidelity_review_item (
  organisation_id uuid not null references organisation(id),
  review_id uuid not null references fidelity_review(id),
  item_code text not null,
  score integer not null check (score between 1 and 5),
  note text,
  evidence text,
  computed_value text,
  computed_score integer check (computed_score between 1 and 5),
  override_reason text,
  primary key (organisation_id, review_id, item_code),
  check (computed_score is null or score = computed_score or override_reason is not null)
);
comment on table fidelity_review_item is 'One item of a fidelity review. Where the records give a value, computed_value and computed_score keep what they said; a different score needs override_reason.';
