/**
 * The capacity-and-cost table on hand-made cost periods and episodes, every
 * figure worked out by hand below.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { capacityAndCostTable } from '../../src/modules/costs/report.ts';
import type { ReportTable } from '../../src/modules/outcomes/report-table.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { databaseLabel } from '../support/database.ts';
import { personWithEpisode } from '../support/journey.ts';

function values(table: ReportTable): Record<string, unknown> {
  return Object.fromEntries(table.rows.map((row) => [row.key, row.cells.value]));
}

describe(`capacity and cost table (${databaseLabel()})`, () => {
  let t: TestApp;
  let org: { id: string; teamId: string };
  let otherOrg: { id: string; teamId: string };
  const QUARTER = { from: '2026-04-01', to: '2026-06-30', asAt: '2026-06-30' }; // 30 + 31 + 30 = 91 days

  before(async () => {
    t = await createTestApp();
    org = await t.organisation('Cost Report Org');
    otherOrg = await t.organisation('Cost Report Other');
    const db = t.deps.db;
    const period = (organisationId: string, values: Record<string, unknown>) =>
      db.insertInto('cost_period').values({ organisation_id: organisationId, staff_fte: 0, ...values } as never).execute();
    // P1, whole organisation, 1 Jan to 30 Apr (120 days): 30 days inside, so a quarter of its costs.
    await period(org.id, { starts_on: '2026-01-01', ends_on: '2026-04-30', staff_fte: 2, specialist_fte: 1, salaries: 12000, overheads: 1200, management: 600, travel: 120 });
    // P2, whole organisation, May (31 days), all inside.
    await period(org.id, { starts_on: '2026-05-01', ends_on: '2026-05-31', staff_fte: 4, specialist_fte: 3, salaries: 6200, other: 310 });
    // T1, the team, 11 Jun to 31 Dec (204 days): 20 days inside, so 20/204 of its costs. 1 to 10 June have no costs.
    await period(org.id, { team_id: org.teamId, starts_on: '2026-06-11', ends_on: '2026-12-31', staff_fte: 1, specialist_fte: 1, salaries: 20400 });
    // Outside the quarter, and another organisation's: never counted.
    await period(org.id, { starts_on: '2025-01-01', ends_on: '2025-12-31', staff_fte: 50, salaries: 999999 });
    await period(otherOrg.id, { starts_on: '2026-04-01', ends_on: '2026-06-30', staff_fte: 70, specialist_fte: 70, salaries: 777777 });

    // Open on 30 June: E1 (whole organisation), E2 (the team), E4 (exits later, on 15 July).
    await personWithEpisode(t, org.id, { referredOn: '2026-03-01' });
    await personWithEpisode(t, org.id, { referredOn: '2026-05-01', teamId: org.teamId });
    const e3 = await personWithEpisode(t, org.id, { referredOn: '2026-02-01' });
    await db.updateTable('episode').set({ exited_on: '2026-06-15', exit_reason_code: 'goals_met' }).where('id', '=', e3.episodeId).execute();
    const e4 = await personWithEpisode(t, org.id, { referredOn: '2026-04-01' });
    await db.updateTable('episode').set({ exited_on: '2026-07-15', exit_reason_code: 'goals_met' }).where('id', '=', e4.episodeId).execute();
    await personWithEpisode(t, org.id, { referredOn: '2026-07-05' });
    const declined = await personWithEpisode(t, org.id, { referredOn: '2026-03-01' });
    await db.updateTable('referral').set({ status: 'declined' }).where('episode_id', '=', declined.episodeId).execute();
    await personWithEpisode(t, otherOrg.id, { referredOn: '2026-03-01' });
  });
  after(() => t.close());

  test('organisation-wide: proration across period boundaries, FTE weighted by days, cost per person and per year', async () => {
    const table = await capacityAndCostTable(t.deps.db, { organisationIds: [org.id] }, QUARTER, { seenInCommunity: 10, engaged: 4 });
    assert.equal(table.id, 'capacity-and-cost');
    assert.deepEqual(
      table.columns.map((column) => [column.key, column.kind]),
      [
        ['measure', 'label'],
        ['value', 'number'],
        ['unit', 'text'],
      ],
    );
    assert.deepEqual(values(table), {
      // Covered days: 91 - 10 (1 to 10 June) = 81. Staff: (2×30 + 4×31 + 1×20) / 81 = 204/81 = 2.5185…
      staff_fte: 2.52,
      // Specialists: (1×30 + 3×31 + 1×20) / 81 = 143/81 = 1.7654…
      specialist_fte: 1.77,
      // 12000/4 + 6200 + 20400×20/204 = 3000 + 6200 + 2000
      salaries: 11200,
      overheads: 300,
      management: 150,
      travel: 30,
      other: 310,
      total_cost: 11990,
      cost_per_person_seen: 1199,
      cost_per_person_engaged: 2997.5,
      // 1199 × 365 / 91 = 4809.1758…; 2997.5 × 365 / 91 = 12022.9396…
      cost_per_person_seen_per_year: 4809.18,
      cost_per_person_engaged_per_year: 12022.94,
      // E1, E2 and E4 (E3 exited on 15 June, E5 referred after, the declined referral never opened).
      active_caseload: 3,
      // 3 / (143/81) = 243/143 = 1.6993…
      caseload_per_specialist_fte: 1.7,
    });
    const basis = Object.fromEntries(table.rows.filter((row) => row.basis !== undefined).map((row) => [row.key, row.basis]));
    assert.equal(basis.cost_per_person_seen, 10);
    assert.equal(basis.cost_per_person_engaged_per_year, 4);
    assert.equal(basis.active_caseload, 3);
    const notes = table.notes?.join('\n') ?? '';
    assert.match(notes, /Costs are entered by the organisation’s managers/);
    assert.match(notes, /No costs were entered for 10 of the 91 days of this period: 1 June 2026 to 10 June 2026/);
    assert.doesNotMatch(notes, /overlap/);
  });

  test('a team-narrowed report uses that team’s periods and caseload only', async () => {
    const table = await capacityAndCostTable(t.deps.db, { organisationIds: [org.id], teamId: org.teamId }, QUARTER, { seenInCommunity: 2, engaged: 1 });
    const figures = values(table);
    // Only T1: 1 FTE on each of its 20 covered days.
    assert.equal(figures.staff_fte, 1);
    assert.equal(figures.specialist_fte, 1);
    assert.equal(figures.salaries, 2000);
    assert.equal(figures.total_cost, 2000);
    assert.equal(figures.cost_per_person_seen, 1000);
    // 2000 × 365 / 91 = 8021.978…
    assert.equal(figures.cost_per_person_engaged_per_year, 8021.98);
    assert.equal(figures.active_caseload, 1);
    assert.equal(figures.caseload_per_specialist_fte, 1);
    assert.match(table.notes?.join('\n') ?? '', /No costs were entered for 71 of the 91 days of this period: 1 April 2026 to 10 June 2026/);
  });

  test('the caseload is as at the as-at date', async () => {
    const table = await capacityAndCostTable(t.deps.db, { organisationIds: [org.id] }, { ...QUARTER, asAt: '2026-06-01' }, { seenInCommunity: 0, engaged: 0 });
    // On 1 June: E1, E2, E3 (exits on 15 June) and E4.
    assert.equal(values(table).active_caseload, 4);
  });

  test('nothing to divide by gives null, never NaN or Infinity', async () => {
    const empty = await t.organisation('Cost Report Empty');
    const table = await capacityAndCostTable(t.deps.db, { organisationIds: [empty.id] }, QUARTER, { seenInCommunity: 0, engaged: 0 });
    assert.deepEqual(values(table), {
      staff_fte: null,
      specialist_fte: null,
      salaries: 0,
      overheads: 0,
      management: 0,
      travel: 0,
      other: 0,
      total_cost: 0,
      cost_per_person_seen: null,
      cost_per_person_engaged: null,
      cost_per_person_seen_per_year: null,
      cost_per_person_engaged_per_year: null,
      active_caseload: 0,
      caseload_per_specialist_fte: null,
    });
    assert.match(table.notes?.join('\n') ?? '', /No costs were entered for any day of this period/);
    assert.deepEqual(values(await capacityAndCostTable(t.deps.db, { organisationIds: [] }, QUARTER, { seenInCommunity: 1, engaged: 1 })).total_cost, 0);

    // Staff but no specialists: caseload per specialist is null, not Infinity.
    await t.deps.db.insertInto('cost_period').values({ organisation_id: empty.id, starts_on: '2026-04-01', ends_on: '2026-06-30', staff_fte: 2 }).execute();
    await personWithEpisode(t, empty.id, { referredOn: '2026-04-02' });
    const noSpecialists = values(await capacityAndCostTable(t.deps.db, { organisationIds: [empty.id] }, QUARTER, { seenInCommunity: 0, engaged: 0 }));
    assert.equal(noSpecialists.staff_fte, 2);
    assert.equal(noSpecialists.specialist_fte, 0);
    assert.equal(noSpecialists.active_caseload, 1);
    assert.equal(noSpecialists.caseload_per_specialist_fte, null);
  });

  test('overlapping periods for the same team are counted and warned about', async () => {
    const overlapping = await t.organisation('Cost Report Overlap');
    const insert = (starts: string, ends: string, salaries: number) =>
      t.deps.db.insertInto('cost_period').values({ organisation_id: overlapping.id, starts_on: starts, ends_on: ends, staff_fte: 1, salaries }).execute();
    await insert('2026-04-01', '2026-06-30', 9100);
    await insert('2026-06-01', '2026-06-30', 3000);
    const table = await capacityAndCostTable(t.deps.db, { organisationIds: [overlapping.id] }, QUARTER, { seenInCommunity: 0, engaged: 0 });
    const figures = values(table);
    assert.equal(figures.total_cost, 12100);
    // (1×91 + 1×30) / 91 = 1.3296…
    assert.equal(figures.staff_fte, 1.33);
    assert.match(table.notes?.join('\n') ?? '', /Warning: cost periods for the same team overlap.*1 April 2026 to 30 June 2026 and 1 June 2026 to 30 June 2026/);
  });
});
