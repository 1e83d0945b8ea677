import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SECTIONS } from '../../src/modules/subject-access/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import type { Browser } from '../support/browser-session.ts';
import { databaseLabel } from '../support/database.ts';
import { contactFor, personWithEpisode } from '../support/journey.ts';

type Row = Record<string, unknown>;
type Export = { person: Row & { aliases: Row[] }; sections: Record<string, Row[]>; personId: string };

describe(`subject access export (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string };
  let otherOrg: { id: string };
  let manager: { browser: Browser; userId: string };
  let practitioner: { browser: Browser; userId: string };

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Access Org');
    otherOrg = await t.organisation('Other Access Org');
    manager = await t.signedIn(org.id, 'manager');
    practitioner = await t.signedIn(org.id, 'practitioner');
  });
  after(() => t.close());

  /** A person with one record in every area the export covers, each carrying `label` where it has text. */
  async function personWithEverything(organisationId: string, label: string, shared?: { employerContactId: string; employerId: string }) {
    const db = t.deps.db;
    const owned = { organisation_id: organisationId };
    const worker = await t.user(organisationId, 'practitioner');
    const { personId, episodeId } = await personWithEpisode(t, organisationId, { givenName: label, familyName: 'Subject', keyWorkerId: worker.id });
    await db.updateTable('person').set({ risk_notes: `${label}-RISK`, sexual_offence_details: `${label}-SOD` }).where('id', '=', personId).execute();
    await db.insertInto('person_alias').values({ ...owned, person_id: personId, given_name: `${label}Alias`, family_name: 'Known' }).execute();
    await db.insertInto('custody_spell').values({ ...owned, episode_id: episodeId, status_code: 'sentenced', sentence_length_days: 180 }).execute();
    await db.insertInto('prison_stay').values({ ...owned, episode_id: episodeId, prison_code: 'LEI', arrived_on: '2025-10-01' }).execute();
    await db.insertInto('release_date').values({ ...owned, episode_id: episodeId, kind_code: 'crd', on_date: '2026-03-01' }).execute();
    await db.insertInto('release').values({ ...owned, episode_id: episodeId, released_on: '2026-03-02', release_type_code: 'licence', note: `${label}-release` }).execute();
    await db.insertInto('release_plan').values({ ...owned, episode_id: episodeId, meet_at_gate: true, meeting_point: `${label}-gate` }).execute();
    await db.insertInto('release_checklist').values({ ...owned, episode_id: episodeId, item_code: 'phone', state: 'done' }).execute();
    const plainContact = await contactFor(t, organisationId, episodeId, { at: '2026-03-03T10:00:00Z' });
    await db.updateTable('contact').set({ note: `${label}-plain-note` }).where('id', '=', plainContact).execute();
    const pathwayContact = await contactFor(t, organisationId, episodeId, { at: '2026-03-04T10:00:00Z' });
    await db.updateTable('contact').set({ note: `${label}-health-note`, pathway_code: 'health' }).where('id', '=', pathwayContact).execute();
    const deletedContact = await contactFor(t, organisationId, episodeId, { at: '2026-03-05T10:00:00Z', deleted: true });
    await db
      .insertInto('contact_revision')
      .values({ ...owned, contact_id: pathwayContact, previous: JSON.stringify({ note: `${label}-old-health-note`, pathway_code: 'health' }) })
      .execute();
    await db.insertInto('task').values({ ...owned, episode_id: episodeId, title: `${label}-task`, due_on: '2026-03-10' }).execute();
    await db.insertInto('allocation').values({ ...owned, episode_id: episodeId, worker_id: worker.id, handover_note: `${label}-handover` }).execute();
    await db.insertInto('custody_event').values({ ...owned, episode_id: episodeId, kind_code: 'recall', reason_code: 'breach_of_licence', occurred_on: '2026-04-01' }).execute();
    await db
      .insertInto('vocational_profile')
      .values({ ...owned, person_id: personId, version: 1, work_history: '[]', qualifications: '[]', skills: `${label}-skills`, conviction_details: `${label}-convictions` })
      .execute();
    await db.insertInto('benefit_claim').values({ ...owned, person_id: personId, benefit_code: 'universal_credit', note: `${label}-claim` }).execute();
    await db.insertInto('benefits_session').values({ ...owned, episode_id: episodeId, held_on: '2026-03-06', adviser: `${label}-adviser`, calculation: null }).execute();
    await db.insertInto('employment_plan').values({ ...owned, episode_id: episodeId, job_search_started_on: '2026-03-07' }).execute();
    const employerId =
      shared?.employerId ??
      (await db.insertInto('employer').values({ ...owned, name: `${label} Builders` }).returning('id').executeTakeFirstOrThrow()).id;
    const employerContactId =
      shared?.employerContactId ??
      (
        await db
          .insertInto('employer_contact')
          .values({ ...owned, employer_id: employerId, specialist_id: worker.id, occurred_on: '2026-03-08', method_code: 'face_to_face', purpose_code: 'presenting_candidate', note: 'Talked about candidates' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await db.insertInto('employer_contact_participant').values({ ...owned, employer_contact_id: employerContactId, episode_id: episodeId }).execute();
    const file = await db
      .insertInto('stored_file')
      .values({ ...owned, person_id: personId, file_name: `${label}-cv.pdf`, content_type: 'application/pdf', size_bytes: 9, sha256: '0'.repeat(64), content: Buffer.from('%PDF-1.4\n') })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('job_search_activity').values({ ...owned, episode_id: episodeId, kind: 'cv', occurred_on: '2026-03-09', file_id: file.id, note: `${label}-activity` }).execute();
    const job = await db
      .insertInto('job')
      .values({ ...owned, episode_id: episodeId, employer_id: employerId, title: `${label}-job`, job_type_code: 'elementary', starts_on: '2026-04-02', hours_per_week: 20, hourly_pay: 13, permanent: true, open_to_anyone: true, competitive: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('job_checkpoint').values({ ...owned, job_id: job.id, weeks: 13, still_in_work: true, confirmed_on: '2026-07-02' }).execute();
    await db.insertInto('person_consent').values({ ...owned, person_id: personId, kind_code: 'share_with_employers', given_on: '2026-03-01', note: `${label}-consent` }).execute();
    await db
      .insertInto('person_revision')
      .values({ ...owned, person_id: personId, reason: `${label}-rectified`, previous: JSON.stringify({ family_name: 'Before', risk_notes: `${label}-OLD-RISK` }) })
      .execute();
    await db.insertInto('referral_draft').values({ ...owned, person_id: personId, created_by: worker.id, answers: JSON.stringify({ note: `${label}-draft` }) }).execute();
    await db
      .insertInto('audit_event')
      .values({ ...owned, occurred_at: new Date(), actor_label: 'seed', action: 'person.viewed', subject_type: 'person', subject_id: personId, detail: '{}', previous_hash: '', hash: `${label}-h1` })
      .execute();
    await db
      .insertInto('audit_event')
      .values({ ...owned, occurred_at: new Date(), actor_label: 'seed', action: 'benefits.viewed', subject_type: 'episode', subject_id: episodeId, detail: '{}', previous_hash: '', hash: `${label}-h2` })
      .execute();
    return { personId, episodeId, contacts: [plainContact, pathwayContact, deletedContact], employerId, employerContactId, fileId: file.id, jobId: job.id };
  }

  const exportOf = async (browser: Browser, personId: string) => {
    const response = await browser.get(`/people/${personId}/subject-access/json`);
    return { response, data: response.statusCode === 200 ? (JSON.parse(response.body) as Export) : null };
  };

  test('the JSON holds every section with the person’s own rows, and nobody else’s', async () => {
    const main = await personWithEverything(org.id, 'MAINP');
    const sameOrg = await personWithEverything(org.id, 'OTHERP', { employerId: main.employerId, employerContactId: main.employerContactId });
    const elsewhere = await personWithEverything(otherOrg.id, 'FARP');

    const { response, data } = await exportOf(manager.browser, main.personId);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /application\/json/);
    assert.match(String(response.headers['content-disposition']), new RegExp(`attachment; filename="subject-access-${main.personId}.json"`));
    assert.ok(data);
    assert.equal(data.person.id, main.personId);
    assert.deepEqual(data.person.aliases.map((alias) => alias.given_name), ['MAINPAlias']);

    const expectedCounts: Record<string, number> = {
      aliases: 1, episodes: 1, referrals: 1, custodySpells: 1, prisonStays: 1, releaseDates: 1, releases: 1, releasePlans: 1,
      releaseChecklist: 1, contacts: 3, contactRevisions: 1, tasks: 1, allocations: 1, custodyEvents: 1, vocationalProfiles: 1,
      benefitClaims: 1, benefitsSessions: 1, employmentPlans: 1, jobSearchActivities: 1, employerContacts: 1, jobs: 1,
      jobCheckpoints: 1, storedFiles: 1, referralDrafts: 1, consents: 1, personRevisions: 1, auditEvents: 2,
    };
    assert.deepEqual(Object.keys(data.sections).sort(), SECTIONS.map((section) => section.key).sort());
    for (const section of SECTIONS) {
      assert.equal(data.sections[section.key].length, expectedCounts[section.key], `${section.key} holds the person's rows`);
    }
    const episodeRows = Object.entries(data.sections).filter(([, rows]) => rows.some((row) => 'episode_id' in row));
    for (const [key, rows] of episodeRows) for (const row of rows) assert.equal(row.episode_id, main.episodeId, key);
    assert.deepEqual(data.sections.contacts.map((row) => row.id).sort(), [...main.contacts].sort());
    assert.deepEqual(data.sections.contacts.map((row) => row.deleted), [false, false, true], 'deleted contacts are included and marked');
    assert.equal(data.sections.storedFiles[0].id, main.fileId);
    assert.equal('content' in data.sections.storedFiles[0], false, 'file metadata only, never the bytes');
    assert.equal(data.sections.jobCheckpoints[0].job_id, main.jobId);
    assert.equal(data.sections.employerContacts[0].employer_name, 'MAINP Builders');

    const text = JSON.stringify(data);
    for (const marker of ['OTHERP', 'FARP', sameOrg.personId, sameOrg.episodeId, elsewhere.personId, elsewhere.episodeId]) {
      assert.equal(text.includes(marker), false, `nothing of another person: ${marker}`);
    }
    for (const marker of ['MAINP-release', 'MAINP-plain-note', 'MAINP-task', 'MAINP-handover', 'MAINP-skills', 'MAINP-claim', 'MAINP-adviser', 'MAINP-activity', 'MAINP-job', 'MAINP-consent', 'MAINP-rectified', 'MAINP-draft']) {
      assert.ok(text.includes(marker), marker);
    }
  });

  test('restricted parts are included but marked for review before release', async () => {
    const main = await personWithEverything(org.id, 'MARKP');
    const { data } = await exportOf(manager.browser, main.personId);
    assert.ok(data);
    const marked = (value: unknown, expected: string) => {
      const marker = value as { restricted: boolean; reviewBeforeRelease: boolean; value: unknown };
      assert.equal(marker.restricted, true);
      assert.equal(marker.reviewBeforeRelease, true);
      assert.equal(marker.value, expected);
    };
    marked(data.person.risk_notes, 'MARKP-RISK');
    marked(data.person.sexual_offence_details, 'MARKP-SOD');
    const pathwayContact = data.sections.contacts.find((row) => row.id === main.contacts[1]);
    marked(pathwayContact?.note, 'MARKP-health-note');
    assert.equal(data.sections.contacts.find((row) => row.id === main.contacts[0])?.note, 'MARKP-plain-note', 'an ordinary note is not marked');
    marked((data.sections.contactRevisions[0].previous as Row).note, 'MARKP-old-health-note');
    marked(data.sections.vocationalProfiles[0].conviction_details, 'MARKP-convictions');
    marked((data.sections.personRevisions[0].previous as Row).risk_notes, 'MARKP-OLD-RISK');
    assert.equal((data.sections.personRevisions[0].previous as Row).family_name, 'Before');
    marked(data.sections.employerContacts[0].note, 'Talked about candidates');
  });

  test('the HTML document renders every section, with review boxes; both exports are audited with their format', async () => {
    const main = await personWithEverything(org.id, 'HTMLP');
    const page = await manager.browser.get(`/people/${main.personId}/subject-access`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`href="/people/${main.personId}/subject-access/json"`));
    assert.match(page.body, new RegExp(`href="/people/${main.personId}/subject-access/html"`));

    const html = await manager.browser.get(`/people/${main.personId}/subject-access/html`);
    assert.equal(html.statusCode, 200);
    assert.match(html.body, /id="section-person"/);
    for (const section of SECTIONS) {
      assert.match(html.body, new RegExp(`id="section-${section.key}"`), section.key);
    }
    assert.match(html.body, /Review before release[\s\S]*HTMLP-RISK/);
    assert.match(html.body, /HTMLP-health-note/);
    assert.match(html.body, /HTMLP-cv\.pdf/);
    await exportOf(manager.browser, main.personId);

    const audits = await t.deps.db
      .selectFrom('audit_event')
      .selectAll()
      .where('subject_id', '=', main.personId)
      .where('action', '=', 'person.subject-access.exported')
      .orderBy('id')
      .execute();
    assert.deepEqual(audits.map((row) => row.detail), [{ format: 'html' }, { format: 'json' }]);
    assert.ok(audits.every((row) => row.actor_user_id === manager.userId));
  });

  test('a practitioner gets 403; another organisation’s person and a malformed id are 404; nothing is audited', async () => {
    const main = await personWithEverything(org.id, 'DENYP');
    const elsewhere = await personWithEpisode(t, otherOrg.id);
    for (const suffix of ['', '/json', '/html']) {
      const refused = await practitioner.browser.get(`/people/${main.personId}/subject-access${suffix}`);
      assert.equal(refused.statusCode, 403, suffix);
      assert.doesNotMatch(refused.body, /DENYP-RISK/);
      assert.equal((await manager.browser.get(`/people/${elsewhere.personId}/subject-access${suffix}`)).statusCode, 404, suffix);
      assert.equal((await manager.browser.get(`/people/not-a-uuid/subject-access${suffix}`)).statusCode, 404, suffix);
    }
    const exported = await t.deps.db
      .selectFrom('audit_event')
      .select('id')
      .where('subject_id', 'in', [main.personId, elsewhere.personId])
      .where('action', '=', 'person.subject-access.exported')
      .execute();
    assert.equal(exported.length, 0);
  });
});
