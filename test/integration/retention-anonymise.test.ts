import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { recomputeEpisodes } from '../../src/modules/engagement/service.ts';
import { figureSections } from '../../src/modules/outcomes/figures/index.ts';
import { applyRetention, dueFor } from '../../src/modules/retention/service.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';

/**
 * A cohort referred in 2015 and closed by 2017, so that on 2024-06-01 the
 * default schedule (6 years after closure, 2 after a decline) finds:
 *   Zebedee Quixote   exited 2017-03-31: due (closed_episode); born 17 Aug 1990, referred 10 Mar 2015 (age 24).
 *   Wilhelmina Yarrow declined 2015-05-01: due (declined_referral); born 3 Feb 1985.
 *   Ottoline Vex      exited 2019-01-15: not due until 2025.
 *   Barnaby Open      referred 2015, still open: never due.
 * Each carries names and identifiers in every free-text place we know of.
 */
const TODAY = '2024-06-01';
const PERIOD = { from: '2015-01-01', to: '2015-12-31', asAt: '2019-06-30' };

interface Built {
  personId: string;
  episodeId: string;
}

async function buildPerson(
  t: TestApp,
  org: { id: string; teamId: string },
  userId: string,
  employerId: string,
  p: { given: string; family: string; prison: string; dob: string; referredOn: string; exitedOn?: string; declinedOn?: string; sex: string },
): Promise<Built> {
  const db = t.deps.db;
  const o = org.id;
  const who = `${p.given} ${p.family}`;
  const person = await db
    .insertInto('person')
    .values({
      organisation_id: o,
      given_name: p.given,
      family_name: p.family,
      preferred_name: p.given.slice(0, 4),
      date_of_birth: p.dob,
      sex_code: p.sex,
      ethnicity_code: 'white_british',
      offence_category_code: 'acquisitive',
      primary_diagnosis_code: 'depression',
      phone: '07700 900123',
      email: `${p.given.toLowerCase()}@example.org`,
      address: `1 ${p.family} Street`,
      postcode: 'LS1 4AB',
      prison_number: p.prison,
      crn: 'X123456',
      nhs_number: '9434765919',
      ni_number: 'QQ123456C',
      pnc_id: '12/0034567E',
      gender: `${p.given} says male`,
      risk_notes: `${who} risk`,
      sexual_offence_details: `${who} details`,
      immigration_status: `${who} settled`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const personId = person.id;
  await db.insertInto('person_alias').values({ organisation_id: o, person_id: personId, given_name: p.given, family_name: `${p.family}-Alias` }).execute();
  const episode = await db
    .insertInto('episode')
    .values({
      organisation_id: o,
      person_id: personId,
      team_id: org.teamId,
      referred_on: p.referredOn,
      exited_on: p.exitedOn ?? null,
      exit_reason_code: p.exitedOn ? 'goals_met' : null,
      exit_note: p.exitedOn ? `${who} moved away` : null,
      release_address: `2 ${p.family} Road`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const e = episode.id;
  await db
    .insertInto('referral')
    .values({
      episode_id: e,
      organisation_id: o,
      received_on: p.referredOn,
      status: p.declinedOn ? 'declined' : 'accepted',
      decided_on: p.declinedOn ?? p.referredOn,
      source_code: 'probation',
      referrer_name: `Officer for ${who}`,
      referrer_contact: `${p.family}@probation.example`,
      reason: `${who} needs work`,
      decision_note: `${who} decision`,
    })
    .execute();
  await db.insertInto('prison_stay').values({ organisation_id: o, episode_id: e, prison_code: 'leeds', arrived_on: '2014-01-01' }).execute();
  if (p.declinedOn) return { personId, episodeId: e };
  await db.insertInto('release').values({ organisation_id: o, episode_id: e, released_on: '2015-04-01', release_type_code: 'conditional_release', note: `${who} met at gate` }).execute();
  await db.insertInto('release_plan').values({ organisation_id: o, episode_id: e, meeting_point: `${who} gate`, note: who }).execute();
  const contact = (on: string, deleted = false) => ({
    organisation_id: o,
    episode_id: e,
    occurred_at: new Date(`${on}T12:00:00Z`),
    type_code: 'face_to_face',
    setting_code: 'community',
    with_code: 'person',
    note: `Saw ${who} (${p.prison})`,
    recorded_by: userId,
    deleted_at: deleted ? new Date(`${on}T13:00:00Z`) : null,
    delete_reason: deleted ? `Wrong person, not ${who}` : null,
  });
  const contacts = await db
    .insertInto('contact')
    .values([contact('2015-04-03'), contact('2015-04-10'), contact('2015-05-01', true)])
    .returning('id')
    .execute();
  await db
    .insertInto('contact_revision')
    .values({ organisation_id: o, contact_id: contacts[0].id, revised_by: userId, previous: JSON.stringify({ note: `Old note on ${who}` }) })
    .execute();
  await db.insertInto('task').values({ organisation_id: o, episode_id: e, assignee_id: userId, title: `Call ${who}`, due_on: '2015-04-05' }).execute();
  await db.insertInto('custody_event').values({ organisation_id: o, episode_id: e, kind_code: 'recall', reason_code: 'breach_of_licence', occurred_on: '2015-06-01', note: `${who} recalled` }).execute();
  await db.insertInto('allocation').values({ organisation_id: o, episode_id: e, worker_id: userId, handover_note: `${who} handover` }).execute();
  await db
    .insertInto('job')
    .values({
      organisation_id: o,
      episode_id: e,
      employer_id: employerId,
      title: `Job for ${who}`,
      job_type_code: 'elementary',
      starts_on: '2015-06-01',
      counted_start_on: '2015-06-02',
      hours_per_week: 20,
      hourly_pay: 8,
      permanent: true,
      open_to_anyone: true,
      competitive: true,
      end_note: `${who} left`,
    })
    .execute();
  const file = await db
    .insertInto('stored_file')
    .values({ organisation_id: o, person_id: personId, file_name: `${p.family}-cv.pdf`, content_type: 'application/pdf', size_bytes: 9, sha256: '0'.repeat(64), content: Buffer.from(`%PDF ${who}`) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('job_search_activity').values({ organisation_id: o, episode_id: e, kind: 'cv', occurred_on: '2015-05-05', file_id: file.id, note: `${who} CV` }).execute();
  await db
    .insertInto('vocational_profile')
    .values({
      organisation_id: o,
      person_id: personId,
      version: 1,
      skills: `${who} can weld`,
      work_history: JSON.stringify([{ employer: `${p.family} & Sons`, role: 'Welder' }]),
      qualifications: JSON.stringify([{ kindCode: 'cscs', title: `${who} card` }]),
    })
    .execute();
  await db.insertInto('benefit_claim').values({ organisation_id: o, person_id: personId, benefit_code: 'universal_credit', note: `${who} claim` }).execute();
  await db.insertInto('person_consent').values({ organisation_id: o, person_id: personId, kind_code: 'share_with_family', recipient: `${p.family} mother`, given_on: '2015-03-10', note: who }).execute();
  await db.insertInto('person_revision').values({ organisation_id: o, person_id: personId, revised_by: userId, previous: JSON.stringify({ family_name: `${p.family}-Old` }) }).execute();
  const employerContact = await db
    .insertInto('employer_contact')
    .values({ organisation_id: o, employer_id: employerId, specialist_id: userId, occurred_on: '2015-05-20', method_code: 'face_to_face', purpose_code: 'presenting_candidate', note: `Presented ${who}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('employer_contact_participant').values({ organisation_id: o, employer_contact_id: employerContact.id, episode_id: e }).execute();
  return { personId, episodeId: e };
}

/** Every text, jsonb, array or bytea column in the schema that contains `needle`, as "table.column: rows". */
async function whereFound(db: Db, needle: string): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
       and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'bytea')`.execute(db);
  const found: string[] = [];
  for (const column of columns.rows) {
    const value =
      column.data_type === 'bytea' ? sql`encode(${sql.ref(column.column_name)}, 'escape')` : sql`${sql.ref(column.column_name)}::text`;
    const hits = await sql<{ count: number }>`
      select count(*)::int as count from ${sql.table(column.table_name)} where ${value} ilike ${`%${needle}%`}`.execute(db);
    if (hits.rows[0].count > 0) found.push(`${column.table_name}.${column.column_name}: ${hits.rows[0].count}`);
  }
  return found;
}

describe(`retention: anonymisation keeps reports and removes identities (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let other: { id: string; teamId: string };
  const people: Record<string, Built> = {};

  before(async () => {
    t = await createTestApp();
    const db = t.deps.db;
    org = await t.organisation('Retention A');
    other = await t.organisation('Retention B');
    const worker = await t.user(org.id, 'practitioner');
    const employer = await db.insertInto('employer').values({ organisation_id: org.id, name: 'Retention employer' }).returning('id').executeTakeFirstOrThrow();
    const build = (key: string, p: Parameters<typeof buildPerson>[4], where = org) => buildPerson(t, where, worker.id, employer.id, p).then((b) => (people[key] = b));
    await build('zebedee', { given: 'Zebedee', family: 'Quixote', prison: 'A1234BC', dob: '1990-08-17', referredOn: '2015-03-10', exitedOn: '2017-03-31', sex: 'male' });
    await build('wilhelmina', { given: 'Wilhelmina', family: 'Yarrow', prison: 'B2345CD', dob: '1985-02-03', referredOn: '2015-05-01', declinedOn: '2015-05-01', sex: 'female' });
    await build('ottoline', { given: 'Ottoline', family: 'Vex', prison: 'C3456DE', dob: '1970-12-25', referredOn: '2015-06-15', exitedOn: '2019-01-15', sex: 'female' });
    await build('barnaby', { given: 'Barnaby', family: 'Open', prison: 'D4567EF', dob: '1995-07-07', referredOn: '2015-09-01', sex: 'male' });
    // A duplicate merged into Zebedee: it carries his name too, and must go with him.
    await db.insertInto('person').values({ organisation_id: org.id, given_name: 'Zebedee', family_name: 'Quixote-Dup', prison_number: 'A1234BC', merged_into_id: people.zebedee.personId }).execute();
    // Another organisation's long-closed person is never touched by this organisation's run.
    await build('other', { given: 'Ophelia', family: 'Elsewhere', prison: 'E5678FG', dob: '1980-01-01', referredOn: '2015-02-01', exitedOn: '2016-01-01', sex: 'female' }, other);
    for (const key of Object.keys(people)) {
      await recomputeEpisodes(db, key === 'other' ? other.id : org.id, [people[key].episodeId]);
    }
  });
  after(() => t.close());

  test('the dry run lists who is due by reference, changing nothing', async () => {
    const report = await dueFor(t.deps.db, org.id, TODAY);
    assert.deepEqual(
      report.people.map((person) => [person.reference, person.rule, person.closedOn]),
      [
        [people.wilhelmina.personId, 'declined_referral', '2015-05-01'],
        [people.zebedee.personId, 'closed_episode', '2017-03-31'],
      ],
    );
    assert.deepEqual(
      report.rules.map((rule) => [rule.type, rule.years, rule.cutoff, rule.due]),
      [
        ['closed_episode', 6, '2018-06-01', 1],
        ['declined_referral', 2, '2022-06-01', 1],
        ['deleted_contact', 1, '2023-06-01', 3],
      ],
    );
    const zebedee = await t.deps.db.selectFrom('person').select(['given_name']).where('id', '=', people.zebedee.personId).executeTakeFirstOrThrow();
    assert.equal(zebedee.given_name, 'Zebedee');
  });

  test('applying it leaves every figure of the outcomes report identical, and no trace of the names or prison numbers', async () => {
    const db = t.deps.db;
    const figuresBefore = await figureSections(db, { organisationIds: [org.id] }, PERIOD, org.id);
    const result = await applyRetention(db, org.id, { today: TODAY });
    assert.deepEqual(result, { anonymised: 2, contactsPurged: 3 });
    const figuresAfter = await figureSections(db, { organisationIds: [org.id] }, PERIOD, org.id);
    assert.deepEqual(figuresAfter, figuresBefore);

    for (const needle of ['Zebedee', 'Quixote', 'A1234BC', 'Wilhelmina', 'Yarrow', 'B2345CD']) {
      assert.deepEqual(await whereFound(db, needle), [], `${needle} is still stored`);
    }
    // Not due: still whole. The other organisation: untouched.
    assert.ok((await whereFound(db, 'Ottoline')).includes('person.given_name: 1'));
    assert.ok((await whereFound(db, 'Barnaby')).includes('person.given_name: 1'));
    assert.ok((await whereFound(db, 'Ophelia')).includes('person.given_name: 1'));
    // Ottoline's deleted contact is over a year old, so its text went; her other notes stay.
    assert.ok((await whereFound(db, 'Saw Ottoline')).includes('contact.note: 2'));
  });

  test('it keeps the codes and dates reports count, generalises the date of birth without changing any age at referral, and marks the person', async () => {
    const db = t.deps.db;
    const row = await db
      .selectFrom('person')
      .select(['given_name', 'family_name', 'date_of_birth', 'sex_code', 'ethnicity_code', 'offence_category_code', 'primary_diagnosis_code', 'prison_number', 'phone'])
      .select(sql<Date | null>`anonymised_at`.as('anonymised_at'))
      .where('id', '=', people.zebedee.personId)
      .executeTakeFirstOrThrow();
    assert.equal(row.given_name, 'Anonymised');
    assert.equal(row.prison_number, null);
    assert.equal(row.phone, null);
    assert.ok(row.anonymised_at instanceof Date);
    assert.deepEqual([row.sex_code, row.ethnicity_code, row.offence_category_code, row.primary_diagnosis_code], ['male', 'white_british', 'acquisitive', 'depression']);
    // Born 17 Aug 1990, referred 10 Mar 2015 (aged 24): 11 Mar 1990 is the earliest birthday giving 24 then.
    assert.equal(row.date_of_birth, '1990-03-11');
    // Declined on 1 May 2015, born 3 Feb 1985 (aged 30): any day from 1 Jan gives 30.
    const wilhelmina = await db.selectFrom('person').select('date_of_birth').where('id', '=', people.wilhelmina.personId).executeTakeFirstOrThrow();
    assert.equal(wilhelmina.date_of_birth, '1985-01-01');
    const episode = await db.selectFrom('episode').selectAll().where('id', '=', people.zebedee.episodeId).executeTakeFirstOrThrow();
    assert.deepEqual([episode.referred_on, episode.exited_on, episode.exit_reason_code, episode.stage], ['2015-03-10', '2017-03-31', 'goals_met', 'exited']);
    const counts = await sql<{ contacts: number; files: number; aliases: number; jobs: number }>`
      select (select count(*) from contact where episode_id = ${people.zebedee.episodeId})::int as contacts,
             (select count(*) from stored_file where person_id = ${people.zebedee.personId})::int as files,
             (select count(*) from person_alias where person_id = ${people.zebedee.personId})::int as aliases,
             (select count(*) from job where episode_id = ${people.zebedee.episodeId})::int as jobs`.execute(db);
    assert.deepEqual(counts.rows[0], { contacts: 3, files: 0, aliases: 0, jobs: 1 });
  });

  test('each anonymisation is audited without a name, and running again finds nothing more to do', async () => {
    const db = t.deps.db;
    const events = await db
      .selectFrom('audit_event')
      .select(['action', 'subject_id', 'actor_label', 'detail'])
      .where('organisation_id', '=', org.id)
      .where('action', 'in', ['person.anonymised', 'retention.contacts-purged'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((event) => [event.action, event.subject_id, event.actor_label]),
      [
        ['person.anonymised', people.wilhelmina.personId, 'system'],
        ['person.anonymised', people.zebedee.personId, 'system'],
        ['retention.contacts-purged', org.id, 'system'],
      ],
    );
    assert.deepEqual(events[1].detail, { rule: 'closed_episode', closedOn: '2017-03-31' });
    assert.deepEqual(await applyRetention(db, org.id, { today: TODAY }), { anonymised: 0, contactsPurged: 0 });
  });
});
