import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sampleReport } from '../../../../test/support/outcomes-report.ts';
import type { ReportTable } from '../report-table.ts';
import { reportToPdf, winAnsi } from './pdf.ts';

/** The text drawn on the pages of an uncompressed pdfkit file: its TJ operators' hex strings, decoded. */
function drawnText(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  return [...source.matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\] TJ/g)].map((match) =>
    [...match[1].matchAll(/<([0-9a-f]*)>/g)].map((hex) => Buffer.from(hex[1], 'hex').toString('latin1')).join(''),
  );
}

function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

describe('PDF export', () => {
  test('an A4 PDF with the title, the scope, the disclosure method, the charts and the tables with [c] marks', async () => {
    const report = sampleReport();
    const pdf = await reportToPdf(report, { compress: false });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.toString('latin1'), /\/MediaBox \[0 0 595\.28 841\.89\]/);
    const text = drawnText(pdf);
    for (const expected of [
      'Outcomes report: West Yorkshire IPS 2025',
      '1 April 2025 to 30 June 2025',
      '30 September 2025',
      'Northgate Trust; Café Work CIC',
      'North',
      'Counts from 1 to 4 are hidden and shown as [c].',
      'The funnel',
      'Referrals, engagements and job starts by month',
      'suppressed',
      'HMP Hull, "B" wing',
      '[c]',
      '120',
      '53.3',
      '1058.20',
      'A person is counted under the prison they were last released from.',
      '[c]: Counts from 1 to 4 are hidden and shown as [c].',
      'Page 1 of 3',
    ]) {
      assert.ok(text.includes(expected), `${expected} is drawn`);
    }
    const joined = text.join(' ').replace(/\s+/g, ' ');
    assert.ok(joined.includes('Rate against referrals (%)'), 'percent columns are headed (%)');
    assert.ok(joined.includes('Met in custody [c] [c] [c] Seen at least once in the community 64 [c] 53.3 Engaged 48 75.0 40.0'), 'the funnel table, row by row');
    assert.equal(pageCount(pdf), 3);
  });

  test('a long table breaks across pages and repeats its header', async () => {
    const report = sampleReport({ applied: false });
    const long: ReportTable = {
      id: 'long',
      title: 'A long table',
      metric: 'x',
      columns: [
        { key: 'item', label: 'Item', kind: 'label' },
        { key: 'count', label: 'People counted', kind: 'count' },
      ],
      rows: Array.from({ length: 150 }, (_, i) => ({ key: String(i), cells: { item: `Item ${i}`, count: 1000 + i } })),
    };
    report.sections.push({ id: 'long', title: 'Long', tables: [long] });
    const pdf = await reportToPdf(report, { compress: false });
    const text = drawnText(pdf);
    assert.ok(pageCount(pdf) >= 5);
    assert.ok(text.includes('Item 149') && text.includes('1149'));
    assert.ok(text.filter((t) => t === 'People counted').length >= 3, 'the header is drawn on each page of the table');
    assert.ok(text.includes('A long table (continued)'));
  });

  test('compressed by default', async () => {
    const pdf = await reportToPdf(sampleReport());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.toString('latin1'), /\/Filter \/FlateDecode/);
  });

  test('text outside the standard fonts loses its accents rather than breaking the file', () => {
    assert.equal(winAnsi('Café Ŵork – £5 “x” ’'), 'Café Work – £5 “x” ’');
    assert.equal(winAnsi('Łódź 日本\tx'), '?ódz ?? x');
  });
});
