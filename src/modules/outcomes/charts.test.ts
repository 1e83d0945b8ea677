import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sampleReport } from '../../../test/support/outcomes-report.ts';
import { chartData, reportCharts } from './charts.ts';
import { findTable } from './report-table.ts';

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
}

describe('outcomes charts', () => {
  test('the funnel, the monthly figures and the time to first job are drawn from their tables', () => {
    const charts = reportCharts(sampleReport());
    assert.deepEqual(
      charts.map((chart) => chart.tableId),
      ['funnel', 'monthly', 'time-to-first-job-bands'],
    );
    const [funnel, monthly, bands] = charts.map((chart) => chart.svg);
    assert.match(funnel, /<title id="chart-funnel-title">The funnel<\/title>/);
    const funnelTexts = texts(funnel);
    for (const expected of ['Referred', '120', 'Engaged', '48', 'Seen at least once in the community', '64', 'suppressed']) assert.ok(funnelTexts.includes(expected), expected);
    assert.match(funnel, /<desc[^>]*>Horizontal bar chart of the number at each stage: Referred 120; Met in custody suppressed;/);
    assert.match(monthly, /class="tg-chart__legend"/);
    for (const expected of ['April 2025', 'Referrals', 'Engagements', 'Job starts', '15', 'suppressed']) assert.ok(texts(monthly).includes(expected), expected);
    assert.ok(texts(bands).includes('From release'));
  });

  test('a hidden cell becomes a null marked suppressed; a total row is left out', () => {
    const report = sampleReport();
    const data = chartData(findTable(report, 'monthly')!, ['referrals', 'engagements', 'job_starts']);
    assert.deepEqual(data.categories, ['April 2025', 'May 2025', 'June 2025']);
    assert.deepEqual(data.series[2].values, [null, 5, 7]);
    assert.deepEqual(data.series[2].suppressed, [true, false, false]);
    assert.deepEqual(data.series[1].values, [6, 0, 8], 'zero is drawn, not hidden');
    const byPrison = chartData(report.sections[1].tables[0], ['referred']);
    assert.deepEqual(byPrison.categories, ['HMP Leeds', 'HMP Hull, "B" wing', '=HYPERLINK("x")']);
  });

  test('a chart whose table is missing is skipped', () => {
    const report = sampleReport();
    report.sections = report.sections.filter((section) => section.id !== 'funnel');
    assert.deepEqual(
      reportCharts(report).map((chart) => chart.tableId),
      ['time-to-first-job-bands'],
    );
  });
});
