-- Indexes for the people module's search-before-create and duplicate matching.

-- Name search tries both orders ("Smith John" finds John Smith); the forward order is indexed in 0003.
create index person_reversed_name_trigram on person using gin ((lower(family_name || ' ' || given_name)) gin_trgm_ops);

-- PNC IDs are stored with the year as given (2 or 4 digits) and matched on the century-free key yy/nnnnnnnL.
create index person_pnc_match_key on person (organisation_id, right(pnc_id, 11)) where pnc_id is not null;

comment on column person.pnc_id is 'Police National Computer id with its check letter verified: the year as given (2 or 4 digits), a slash, the serial padded to 7 digits, the check letter (12/0034567E or 2012/0034567E). Matched on right(pnc_id, 11).';
