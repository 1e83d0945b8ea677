-- Individual Placement and Support (IPS) employment: the vocational profile,
-- benefits counselling, job search, employers and the specialist's employer
-- contacts, jobs and in-work support. Rates that change by year (benefits,
-- minimum wage) are rows, never constants in code.

-- Reference lists -----------------------------------------------------------

insert into reference_list (code, label, description, extendable) values
  ('soc_major_group', 'Job type (SOC 2020 major group)', 'The nine major groups of the Standard Occupational Classification 2020.', false),
  ('benefit', 'Benefit', 'Benefits a person may be receiving.', true),
  ('licence_condition', 'Licence condition restricting work', 'Licence conditions that rule some jobs out; attributes.conflicts lists the work features they conflict with.', true),
  ('work_feature', 'Feature of the work', 'Features of an employer''s work that some licence conditions rule out.', false),
  ('employer_sector', 'Employer sector', 'The sector an employer works in.', true),
  ('employer_size', 'Employer size', 'Number of employees, as the UK size bands count them.', false),
  ('qualification_kind', 'Qualification, licence or card', 'Kinds of qualification, licence or card on a vocational profile.', true),
  ('identity_document', 'Identity document', 'Documents that prove identity or the right to work.', true),
  ('disclosure_decision', 'Disclosure decision', 'Whether the person plans to tell employers about their conviction.', false),
  ('job_search_outcome', 'Job search outcome', 'How an application, interview, trial, placement or course turned out.', false),
  ('job_end_reason', 'Reason a job ended', 'Why a job ended.', true),
  ('employer_contact_purpose', 'Employer contact purpose', 'What a specialist''s contact with an employer was for.', false),
  ('employer_contact_method', 'Employer contact method', 'How a specialist contacted an employer.', false);

insert into reference_item (list_code, code, label, sort_order, attributes) values
  ('soc_major_group', 'managers_directors', '1 Managers, directors and senior officials', 1, '{}'),
  ('soc_major_group', 'professional', '2 Professional occupations', 2, '{}'),
  ('soc_major_group', 'associate_professional', '3 Associate professional occupations', 3, '{}'),
  ('soc_major_group', 'administrative_secretarial', '4 Administrative and secretarial occupations', 4, '{}'),
  ('soc_major_group', 'skilled_trades', '5 Skilled trades occupations', 5, '{}'),
  ('soc_major_group', 'caring_leisure_service', '6 Caring, leisure and other service occupations', 6, '{}'),
  ('soc_major_group', 'sales_customer_service', '7 Sales and customer service occupations', 7, '{}'),
  ('soc_major_group', 'process_plant_machine', '8 Process, plant and machine operatives', 8, '{}'),
  ('soc_major_group', 'elementary', '9 Elementary occupations', 9, '{}'),

  ('benefit', 'universal_credit', 'Universal Credit', 1, '{}'),
  ('benefit', 'uc_housing_element', 'Universal Credit housing element', 2, '{}'),
  ('benefit', 'esa', 'Employment and Support Allowance (new style)', 3, '{}'),
  ('benefit', 'jsa', 'Jobseeker''s Allowance (new style)', 4, '{}'),
  ('benefit', 'pip', 'Personal Independence Payment', 5, '{}'),
  ('benefit', 'housing_benefit', 'Housing Benefit', 6, '{}'),
  ('benefit', 'council_tax_support', 'Council Tax Support', 7, '{}'),
  ('benefit', 'carers_allowance', 'Carer''s Allowance', 8, '{}'),
  ('benefit', 'other', 'Other', 99, '{}'),

  ('work_feature', 'works_with_children', 'Contact with children or young people', 1, '{}'),
  ('work_feature', 'needs_internet', 'Needs internet or computer use', 2, '{}'),
  ('work_feature', 'evening_or_night_work', 'Evening, night or early-morning shifts', 3, '{}'),
  ('work_feature', 'travel_between_sites', 'Travel between sites or areas', 4, '{}'),
  ('work_feature', 'driving', 'Driving', 5, '{}'),
  ('work_feature', 'cash_handling', 'Handling cash', 6, '{}'),
  ('work_feature', 'vulnerable_adults', 'Contact with vulnerable adults', 7, '{}'),

  ('licence_condition', 'no_internet', 'No or restricted internet use', 1, '{"conflicts": ["needs_internet"]}'),
  ('licence_condition', 'no_contact_children', 'No unsupervised contact with children', 2, '{"conflicts": ["works_with_children"]}'),
  ('licence_condition', 'exclusion_zone', 'Exclusion zone', 3, '{"conflicts": ["travel_between_sites"]}'),
  ('licence_condition', 'curfew', 'Curfew', 4, '{"conflicts": ["evening_or_night_work"]}'),
  ('licence_condition', 'driving_ban', 'Disqualified from driving', 5, '{"conflicts": ["driving"]}'),
  ('licence_condition', 'no_contact_vulnerable_adults', 'No contact with vulnerable adults', 6, '{"conflicts": ["vulnerable_adults"]}'),
  ('licence_condition', 'other', 'Other restriction', 99, '{"conflicts": []}'),

  ('employer_sector', 'construction', 'Construction', 1, '{}'),
  ('employer_sector', 'hospitality', 'Hospitality and catering', 2, '{}'),
  ('employer_sector', 'retail', 'Retail', 3, '{}'),
  ('employer_sector', 'warehousing_logistics', 'Warehousing and logistics', 4, '{}'),
  ('employer_sector', 'manufacturing', 'Manufacturing', 5, '{}'),
  ('employer_sector', 'cleaning_facilities', 'Cleaning and facilities', 6, '{}'),
  ('employer_sector', 'health_social_care', 'Health and social care', 7, '{}'),
  ('employer_sector', 'transport', 'Transport', 8, '{}'),
  ('employer_sector', 'office_admin', 'Office and administration', 9, '{}'),
  ('employer_sector', 'charity_public', 'Charity and public sector', 10, '{}'),
  ('employer_sector', 'other', 'Other', 99, '{}'),

  ('employer_size', 'micro', 'Micro (under 10 employees)', 1, '{}'),
  ('employer_size', 'small', 'Small (10 to 49)', 2, '{}'),
  ('employer_size', 'medium', 'Medium (50 to 249)', 3, '{}'),
  ('employer_size', 'large', 'Large (250 or more)', 4, '{}'),

  ('qualification_kind', 'qualification', 'Qualification', 1, '{}'),
  ('qualification_kind', 'driving_licence', 'Driving licence', 2, '{}'),
  ('qualification_kind', 'cscs_card', 'Construction site card (CSCS)', 3, '{}'),
  ('qualification_kind', 'forklift_licence', 'Forklift licence', 4, '{}'),
  ('qualification_kind', 'food_hygiene', 'Food hygiene certificate', 5, '{}'),
  ('qualification_kind', 'sia_licence', 'Security (SIA) licence', 6, '{}'),
  ('qualification_kind', 'other', 'Other', 99, '{}'),

  ('identity_document', 'passport', 'Passport', 1, '{}'),
  ('identity_document', 'birth_certificate', 'Birth certificate', 2, '{}'),
  ('identity_document', 'driving_licence', 'Driving licence', 3, '{}'),
  ('identity_document', 'share_code', 'Right to work share code', 4, '{}'),
  ('identity_document', 'ni_number', 'National Insurance number', 5, '{}'),
  ('identity_document', 'bank_account', 'Bank account', 6, '{}'),
  ('identity_document', 'proof_of_address', 'Proof of address', 7, '{}'),

  ('disclosure_decision', 'will_disclose', 'Will disclose', 1, '{}'),
  ('disclosure_decision', 'not_required', 'No need to disclose (spent or not asked)', 2, '{}'),
  ('disclosure_decision', 'undecided', 'Not decided yet', 3, '{}'),
  ('disclosure_decision', 'will_not_disclose', 'Does not want to disclose', 4, '{}'),

  ('job_search_outcome', 'pending', 'Waiting to hear', 1, '{}'),
  ('job_search_outcome', 'successful', 'Successful', 2, '{}'),
  ('job_search_outcome', 'unsuccessful', 'Unsuccessful', 3, '{}'),
  ('job_search_outcome', 'withdrew', 'Withdrew', 4, '{}'),
  ('job_search_outcome', 'did_not_attend', 'Did not attend', 5, '{}'),
  ('job_search_outcome', 'completed', 'Completed', 6, '{}'),

  ('job_end_reason', 'resigned_better_job', 'Left for a better job', 1, '{}'),
  ('job_end_reason', 'resigned', 'Resigned', 2, '{}'),
  ('job_end_reason', 'dismissed', 'Dismissed', 3, '{}'),
  ('job_end_reason', 'contract_ended', 'Temporary contract ended', 4, '{}'),
  ('job_end_reason', 'redundancy', 'Redundancy', 5, '{}'),
  ('job_end_reason', 'health', 'Health', 6, '{}'),
  ('job_end_reason', 'recalled_or_custody', 'Recalled or returned to custody', 7, '{}'),
  ('job_end_reason', 'conviction_disclosed', 'Ended after conviction became known', 8, '{}'),
  ('job_end_reason', 'other', 'Other', 99, '{}'),

  ('employer_contact_purpose', 'learning_needs', 'Learning the employer''s needs', 1, '{}'),
  ('employer_contact_purpose', 'presenting_candidate', 'Presenting a candidate', 2, '{}'),
  ('employer_contact_purpose', 'follow_up', 'Follow-up', 3, '{}'),
  ('employer_contact_purpose', 'in_work_support', 'In-work support', 4, '{}'),

  ('employer_contact_method', 'face_to_face', 'Face to face', 1, '{}'),
  ('employer_contact_method', 'phone', 'Phone', 2, '{}'),
  ('employer_contact_method', 'email', 'Email', 3, '{}');

-- Rates by date -------------------------------------------------------------

create table benefit_rate (
  tax_year text primary key check (tax_year ~ '^[0-9]{4}-[0-9]{2}$'),
  starts_on date not null unique,
  ends_on date not null check (ends_on > starts_on),
  esa_permitted_work_weekly_limit numeric(8, 2) not null check (esa_permitted_work_weekly_limit >= 0),
  esa_permitted_work_max_hours numeric(5, 2) not null check (esa_permitted_work_max_hours > 0),
  uc_work_allowance_with_housing numeric(8, 2) not null check (uc_work_allowance_with_housing >= 0),
  uc_work_allowance_without_housing numeric(8, 2) not null check (uc_work_allowance_without_housing >= 0),
  uc_taper_rate numeric(4, 3) not null check (uc_taper_rate between 0 and 1),
  source text not null
);
comment on table benefit_rate is 'Benefit rules used by the better-off-in-work calculator, one row per tax year (6 April to 5 April).';
comment on column benefit_rate.esa_permitted_work_weekly_limit is 'Most a person on ESA may earn a week under the permitted work rules, in pounds.';
comment on column benefit_rate.esa_permitted_work_max_hours is 'Permitted work must be under this many hours a week.';
comment on column benefit_rate.uc_work_allowance_with_housing is 'Universal Credit monthly work allowance when the award includes housing costs, in pounds.';
comment on column benefit_rate.uc_work_allowance_without_housing is 'Universal Credit monthly work allowance when the award has no housing costs, in pounds.';
comment on column benefit_rate.uc_taper_rate is 'Share of monthly net earnings above the work allowance taken off the Universal Credit award.';

insert into benefit_rate values
  ('2024-25', '2024-04-06', '2025-04-05', 183.50, 16, 404, 673, 0.55, 'DWP benefit and pension rates 2024 to 2025'),
  ('2025-26', '2025-04-06', '2026-04-05', 195.50, 16, 411, 684, 0.55, 'DWP benefit and pension rates 2025 to 2026'),
  ('2026-27', '2026-04-06', '2027-04-05', 203.50, 16, 427, 710, 0.55, 'Uprated from 2025 to 2026 by the September 2025 CPI (3.8%) and 16 hours at the April 2026 National Living Wage; check against DWP''s published rates');

create table minimum_wage_rate (
  effective_from date not null,
  min_age integer not null check (min_age between 0 and 100),
  hourly_rate numeric(6, 2) not null check (hourly_rate > 0),
  label text not null,
  primary key (effective_from, min_age)
);
comment on table minimum_wage_rate is 'National Minimum Wage and National Living Wage by age band, from each date. The rate for an age on a date is the row with the latest effective_from on or before the date and the highest min_age at or below the age.';

insert into minimum_wage_rate values
  ('2023-04-01', 0, 5.28, 'Under 18'),
  ('2023-04-01', 18, 7.49, '18 to 20'),
  ('2023-04-01', 21, 10.18, '21 to 22'),
  ('2023-04-01', 23, 10.42, 'National Living Wage (23 and over)'),
  ('2024-04-01', 0, 6.40, 'Under 18'),
  ('2024-04-01', 18, 8.60, '18 to 20'),
  ('2024-04-01', 21, 11.44, 'National Living Wage (21 and over)'),
  ('2025-04-01', 0, 7.55, 'Under 18'),
  ('2025-04-01', 18, 10.00, '18 to 20'),
  ('2025-04-01', 21, 12.21, 'National Living Wage (21 and over)'),
  ('2026-04-01', 0, 8.00, 'Under 18'),
  ('2026-04-01', 18, 10.85, '18 to 20'),
  ('2026-04-01', 21, 12.71, 'National Living Wage (21 and over)');

-- The vocational profile ------------------------------------------------------

create table vocational_profile (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  person_id uuid not null references person(id),
  version integer not null check (version > 0),
  recorded_at timestamptz not null default now(),
  recorded_by uuid references app_user(id),
  preferred_job_types text[] not null default '{}',
  preferred_hours text,
  preferred_places text,
  does_not_want text,
  work_history jsonb not null default '[]',
  qualifications jsonb not null default '[]',
  skills text,
  barriers text,
  conviction_details text,
  disclosure_decision_code text,
  disclosure_plan text,
  disclosure_reviewed_on date,
  licence_conditions text[] not null default '{}',
  licence_condition_notes text,
  identity_documents text[] not null default '{}',
  right_to_work_notes text,
  unique (organisation_id, person_id, version)
);
comment on table vocational_profile is 'The IPS vocational profile. Never updated: each save adds the next version, so changes can be seen over time.';
comment on column vocational_profile.work_history is 'JSON array of {employer, role, startedOn, endedOn, informal, howEnded}; informal covers cash-in-hand work.';
comment on column vocational_profile.qualifications is 'JSON array of {kindCode, title, obtainedOn, expiresOn}: qualifications, licences and cards.';
comment on column vocational_profile.licence_conditions is 'licence_condition codes; employers whose work_features conflict are flagged.';

-- Benefits ------------------------------------------------------------------------

create table benefit_claim (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  person_id uuid not null references person(id),
  benefit_code text not null,
  started_on date,
  ended_on date,
  includes_housing_costs boolean not null default false,
  note text,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  check (ended_on is null or started_on is null or ended_on >= started_on)
);
create index benefit_claim_person on benefit_claim (organisation_id, person_id);
comment on table benefit_claim is 'A benefit the person receives or received; current when ended_on is null or in the future.';

create table benefits_session (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  held_on date not null,
  adviser text not null,
  note text,
  calculation jsonb,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index benefits_session_episode on benefits_session (organisation_id, episode_id, held_on);
comment on table benefits_session is 'A benefits-counselling session. IPS fidelity expects one in the 30 days before every job start.';
comment on column benefits_session.calculation is 'A better-off-in-work calculation saved with the session, with the rates it used.';

-- Employers -------------------------------------------------------------------------

create table employer (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  name text not null,
  sector_code text,
  size_code text,
  locations text,
  job_types text[] not null default '{}',
  work_features text[] not null default '{}',
  open_to_convictions text not null default 'unknown' check (open_to_convictions in ('yes', 'case_by_case', 'no', 'unknown')),
  convictions_note text,
  placements_offered text,
  note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index employer_name on employer (organisation_id, lower(name));
comment on table employer is 'An employer the service develops: kept per organisation.';
comment on column employer.job_types is 'soc_major_group codes of the work the employer offers; matched against participants'' preferences.';
comment on column employer.work_features is 'work_feature codes; a participant''s licence conditions may conflict with them.';

create table employer_person (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  employer_id uuid not null references employer(id),
  name text not null,
  role text,
  phone text,
  email text
);
create index employer_person_employer on employer_person (organisation_id, employer_id);
comment on table employer_person is 'A named contact at an employer.';

create table vacancy (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  employer_id uuid not null references employer(id),
  kind text not null default 'job' check (kind in ('job', 'work_experience')),
  title text not null,
  job_type_code text,
  hours_per_week numeric(5, 2) check (hours_per_week > 0 and hours_per_week <= 100),
  hourly_pay numeric(8, 2) check (hourly_pay >= 0),
  closes_on date,
  filled boolean not null default false,
  note text,
  created_at timestamptz not null default now()
);
create index vacancy_employer on vacancy (organisation_id, employer_id);
comment on table vacancy is 'A vacancy or a work-experience placement an employer offers.';

create table employer_contact (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  employer_id uuid not null references employer(id),
  specialist_id uuid not null references app_user(id),
  occurred_on date not null,
  method_code text not null,
  purpose_code text not null,
  note text,
  created_at timestamptz not null default now()
);
create index employer_contact_specialist on employer_contact (organisation_id, specialist_id, occurred_on);
create index employer_contact_employer on employer_contact (organisation_id, employer_id, occurred_on);
comment on table employer_contact is 'The employment specialist''s log of contacts with employers (job development). IPS expects 6 face-to-face a week.';

create table employer_contact_participant (
  employer_contact_id uuid not null references employer_contact(id) on delete cascade,
  episode_id uuid not null references episode(id),
  organisation_id uuid not null references organisation(id),
  primary key (employer_contact_id, episode_id)
);
create index employer_contact_participant_episode on employer_contact_participant (organisation_id, episode_id);
comment on table employer_contact_participant is 'The participants an employer contact was on behalf of.';

-- Job search --------------------------------------------------------------------------

create table stored_file (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  person_id uuid not null references person(id),
  file_name text not null,
  content_type text not null,
  size_bytes integer not null check (size_bytes > 0),
  sha256 text not null,
  content bytea not null,
  uploaded_by uuid references app_user(id),
  uploaded_at timestamptz not null default now()
);
create index stored_file_person on stored_file (organisation_id, person_id);
comment on table stored_file is 'Uploaded files (CVs, certificates), kept in the database: outside any web root, inside transactions and backups. Content type is sniffed, not trusted.';

create table employment_plan (
  episode_id uuid primary key references episode(id),
  organisation_id uuid not null references organisation(id),
  job_search_started_on date,
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
comment on table employment_plan is 'Per-episode employment dates entered by the specialist. The first face-to-face employer contact is derived from employer_contact.';

create table job_search_activity (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  kind text not null check (kind in ('cv', 'application', 'interview', 'work_trial', 'work_placement', 'training_course')),
  occurred_on date not null,
  employer_id uuid references employer(id),
  employer_name text,
  title text,
  outcome_code text,
  note text,
  file_id uuid references stored_file(id),
  provider text,
  ends_on date,
  completed boolean,
  certificate text,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  deleted_at timestamptz,
  check (ends_on is null or ends_on >= occurred_on)
);
create index job_search_activity_episode on job_search_activity (organisation_id, episode_id, kind, occurred_on);
comment on table job_search_activity is 'The job search trail: CVs, applications, interviews, work trials, work-experience placements and training courses. occurred_on is the start date of a course or placement.';

-- Jobs --------------------------------------------------------------------------------

create table job (
  id uuid primary key default uuid_v7(),
  organisation_id uuid not null references organisation(id),
  episode_id uuid not null references episode(id),
  employer_id uuid not null references employer(id),
  title text not null,
  job_type_code text not null,
  starts_on date not null,
  counted_start_on date,
  ends_on date,
  hours_per_week numeric(5, 2) not null check (hours_per_week > 0 and hours_per_week <= 100),
  hourly_pay numeric(8, 2) not null check (hourly_pay >= 0),
  permanent boolean not null,
  self_employed boolean not null default false,
  open_to_anyone boolean not null,
  competitive boolean not null,
  minimum_hourly_rate numeric(6, 2),
  end_reason_code text,
  helped_with_next_job boolean,
  end_note text,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  deleted_at timestamptz,
  check (ends_on is null or ends_on >= starts_on),
  check (counted_start_on is null or counted_start_on >= starts_on),
  check (ends_on is null or counted_start_on is null or counted_start_on <= ends_on)
);
create index job_episode on job (organisation_id, episode_id, starts_on);
create index job_employer on job (organisation_id, employer_id);
comment on table job is 'A job a person took while supported. Several per person over time, each kept.';
comment on column job.counted_start_on is 'The date the person had done at least 4 hours of paid work: the job start that counts (UK IPS convention). Null until then.';
comment on column job.competitive is 'Derived when saved, never ticked: open to anyone and paid at least the minimum wage for the person''s age on starts_on.';
comment on column job.minimum_hourly_rate is 'The minimum wage rate the competitive test compared with (adult rate when the date of birth is unknown).';

create table job_checkpoint (
  job_id uuid not null references job(id),
  organisation_id uuid not null references organisation(id),
  weeks integer not null check (weeks in (13, 26, 52)),
  still_in_work boolean not null,
  confirmed_on date not null,
  confirmed_by uuid references app_user(id),
  primary key (job_id, weeks)
);
comment on table job_checkpoint is 'A specialist''s confirmation of a sustainment checkpoint (13, 26 or 52 weeks after the counted start). Due dates are computed from the job.';
