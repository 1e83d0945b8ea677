import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sampleReport } from '../../../../test/support/outcomes-report.ts';
import { findTable } from '../report-table.ts';
import { neutraliseFormula, tableToCsv } from './csv.ts';

describe('CSV export', () => {
  test('a table is RFC 4180 with a byte order mark, CRLF lines, percentages to 1 decimal place and [c] for hidden cells', () => {
    const csv = tableToCsv(findTable(sampleReport(), 'funnel')!);
    assert.ok(csv.startsWith('\uFEFFStage,'));
    assert.ok(csv.endsWith('\r\n'));
    assert.doesNotMatch(csv.replace(/\r\n/g, ''), /\n/);
    const lines = csv.slice(1).split('\r\n');
    assert.deepEqual(lines.slice(0, 4), [
      'Stage,Count,Rate against the stage before (%),Rate against referrals (%)',
      'Referred,120,,100.0',
      'Met in custody,[c],[c],[c]',
      'Seen at least once in the community,64,[c],53.3',
    ]);
    assert.equal(lines[9], 'People with two or more jobs,0,0.0,0.0', 'zero is shown');
  });

  test('quotes are doubled, fields with commas are quoted, text that a spreadsheet would run is neutralised, and notes follow', () => {
    const csv = tableToCsv(sampleReport().sections[1].tables[0], { disclosureMethod: 'Counts from 1 to 4 are hidden, as "[c]".' });
    const lines = csv.slice(1).split('\r\n');
    assert.equal(lines[0], 'Prison,Referred,Share of referred (%),Engaged,Share of engaged (%)');
    assert.equal(lines[1], 'HMP Leeds,70,58.3,30,62.5');
    assert.equal(lines[2], '"HMP Hull, ""B"" wing",[c],[c],[c],[c]');
    assert.equal(lines[3], `"'=HYPERLINK(""x"")",[c],[c],[c],[c]`);
    assert.equal(lines[4], 'Total,120,100.0,48,100.0');
    assert.equal(lines[5], '');
    assert.equal(lines[6], 'A person is counted under the prison they were last released from.');
    assert.equal(lines[7], '"[c]: Counts from 1 to 4 are hidden, as ""[c]""."');
  });

  test('every character that starts a formula is neutralised, and only at the start', () => {
    for (const text of ['=1+1', '+44 113', '-2', '@SUM(A1)', '\tx', '\rx']) assert.equal(neutraliseFormula(text), `'${text}`);
    for (const text of ['HMP Leeds', 'a=b', '£1,058.20', '']) assert.equal(neutraliseFormula(text), text);
  });

  test('numbers are not treated as text, money has pence, and an empty cell is empty', () => {
    const cost = findTable(sampleReport({ applied: false }), 'cost')!;
    const csv = tableToCsv({ ...cost, rows: [...cost.rows, { key: 'none', cells: { measure: 'Nothing yet', cost: null, median_days: -3 } }] });
    assert.deepEqual(csv.slice(1).split('\r\n').slice(0, 3), ['Measure,Cost (£),Median days', 'Per job start,1058.20,37.5', 'Nothing yet,,-3']);
  });
});
