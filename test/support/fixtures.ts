import { sql } from 'kysely';
import { issueOneTimeLink } from '../../src/modules/accounts/service.ts';
import { FIDELITY_ITEM_CODES } from '../../src/modules/fidelity/items.ts';
import { PARAM_FIXTURES } from '../authorisation/expected-access.ts';
import { apiTokenFor, type TestApp } from './app.ts';
import { contactFor, personWithEpisode } from './journey.ts';

/** Fixture name → record id (or other :param value), as PARAM_FIXTURES names them. */
export type Fixtures = Record<string, string>;

/**
 * One of each record a route can name, in one organisation: a person with an
 * episode, a contact and a task, a duplicate person, a person without an
 * episode, a user, an API token, an outbox message, an import batch, a
 * reference item and one-time-link tokens. Used by the authorisation matrix
 * and the fuzz suite to fill :params with real records.
 */
export async function createFixtures(t: TestApp, organisation: { id: string; teamId: string }, name: string): Promise<Fixtures> {
  const db = t.deps.db;
  const worker = await t.user(organisation.id, 'practitioner');
  const { personId, episodeId } = await personWithEpisode(t, organisation.id, { teamId: organisation.teamId, keyWorkerId: worker.id });
  const duplicate = await personWithEpisode(t, organisation.id, { givenName: 'Duplicate', familyName: name });
  const withoutEpisode = await db
    .insertInto('person')
    .values({ organisation_id: organisation.id, given_name: 'Unreferred', family_name: name, date_of_birth: '1991-02-03' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contactId = await contactFor(t, organisation.id, episodeId, { at: '2026-01-10T10:00:00Z' });
  const task = await db
    .insertInto('task')
    .values({ organisation_id: organisation.id, episode_id: episodeId, assignee_id: worker.id, title: 'Matrix task', due_on: '2026-02-01' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await t.user(organisation.id, 'practitioner');
  await apiTokenFor(t, organisation.id, 'practitioner');
  const apiToken = await db
    .selectFrom('api_token')
    .select('id')
    .where('organisation_id', '=', organisation.id)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const outbox = await db
    .insertInto('email_outbox')
    .values({ organisation_id: organisation.id, to_address: 'someone@example.org', subject: 'Matrix', text_body: 'Hello', transport: 'outbox' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const batch = await db
    .insertInto('import_batch')
    .values({ organisation_id: organisation.id, kind: 'referrals', file_name: 'matrix.csv', file_sha256: '0'.repeat(64) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const item = await db
    .insertInto('reference_item')
    .values({ organisation_id: organisation.id, list_code: 'referral_source', code: 'matrix_source', label: `Matrix source ${name}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const employment = await employmentFixtures(t, organisation.id, { personId, episodeId, specialistId: worker.id });
  const linkToken = async (purpose: 'password_reset' | 'invitation') => {
    const holder = await t.user(organisation.id, 'practitioner');
    const url = await issueOneTimeLink(db, t.config.baseUrl, { id: holder.id, organisationId: organisation.id }, purpose);
    return url.split('/').pop() ?? '';
  };
  return {
    person: personId,
    worker: worker.id,
    duplicatePerson: duplicate.personId,
    personWithoutEpisode: withoutEpisode.id,
    episode: episodeId,
    contact: contactId,
    task: task.id,
    user: user.id,
    team: organisation.teamId,
    apiToken: apiToken.id,
    outboxMessage: outbox.id,
    importBatch: batch.id,
    referenceItem: item.id,
    referenceList: 'referral_source',
    referralSection: 'source',
    passwordResetToken: await linkToken('password_reset'),
    invitationToken: await linkToken('invitation'),
    ...employment,
    ...(await costAndTargetFixtures(t, organisation)),
    fidelityReview: await fidelityReviewFixture(t, organisation.id),
    consent: (
      await db
        .insertInto('person_consent')
        .values({ organisation_id: organisation.id, person_id: personId, kind_code: 'share_with_probation', given_on: '2026-01-06' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  };
}

/** An IPS fidelity review with its 25 items, every one scored 3 (total 75, fair). */
async function fidelityReviewFixture(t: TestApp, organisationId: string): Promise<string> {
  const db = t.deps.db;
  const review = await db
    .insertInto('fidelity_review')
    .values({ organisation_id: organisationId, service_name: 'Matrix service', reviewed_on: '2026-01-31', reviewers: 'Matrix reviewer', total: 75, band: 'fair' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('fidelity_review_item')
    .values(FIDELITY_ITEM_CODES.map((code) => ({ organisation_id: organisationId, review_id: review.id, item_code: code, score: 3 })))
    .execute();
  return review.id;
}

/** One of each IPS employment record, on the fixture person's episode. */
async function employmentFixtures(t: TestApp, organisationId: string, on: { personId: string; episodeId: string; specialistId: string }) {
  const db = t.deps.db;
  const owned = { organisation_id: organisationId };
  await db
    .insertInto('vocational_profile')
    .values({ ...owned, person_id: on.personId, version: 1, preferred_job_types: ['skilled_trades'], work_history: '[]', qualifications: '[]' })
    .execute();
  const employer = await db
    .insertInto('employer')
    .values({ ...owned, name: 'Matrix Builders', sector_code: 'construction', job_types: ['skilled_trades'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const employerPerson = await db
    .insertInto('employer_person')
    .values({ ...owned, employer_id: employer.id, name: 'Pat Foreman' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const vacancy = await db
    .insertInto('vacancy')
    .values({ ...owned, employer_id: employer.id, title: 'Labourer' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const employerContact = await db
    .insertInto('employer_contact')
    .values({ ...owned, employer_id: employer.id, specialist_id: on.specialistId, occurred_on: '2026-01-12', method_code: 'face_to_face', purpose_code: 'presenting_candidate' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('employer_contact_participant').values({ ...owned, employer_contact_id: employerContact.id, episode_id: on.episodeId }).execute();
  const file = await db
    .insertInto('stored_file')
    .values({ ...owned, person_id: on.personId, file_name: 'cv.pdf', content_type: 'application/pdf', size_bytes: 9, sha256: '0'.repeat(64), content: Buffer.from('%PDF-1.4\n') })
    .returning('id')
    .executeTakeFirstOrThrow();
  const activity = await db
    .insertInto('job_search_activity')
    .values({ ...owned, episode_id: on.episodeId, kind: 'cv', occurred_on: '2026-01-13', file_id: file.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const claim = await db
    .insertInto('benefit_claim')
    .values({ ...owned, person_id: on.personId, benefit_code: 'universal_credit', started_on: '2026-01-05' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await db
    .insertInto('benefits_session')
    .values({ ...owned, episode_id: on.episodeId, held_on: '2026-01-14', adviser: 'Matrix adviser', calculation: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const job = await db
    .insertInto('job')
    .values({
      ...owned,
      episode_id: on.episodeId,
      employer_id: employer.id,
      title: 'Labourer',
      job_type_code: 'elementary',
      starts_on: '2026-02-02',
      hours_per_week: 20,
      hourly_pay: 13,
      permanent: true,
      open_to_anyone: true,
      competitive: true,
      minimum_hourly_rate: 12.21,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    employer: employer.id,
    employerPerson: employerPerson.id,
    vacancy: vacancy.id,
    employerContact: employerContact.id,
    file: file.id,
    activity: activity.id,
    benefitClaim: claim.id,
    benefitsSession: session.id,
    job: job.id,
    profileVersion: '1',
    reportTableId: 'funnel',
    checkpointWeeks: '13',
  };
}

/**
 * A cost period for the organisation's team, and a target on a commission the
 * organisation holds (made here, covering the organisation itself, unless
 * one exists), so that the matrix's commissioner has a target of its own.
 */
async function costAndTargetFixtures(t: TestApp, organisation: { id: string; teamId: string }) {
  const db = t.deps.db;
  const owned = { organisation_id: organisation.id };
  const costPeriod = await db
    .insertInto('cost_period')
    .values({ ...owned, team_id: organisation.teamId, starts_on: '2026-01-01', ends_on: '2026-03-31', staff_fte: 2, specialist_fte: 1, salaries: 15000 })
    .returning('id')
    .executeTakeFirstOrThrow();
  let commission = await db.selectFrom('commission').select('id').where('organisation_id', '=', organisation.id).executeTakeFirst();
  if (!commission) {
    commission = await db.insertInto('commission').values({ ...owned, name: 'Matrix commission', starts_on: '2026-01-01' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('commission_provider').values({ ...owned, commission_id: commission.id, provider_organisation_id: organisation.id }).execute();
  }
  const target = await db
    .insertInto('commission_target')
    .values({ ...owned, commission_id: commission.id, measure_code: 'referrals', target: 12, starts_on: '2026-01-01', ends_on: '2026-03-31' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { costPeriod: costPeriod.id, commission: commission.id, commissionTarget: target.id };
}

/** "people/:id" or ":contactId": the key PARAM_FIXTURES uses for a param at position `index` of the URL's segments. */
function paramKey(segments: string[], index: number): string {
  const own = segments[index];
  const withParent = `${segments[index - 1]}/${own}`;
  return withParent in PARAM_FIXTURES ? withParent : own;
}

/** The :params of a route pattern, each with its PARAM_FIXTURES key. */
export function routeParams(url: string): Array<{ name: string; key: string }> {
  const segments = url.split('/');
  return segments.flatMap((segment, index) => (segment.startsWith(':') ? [{ name: segment, key: paramKey(segments, index) }] : []));
}

/** The names of every table whose rows belong to an organisation (they carry organisation_id). */
export async function organisationTables(t: TestApp): Promise<string[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where column_name = 'organisation_id' and table_schema = current_schema()
    order by table_name`.execute(t.deps.db);
  return tables.rows.map((row) => row.table_name);
}
