import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, todayInLondon } from '../../src/modules/custody/dates.ts';
import { apiTokenFor, createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { episodeRow, personWithEpisode } from '../support/journey.ts';

describe(`episodes and custody API: decisions, allocation, exit, custody events, tasks and the release plan (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  let manager: string;
  let practitioner: string;
  let commissioner: string;
  let workerA: string;
  let workerB: string;
  const today = todayInLondon();
  const tomorrow = addDays(today, 1);

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Episodes API Org');
    otherOrg = await t.organisation('Other Episodes API Org');
    manager = await apiTokenFor(t, org.id, 'manager');
    practitioner = await apiTokenFor(t, org.id, 'practitioner');
    commissioner = await apiTokenFor(t, org.id, 'commissioner');
    workerA = (await t.user(org.id, 'practitioner')).id;
    workerB = (await t.user(org.id, 'practitioner')).id;
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, token = manager) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload: payload as object } : {}) });
  const getEpisode = async (episodeId: string) => (await call('GET', `/api/v1/episodes/${episodeId}`)).json();
  const auditRows = (episodeId: string, action: string) =>
    t.deps.db.selectFrom('audit_event').selectAll().where('subject_id', '=', episodeId).where('action', '=', action).execute();
  const pointers = (response: { json(): { errors?: Array<{ pointer: string }> } }) =>
    (response.json().errors ?? []).map((error) => error.pointer).sort();

  function assertProblem(response: Awaited<ReturnType<typeof call>>, status: number) {
    assert.equal(response.statusCode, status, response.body);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  }

  async function pendingReferral(): Promise<string> {
    const created = await call('POST', '/api/v1/referrals', {
      person: { givenName: 'Pending', familyName: 'Referral' },
      receivedOn: '2026-01-10',
      sourceCode: 'probation',
    });
    assert.equal(created.statusCode, 201, created.body);
    return created.json().episodeId;
  }

  test('accepting a referral by token records the decision with no deciding user, and is audited', async () => {
    const episodeId = await pendingReferral();
    const before = await getEpisode(episodeId);
    assert.equal(before.referralStatus, 'pending');
    assert.equal(typeof before.referralVersion, 'number');

    const accepted = await call('POST', `/api/v1/episodes/${episodeId}/decision`, { decision: 'accept', version: before.referralVersion });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().referralStatus, 'accepted');
    assert.equal(accepted.json().keyWorkerId, null, 'a token is nobody, so it does not become the key worker');
    const referral = await t.deps.db.selectFrom('referral').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    assert.equal(referral.status, 'accepted');
    assert.equal(referral.decided_by, null);
    assert.equal(referral.decided_on, today);
    const audit = await auditRows(episodeId, 'referral.accepted');
    assert.equal(audit.length, 1);
    assert.match(audit[0].actor_label, /^api-token:/);

    const again = await call('POST', `/api/v1/episodes/${episodeId}/decision`, { decision: 'decline', reasonCode: 'other', note: 'Late', version: accepted.json().referralVersion });
    assertProblem(again, 400);
    assert.deepEqual(pointers(again), ['/decision']);
  });

  test('a decline needs a listed reason and a note; a stale version is 409 and changes nothing', async () => {
    const episodeId = await pendingReferral();
    const { referralVersion } = await getEpisode(episodeId);
    const bare = await call('POST', `/api/v1/episodes/${episodeId}/decision`, { decision: 'decline', version: referralVersion });
    assertProblem(bare, 400);
    assert.deepEqual(pointers(bare), ['/note', '/reasonCode']);
    const badReason = await call('POST', `/api/v1/episodes/${episodeId}/decision`, { decision: 'decline', reasonCode: 'bored', note: 'x', version: referralVersion });
    assert.deepEqual(pointers(badReason), ['/reasonCode']);
    const badDecision = await call('POST', `/api/v1/episodes/${episodeId}/decision`, { decision: 'maybe', version: referralVersion });
    assertProblem(badDecision, 400);
    const unknownField = await call('POST', `/api/v1/episodes/${episodeId}/decision`, { decision: 'accept', version: referralVersion, status: 'accepted' });
    assertProblem(unknownField, 400);

    const stale = await call('POST', `/api/v1/episodes/${episodeId}/decision`, {
      decision: 'decline',
      reasonCode: 'outside_service_area',
      note: 'Released to Cornwall',
      version: referralVersion + 1,
    });
    assertProblem(stale, 409);
    assert.equal((await getEpisode(episodeId)).referralStatus, 'pending');

    const declined = await call('POST', `/api/v1/episodes/${episodeId}/decision`, {
      decision: 'decline',
      reasonCode: 'outside_service_area',
      note: 'Released to Cornwall',
      version: referralVersion,
    });
    assert.equal(declined.statusCode, 200, declined.body);
    assert.equal(declined.json().referralStatus, 'declined');
    const referral = await t.deps.db.selectFrom('referral').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    assert.equal(referral.decision_reason_code, 'outside_service_area');
    assert.equal(referral.decision_note, 'Released to Cornwall');
    assert.equal((await auditRows(episodeId, 'referral.declined')).length, 1);
  });

  test('allocation by token keeps history with no allocating user; a change needs a handover note and the current version', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const first = await call('POST', `/api/v1/episodes/${episodeId}/allocation`, { workerId: workerA, version: (await getEpisode(episodeId)).version });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().keyWorkerId, workerA);

    const noNote = await call('POST', `/api/v1/episodes/${episodeId}/allocation`, { workerId: workerB, version: first.json().version });
    assertProblem(noNote, 400);
    assert.deepEqual(pointers(noNote), ['/handoverNote']);
    const outsider = (await t.user(otherOrg.id, 'practitioner')).id;
    for (const workerId of [outsider, workerA, 'not-a-uuid']) {
      const wrong = await call('POST', `/api/v1/episodes/${episodeId}/allocation`, { workerId, handoverNote: 'Over to you', version: first.json().version });
      assertProblem(wrong, 400);
      assert.deepEqual(pointers(wrong), ['/workerId'], workerId);
    }
    const stale = await call('POST', `/api/v1/episodes/${episodeId}/allocation`, { workerId: workerB, handoverNote: 'Over to you', version: first.json().version - 1 });
    assertProblem(stale, 409);
    assert.equal((await episodeRow(t, episodeId)).key_worker_id, workerA);

    const second = await call('POST', `/api/v1/episodes/${episodeId}/allocation`, { workerId: workerB, handoverNote: 'Over to you', version: first.json().version });
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json().keyWorkerId, workerB);
    const history = await t.deps.db.selectFrom('allocation').selectAll().where('episode_id', '=', episodeId).orderBy('allocated_at').orderBy('id').execute();
    assert.deepEqual(
      history.map((row) => [row.worker_id, row.allocated_by, row.handover_note, row.ended_at === null]),
      [
        [workerA, null, null, false],
        [workerB, null, 'Over to you', true],
      ],
    );
    const audit = await auditRows(episodeId, 'episode.allocated');
    assert.equal(audit.length, 2);
    assert.match(audit[1].actor_label, /^api-token:/);
  });

  test('exit closes the episode with a checked reason and date, and reopen opens it again; both need the current version', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    const version = (await getEpisode(episodeId)).version;
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ exitedOn: tomorrow, reasonCode: 'goals_met' }, ['/exitedOn']],
      [{ exitedOn: '2026-01-04', reasonCode: 'goals_met' }, ['/exitedOn']],
      [{ exitedOn: '2026-02-01', reasonCode: 'bored' }, ['/reasonCode']],
    ];
    for (const [body, expected] of cases) {
      const bad = await call('POST', `/api/v1/episodes/${episodeId}/exit`, { ...body, version });
      assertProblem(bad, 400);
      assert.deepEqual(pointers(bad), expected, JSON.stringify(body));
    }
    for (const exitedOn of ['2026-02-30', '1 Feb 2026']) {
      assertProblem(await call('POST', `/api/v1/episodes/${episodeId}/exit`, { exitedOn, reasonCode: 'goals_met', version }), 400);
    }
    assertProblem(await call('POST', `/api/v1/episodes/${episodeId}/exit`, { exitedOn: '2026-02-01', reasonCode: 'goals_met', version: version + 1 }), 409);
    assert.equal((await episodeRow(t, episodeId)).exited_on, null);

    const exited = await call('POST', `/api/v1/episodes/${episodeId}/exit`, { exitedOn: '2026-02-01', reasonCode: 'goals_met', note: 'Working', version });
    assert.equal(exited.statusCode, 200, exited.body);
    assert.equal(exited.json().stage, 'exited');
    assert.equal(exited.json().stageDates.exited, '2026-02-01');
    assert.equal(exited.json().exitReasonCode, 'goals_met');
    assert.equal((await episodeRow(t, episodeId)).exit_note, 'Working');
    assert.equal((await auditRows(episodeId, 'episode.exited')).length, 1);
    const twice = await call('POST', `/api/v1/episodes/${episodeId}/exit`, { exitedOn: '2026-02-01', reasonCode: 'goals_met', version: exited.json().version });
    assertProblem(twice, 400);

    assertProblem(await call('POST', `/api/v1/episodes/${episodeId}/reopen`, { version }), 409);
    assertProblem(await call('POST', `/api/v1/episodes/${episodeId}/reopen`, {}), 400);
    const reopened = await call('POST', `/api/v1/episodes/${episodeId}/reopen`, { version: exited.json().version });
    assert.equal(reopened.statusCode, 200, reopened.body);
    assert.equal(reopened.json().stage, 'referred');
    assert.equal(reopened.json().stageDates.exited, null);
    assert.equal((await episodeRow(t, episodeId)).exit_reason_code, null);
    assert.equal((await auditRows(episodeId, 'episode.reopened')).length, 1);
    const alreadyOpen = await call('POST', `/api/v1/episodes/${episodeId}/reopen`, { version: reopened.json().version });
    assertProblem(alreadyOpen, 400);
    assert.deepEqual(pointers(alreadyOpen), ['/reopen']);
  });

  test('a return to custody is recorded with its kind, reason and date, by nobody in particular, and audited', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { referredOn: '2026-01-05' });
    const created = await call('POST', `/api/v1/episodes/${episodeId}/custody-events`, {
      kind: 'recall',
      reason: 'breach_of_licence',
      occurredOn: '2026-03-02',
      note: '  Missed appointments ',
    });
    assert.equal(created.statusCode, 201, created.body);
    const event = created.json();
    assert.deepEqual({ ...event, id: undefined }, {
      id: undefined,
      episodeId,
      kind: 'recall',
      reason: 'breach_of_licence',
      occurredOn: '2026-03-02',
      note: 'Missed appointments',
    });
    const row = await t.deps.db.selectFrom('custody_event').selectAll().where('id', '=', event.id).executeTakeFirstOrThrow();
    assert.equal(row.recorded_by, null);
    assert.equal((await auditRows(episodeId, 'custody-event.recorded')).length, 1);

    const bad = await call('POST', `/api/v1/episodes/${episodeId}/custody-events`, { kind: 'escape', reason: 'whim', occurredOn: tomorrow });
    assertProblem(bad, 400);
    assert.deepEqual(pointers(bad), ['/kind', '/occurredOn', '/reason']);
    const early = await call('POST', `/api/v1/episodes/${episodeId}/custody-events`, { kind: 'remand', reason: 'alleged_new_offence', occurredOn: '2025-12-01' });
    assert.deepEqual(pointers(early), ['/occurredOn']);
    assertProblem(await call('POST', `/api/v1/episodes/${episodeId}/custody-events`, { kind: 'remand', reason: 'alleged_new_offence' }), 400);
    assert.equal((await t.deps.db.selectFrom('custody_event').select('id').where('episode_id', '=', episodeId).execute()).length, 1);
  });

  test('the tasks list shows the release-anchored schedule with status and assignee, and is audited', async () => {
    const { episodeId } = await personWithEpisode(t, org.id, { keyWorkerId: workerA });
    const release = addDays(today, 10);
    assert.equal((await call('PUT', `/api/v1/episodes/${episodeId}/release-dates`, { conditional_release: release })).statusCode, 200);
    const list = await call('GET', `/api/v1/episodes/${episodeId}/tasks`, undefined, practitioner);
    assert.equal(list.statusCode, 200, list.body);
    const items = list.json().items as Array<Record<string, unknown>>;
    assert.equal(items.length, 6);
    assert.deepEqual(items[0], { ...items[0], title: 'Contact 6 weeks before release', dueOn: addDays(release, -42), status: 'overdue', assigneeId: workerA, fromSchedule: true, completedAt: null });
    assert.equal(items.find((item) => item.title === 'Release day')?.status, 'due');
    assert.equal((await auditRows(episodeId, 'tasks.viewed')).length, 1);
  });

  test('the release plan reads empty, saves whole with its checklist, and a save without the current version is 409', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const empty = await call('GET', `/api/v1/episodes/${episodeId}/release-plan`, undefined, practitioner);
    assert.equal(empty.statusCode, 200, empty.body);
    assert.equal(empty.json().version, null);
    assert.equal(empty.json().meetAtGate, null);
    assert.equal(empty.json().checklist.length, 7);
    assert.ok(empty.json().checklist.every((item: { state: string }) => item.state === 'to_do'));

    const plan = {
      meetAtGate: true,
      gateWorkerId: workerA,
      meetingPoint: 'Main gate',
      meetingTime: '08.30',
      checklist: { gp: { state: 'done', note: 'Registered' }, bank_account: { state: 'declined' } },
    };
    const saved = await call('PUT', `/api/v1/episodes/${episodeId}/release-plan`, plan, practitioner);
    assert.equal(saved.statusCode, 200, saved.body);
    const body = saved.json();
    assert.equal(body.version, 1);
    assert.equal(body.gateWorkerId, workerA);
    assert.equal(body.meetingTime, '08:30');
    assert.deepEqual(body.checklist.find((item: { code: string }) => item.code === 'gp'), { code: 'gp', label: 'GP registration', state: 'done', note: 'Registered' });
    const gp = await t.deps.db.selectFrom('release_checklist').selectAll().where('episode_id', '=', episodeId).where('item_code', '=', 'gp').executeTakeFirstOrThrow();
    assert.equal(gp.updated_by, null);
    assert.equal((await auditRows(episodeId, 'release_plan.saved')).length, 1);

    assertProblem(await call('PUT', `/api/v1/episodes/${episodeId}/release-plan`, { meetAtGate: false }, practitioner), 409);
    assertProblem(await call('PUT', `/api/v1/episodes/${episodeId}/release-plan`, { meetAtGate: false, version: 7 }, practitioner), 409);
    const changed = await call('PUT', `/api/v1/episodes/${episodeId}/release-plan`, { meetAtGate: false, version: 1 }, practitioner);
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().meetAtGate, false);
    assert.equal(changed.json().gateWorkerId, null);
    assert.equal(changed.json().checklist.find((item: { code: string }) => item.code === 'gp').state, 'to_do', 'PUT replaces the whole plan');
  });

  test('a bad release plan is 400 with pointers into the body, and nothing is saved', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ meetAtGate: true }, ['/gateWorkerId']],
      [{ meetAtGate: true, gateWorkerId: workerA, meetingTime: '25:00' }, ['/meetingTime']],
      [{ meetAtGate: false, checklist: { nope: { state: 'done' } } }, ['/checklist/nope/state']],
    ];
    for (const [body, expected] of cases) {
      const bad = await call('PUT', `/api/v1/episodes/${episodeId}/release-plan`, body);
      assertProblem(bad, 400);
      assert.deepEqual(pointers(bad), expected, JSON.stringify(body));
    }
    for (const body of [{ meetAtGate: 'yes' }, { meetAtGate: false, checklist: { gp: { state: 'finished' } } }, { meetAtGate: false, extra: 1 }]) {
      assertProblem(await call('PUT', `/api/v1/episodes/${episodeId}/release-plan`, body), 400);
    }
    assert.equal((await t.deps.db.selectFrom('release_plan').select('episode_id').where('episode_id', '=', episodeId).execute()).length, 0);
  });

  const operations = (episodeId: string) =>
    [
      ['POST', `/api/v1/episodes/${episodeId}/decision`, { decision: 'accept', version: 1 }],
      ['POST', `/api/v1/episodes/${episodeId}/allocation`, { workerId: workerA, version: 1 }],
      ['POST', `/api/v1/episodes/${episodeId}/exit`, { exitedOn: '2026-02-01', reasonCode: 'goals_met', version: 1 }],
      ['POST', `/api/v1/episodes/${episodeId}/reopen`, { version: 1 }],
      ['POST', `/api/v1/episodes/${episodeId}/custody-events`, { kind: 'recall', reason: 'breach_of_licence', occurredOn: '2026-02-01' }],
      ['GET', `/api/v1/episodes/${episodeId}/tasks`, undefined],
      ['GET', `/api/v1/episodes/${episodeId}/release-plan`, undefined],
      ['PUT', `/api/v1/episodes/${episodeId}/release-plan`, { meetAtGate: false }],
    ] as const;

  test("another organisation's episode and a malformed id are 404 for every operation, and nothing is written", async () => {
    const theirs = await personWithEpisode(t, otherOrg.id);
    for (const episodeId of [theirs.episodeId, 'not-a-uuid']) {
      for (const [method, url, body] of operations(episodeId)) {
        assertProblem(await call(method, url, body), 404);
      }
    }
    const row = await episodeRow(t, theirs.episodeId);
    assert.equal(row.key_worker_id, null);
    assert.equal(row.exited_on, null);
    assert.equal((await t.deps.db.selectFrom('custody_event').select('id').where('episode_id', '=', theirs.episodeId).execute()).length, 0);
    assert.equal((await t.deps.db.selectFrom('release_plan').select('episode_id').where('episode_id', '=', theirs.episodeId).execute()).length, 0);
  });

  test('a commissioner token is 403 for every operation, and a practitioner may not allocate', async () => {
    const { episodeId } = await personWithEpisode(t, org.id);
    for (const [method, url, body] of operations(episodeId)) {
      assertProblem(await call(method, url, body, commissioner), 403);
    }
    assertProblem(await call('POST', `/api/v1/episodes/${episodeId}/allocation`, { workerId: workerA, version: 1 }, practitioner), 403);
    assert.equal((await episodeRow(t, episodeId)).key_worker_id, null);
  });

  test('the OpenAPI document lists the operations under the episodes and custody tags, with strict bodies', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const paths = doc.paths;
    for (const path of ['decision', 'allocation', 'exit', 'reopen', 'custody-events']) {
      const operation = paths[`/api/v1/episodes/{id}/${path}`]?.post;
      assert.deepEqual(operation?.tags, ['episodes'], path);
      assert.equal(operation.requestBody.content['application/json'].schema.additionalProperties, false, path);
    }
    assert.ok(paths['/api/v1/episodes/{id}/decision'].post.responses['409']);
    assert.deepEqual(paths['/api/v1/episodes/{id}/tasks'].get.tags, ['custody']);
    assert.deepEqual(paths['/api/v1/episodes/{id}/release-plan'].get.tags, ['custody']);
    assert.deepEqual(paths['/api/v1/episodes/{id}/release-plan'].put.tags, ['custody']);
    assert.ok(paths['/api/v1/episodes/{id}/release-plan'].put.responses['409']);
  });
});
