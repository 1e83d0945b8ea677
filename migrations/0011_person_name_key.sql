-- The importer matches a row to a person with the same date of birth and the
-- same names, compared case- and accent-insensitively (JavaScript's
-- localeCompare at 'base' sensitivity: Siân = SIAN, Łukasz = Lukasz). To do
-- that for thousands of rows at once it first finds candidates through this
-- key, then compares them exactly (docs/decisions/0020).
--
-- The key is coarser than that comparison, never finer: names that compare
-- equal always have equal keys. It decomposes accents (NFKD), spells out the
-- Latin letters that have no decomposition but compare equal to plain ones
-- (Æ ae, Ð d, Ø o, ß ss, Đ d, Ħ h, Ł l, Œ oe, and four rare digraphs), then keeps only A-Z, lower-cased
-- by translate so that the server's locale plays no part. A name in another
-- script keys to '' and is compared exactly among everyone born that day.

create function person_name_key(name text) returns text
language sql immutable strict parallel safe
return translate(
  regexp_replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
      translate(normalize(name, NFKD), 'ÐðØøĐđĦħŁł', 'DdOoDdHhLl'),
      'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ß', 'ss'), 'ẞ', 'SS'), 'ƍ', 'zw'), 'ƾ', 'ts'), 'ȸ', 'db'), 'ȹ', 'qp'),
    '[^A-Za-z]+', '', 'g'),
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');

create index person_birth_name_key on person (organisation_id, date_of_birth, person_name_key(family_name), person_name_key(given_name))
  where date_of_birth is not null;
