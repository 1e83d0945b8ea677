-- Reference lists: data, not code. Items with organisation_id null are seeded
-- for everyone; an organisation may add its own items to an extendable list.
-- Records store an item's code (stable), never its label (editable).

create table reference_list (
  code text primary key,
  label text not null,
  description text not null,
  extendable boolean not null default true
);
comment on table reference_list is 'The named lists that records draw codes from (prisons, referral sources, exit reasons, …).';
comment on column reference_list.extendable is 'Whether organisations may add their own items to this list.';

create table reference_item (
  id uuid primary key default uuid_v7(),
  organisation_id uuid references organisation(id),
  list_code text not null references reference_list(code),
  code text not null check (code ~ '^[a-z0-9_]{1,60}$'),
  label text not null,
  sort_order integer not null default 0,
  active boolean not null default true,
  attributes jsonb not null default '{}'
);
create unique index reference_item_code_unique
  on reference_item (coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid), list_code, code);
create index reference_item_list on reference_item (list_code, organisation_id, sort_order);
comment on table reference_item is 'One choice in a reference list. Seeded items have no organisation; organisations may add their own.';
comment on column reference_item.code is 'Stable machine code stored on records and in exports; lower case, digits and underscores.';
comment on column reference_item.active is 'Inactive items stay valid on old records but are no longer offered.';
comment on column reference_item.attributes is 'List-specific facts, e.g. a prison''s region, or a schedule step''s offset in days.';

insert into reference_list (code, label, description, extendable) values
  ('referral_source', 'Referral source', 'Who referred the person.', true),
  ('referral_decline_reason', 'Reason a referral was declined', 'Declines should be rare: anyone who wants to work is eligible.', true),
  ('referral_withdrawal_reason', 'Reason a referral was withdrawn', 'Why a referral ended before a decision.', true),
  ('exit_reason', 'Exit reason', 'Why an episode of support ended.', false),
  ('offence_category', 'Offence category', 'Most recent offence, as evaluation reports group it.', false),
  ('diagnosis', 'Diagnosis', 'Primary and secondary diagnoses, as evaluation reports group them.', false),
  ('ethnicity', 'Ethnicity', 'ONS 2021 census ethnic groups.', false),
  ('sex', 'Sex', 'Sex as recorded for equality monitoring.', false),
  ('right_to_work', 'Right to work', 'Whether the person may work in the UK.', false),
  ('contact_type', 'Contact type', 'How a contact happened.', false),
  ('contact_setting', 'Contact setting', 'Where a contact happened.', false),
  ('contact_with', 'Contact with', 'Who the contact was with: the person, or others about them.', false),
  ('pathway', 'Resettlement pathway', 'The resettlement pathways a contact can relate to.', false),
  ('custody_status', 'Custody status', 'Remand or sentenced.', false),
  ('release_date_kind', 'Release date kind', 'The kinds of release date a sentence has.', false),
  ('release_type', 'Release type', 'How the person left custody.', true),
  ('release_checklist_item', 'Release-day checklist item', 'What a worker helps with on release day.', true),
  ('release_contact_schedule', 'Contact schedule around release', 'Contacts planned relative to the release date; attributes.offset_days is negative before release.', true),
  ('custody_event_kind', 'Return to custody', 'Recall, remand or new sentence during support.', false),
  ('custody_event_reason', 'Reason for return to custody', 'Breach of licence versus alleged or proven new offence.', false),
  ('prison', 'Prison', 'Prisons and young offender institutions.', true);

insert into reference_item (list_code, code, label, sort_order) values
  ('referral_source', 'prison_mental_health_in_reach', 'Prison mental health in-reach team', 1),
  ('referral_source', 'offender_management_unit', 'Offender management unit', 2),
  ('referral_source', 'prison_resettlement_team', 'Prison resettlement team', 3),
  ('referral_source', 'probation', 'Probation', 4),
  ('referral_source', 'integrated_offender_management', 'Integrated offender management team', 5),
  ('referral_source', 'employment_programme', 'Employment programme provider', 6),
  ('referral_source', 'other_charity', 'Another charity', 7),
  ('referral_source', 'family_member', 'Family member', 8),
  ('referral_source', 'self', 'Self-referral', 9),
  ('referral_source', 'researcher', 'Research team', 10),
  ('referral_source', 'other', 'Other', 99),

  ('referral_decline_reason', 'does_not_want_support', 'The person does not want support', 1),
  ('referral_decline_reason', 'outside_service_area', 'Lives or will be released outside the service area', 2),
  ('referral_decline_reason', 'supported_elsewhere', 'Already supported by a similar service', 3),
  ('referral_decline_reason', 'duplicate_referral', 'Duplicate referral', 4),
  ('referral_decline_reason', 'other', 'Other', 99),

  ('referral_withdrawal_reason', 'person_withdrew', 'The person withdrew their agreement', 1),
  ('referral_withdrawal_reason', 'referrer_withdrew', 'The referrer withdrew the referral', 2),
  ('referral_withdrawal_reason', 'released_out_of_area', 'Released outside the service area', 3),
  ('referral_withdrawal_reason', 'could_not_contact', 'Could not make contact', 4),
  ('referral_withdrawal_reason', 'other', 'Other', 99),

  ('exit_reason', 'goals_met', 'Goals met or no longer wants support', 1),
  ('exit_reason', 'disengaged', 'Disengaged', 2),
  ('exit_reason', 'moved_out_of_area', 'Moved out of area', 3),
  ('exit_reason', 'health', 'Health relapse or admission', 4),
  ('exit_reason', 'recalled', 'Recalled to prison', 5),
  ('exit_reason', 'remanded_or_sentenced', 'Remanded or sentenced', 6),
  ('exit_reason', 'transferred', 'Transferred to another service', 7),
  ('exit_reason', 'died', 'Died', 8),
  ('exit_reason', 'other', 'Other', 99),

  ('offence_category', 'acquisitive', 'Acquisitive', 1),
  ('offence_category', 'violent_high', 'Violent (high)', 2),
  ('offence_category', 'violent_low', 'Violent (low)', 3),
  ('offence_category', 'sexual', 'Sexual', 4),
  ('offence_category', 'drug_supply', 'Drug supply', 5),
  ('offence_category', 'other', 'Other', 6),

  ('diagnosis', 'psychosis', 'Psychosis', 1),
  ('diagnosis', 'depression', 'Depression', 2),
  ('diagnosis', 'anxiety', 'Anxiety', 3),
  ('diagnosis', 'mixed_anxiety_depression', 'Mixed anxiety and depression', 4),
  ('diagnosis', 'substance_misuse', 'Substance misuse', 5),
  ('diagnosis', 'adhd', 'ADHD', 6),
  ('diagnosis', 'autistic_spectrum', 'Autistic spectrum', 7),
  ('diagnosis', 'personality_disorder', 'Personality disorder', 8),
  ('diagnosis', 'ocd', 'OCD', 9),
  ('diagnosis', 'ptsd', 'PTSD', 10),
  ('diagnosis', 'unknown', 'Unknown', 99),

  ('ethnicity', 'asian_indian', 'Asian or Asian British: Indian', 1),
  ('ethnicity', 'asian_pakistani', 'Asian or Asian British: Pakistani', 2),
  ('ethnicity', 'asian_bangladeshi', 'Asian or Asian British: Bangladeshi', 3),
  ('ethnicity', 'asian_chinese', 'Asian or Asian British: Chinese', 4),
  ('ethnicity', 'asian_other', 'Asian or Asian British: any other Asian background', 5),
  ('ethnicity', 'black_caribbean', 'Black, Black British, Caribbean or African: Caribbean', 6),
  ('ethnicity', 'black_african', 'Black, Black British, Caribbean or African: African', 7),
  ('ethnicity', 'black_other', 'Black, Black British, Caribbean or African: any other Black background', 8),
  ('ethnicity', 'mixed_white_black_caribbean', 'Mixed or multiple: White and Black Caribbean', 9),
  ('ethnicity', 'mixed_white_black_african', 'Mixed or multiple: White and Black African', 10),
  ('ethnicity', 'mixed_white_asian', 'Mixed or multiple: White and Asian', 11),
  ('ethnicity', 'mixed_other', 'Mixed or multiple: any other mixed background', 12),
  ('ethnicity', 'white_british', 'White: English, Welsh, Scottish, Northern Irish or British', 13),
  ('ethnicity', 'white_irish', 'White: Irish', 14),
  ('ethnicity', 'white_gypsy_irish_traveller', 'White: Gypsy or Irish Traveller', 15),
  ('ethnicity', 'white_roma', 'White: Roma', 16),
  ('ethnicity', 'white_other', 'White: any other White background', 17),
  ('ethnicity', 'other_arab', 'Other ethnic group: Arab', 18),
  ('ethnicity', 'other_any', 'Other ethnic group: any other ethnic group', 19),
  ('ethnicity', 'not_stated', 'Prefer not to say', 99),

  ('sex', 'female', 'Female', 1),
  ('sex', 'male', 'Male', 2),
  ('sex', 'not_stated', 'Prefer not to say', 99),

  ('right_to_work', 'yes', 'Has the right to work', 1),
  ('right_to_work', 'no', 'Does not have the right to work', 2),
  ('right_to_work', 'to_check', 'Needs checking', 3),
  ('right_to_work', 'unknown', 'Not known', 99),

  ('contact_type', 'face_to_face', 'Face to face', 1),
  ('contact_type', 'phone', 'Phone', 2),
  ('contact_type', 'text', 'Text message', 3),
  ('contact_type', 'email', 'Email', 4),
  ('contact_type', 'video', 'Video call', 5),
  ('contact_type', 'letter', 'Letter', 6),

  ('contact_setting', 'prison', 'Prison', 1),
  ('contact_setting', 'community', 'Community', 2),
  ('contact_setting', 'employer', 'At an employer', 3),
  ('contact_setting', 'probation_office', 'Probation office', 4),
  ('contact_setting', 'other', 'Other', 99),

  ('contact_with', 'person', 'The person', 1),
  ('contact_with', 'probation', 'Probation', 2),
  ('contact_with', 'employer', 'Employer', 3),
  ('contact_with', 'family', 'Family', 4),
  ('contact_with', 'housing', 'Housing', 5),
  ('contact_with', 'health', 'Health', 6),
  ('contact_with', 'other', 'Someone else', 99),

  ('pathway', 'accommodation', 'Accommodation', 1),
  ('pathway', 'attitudes_thinking_behaviour', 'Attitudes, thinking and behaviour', 2),
  ('pathway', 'children_families_communities', 'Children, families and communities', 3),
  ('pathway', 'drugs_alcohol', 'Drugs and alcohol', 4),
  ('pathway', 'education_skills_work', 'Education, skills and work', 5),
  ('pathway', 'finance_id', 'Finance and ID', 6),
  ('pathway', 'health', 'Health', 7),

  ('custody_status', 'remand', 'On remand', 1),
  ('custody_status', 'sentenced', 'Sentenced', 2),

  ('release_date_kind', 'conditional_release', 'Conditional release date', 1),
  ('release_date_kind', 'hdc_eligibility', 'Home detention curfew eligibility date', 2),
  ('release_date_kind', 'parole_eligibility', 'Parole eligibility date', 3),
  ('release_date_kind', 'licence_end', 'Licence end date', 4),

  ('release_type', 'conditional_release', 'Conditional release', 1),
  ('release_type', 'home_detention_curfew', 'Home detention curfew', 2),
  ('release_type', 'parole', 'Parole', 3),
  ('release_type', 'end_of_sentence', 'End of sentence', 4),
  ('release_type', 'released_from_remand', 'Released from remand', 5),
  ('release_type', 'other', 'Other', 99),

  ('release_checklist_item', 'probation_appointment', 'Probation appointment', 1),
  ('release_checklist_item', 'housing_options', 'Housing options appointment', 2),
  ('release_checklist_item', 'gp', 'GP registration', 3),
  ('release_checklist_item', 'benefits_claim', 'Benefits claim', 4),
  ('release_checklist_item', 'id_documents', 'ID documents', 5),
  ('release_checklist_item', 'medication', 'Medication', 6),
  ('release_checklist_item', 'bank_account', 'Bank account', 7),

  ('custody_event_kind', 'recall', 'Recalled to prison', 1),
  ('custody_event_kind', 'remand', 'Remanded in custody', 2),
  ('custody_event_kind', 'new_sentence', 'New sentence', 3),

  ('custody_event_reason', 'breach_of_licence', 'Breach of licence conditions', 1),
  ('custody_event_reason', 'alleged_new_offence', 'Alleged new offence', 2),
  ('custody_event_reason', 'proven_new_offence', 'Proven new offence', 3);

insert into reference_item (list_code, code, label, sort_order, attributes) values
  ('release_contact_schedule', 'six_weeks_before', 'Contact 6 weeks before release', 1, '{"offset_days": -42}'),
  ('release_contact_schedule', 'two_weeks_before', 'Contact 2 weeks before release', 2, '{"offset_days": -14}'),
  ('release_contact_schedule', 'release_day', 'Release day', 3, '{"offset_days": 0}'),
  ('release_contact_schedule', 'one_day_after', 'Contact 1 day after release', 4, '{"offset_days": 1}'),
  ('release_contact_schedule', 'one_week_after', 'Contact 1 week after release', 5, '{"offset_days": 7}'),
  ('release_contact_schedule', 'four_weeks_after', 'Contact 4 weeks after release', 6, '{"offset_days": 28}');

insert into reference_item (list_code, code, label, sort_order, attributes)
select 'prison', code, label, row_number() over (order by label), jsonb_build_object('region', region)
from (values
  ('altcourse', 'HMP Altcourse', 'North West'),
  ('askham_grange', 'HMP Askham Grange', 'Yorkshire'),
  ('aylesbury', 'HMYOI Aylesbury', 'South Central'),
  ('bedford', 'HMP Bedford', 'East of England'),
  ('belmarsh', 'HMP Belmarsh', 'London'),
  ('berwyn', 'HMP Berwyn', 'Wales'),
  ('birmingham', 'HMP Birmingham', 'West Midlands'),
  ('brinsford', 'HMP Brinsford', 'West Midlands'),
  ('bristol', 'HMP Bristol', 'South West'),
  ('brixton', 'HMP Brixton', 'London'),
  ('bronzefield', 'HMP Bronzefield', 'South East'),
  ('bullingdon', 'HMP Bullingdon', 'South Central'),
  ('cardiff', 'HMP Cardiff', 'Wales'),
  ('chelmsford', 'HMP Chelmsford', 'East of England'),
  ('coldingley', 'HMP Coldingley', 'South East'),
  ('doncaster', 'HMP Doncaster', 'Yorkshire'),
  ('downview', 'HMP Downview', 'South East'),
  ('durham', 'HMP Durham', 'North East'),
  ('eastwood_park', 'HMP Eastwood Park', 'South West'),
  ('elmley', 'HMP Elmley', 'Kent and Sussex'),
  ('exeter', 'HMP Exeter', 'South West'),
  ('feltham', 'HMYOI Feltham', 'London'),
  ('forest_bank', 'HMP Forest Bank', 'North West'),
  ('foston_hall', 'HMP Foston Hall', 'East Midlands'),
  ('frankland', 'HMP Frankland', 'North East'),
  ('hewell', 'HMP Hewell', 'West Midlands'),
  ('high_down', 'HMP High Down', 'South East'),
  ('hull', 'HMP Hull', 'Yorkshire'),
  ('isis', 'HMYOI Isis', 'London'),
  ('leeds', 'HMP Leeds', 'Yorkshire'),
  ('leicester', 'HMP Leicester', 'East Midlands'),
  ('lewes', 'HMP Lewes', 'Kent and Sussex'),
  ('lincoln', 'HMP Lincoln', 'East Midlands'),
  ('liverpool', 'HMP Liverpool', 'North West'),
  ('low_newton', 'HMP Low Newton', 'North East'),
  ('manchester', 'HMP Manchester', 'North West'),
  ('new_hall', 'HMP New Hall', 'Yorkshire'),
  ('norwich', 'HMP Norwich', 'East of England'),
  ('nottingham', 'HMP Nottingham', 'East Midlands'),
  ('oakwood', 'HMP Oakwood', 'West Midlands'),
  ('parc', 'HMP Parc', 'Wales'),
  ('pentonville', 'HMP Pentonville', 'London'),
  ('peterborough', 'HMP Peterborough', 'East of England'),
  ('preston', 'HMP Preston', 'North West'),
  ('risley', 'HMP Risley', 'North West'),
  ('send', 'HMP Send', 'South East'),
  ('styal', 'HMP Styal', 'North West'),
  ('swansea', 'HMP Swansea', 'Wales'),
  ('thameside', 'HMP Thameside', 'London'),
  ('wandsworth', 'HMP Wandsworth', 'London'),
  ('winchester', 'HMP Winchester', 'South Central'),
  ('wormwood_scrubs', 'HMP Wormwood Scrubs', 'London'),
  ('wymott', 'HMP Wymott', 'North West')
) as prisons(code, label, region);
