import { SERIES_COLOURS } from '../../../platform/charts/svg.ts';
import { chartData } from '../charts.ts';
import { findTable, isSuppressed, type OutcomesReport, type ReportColumn, type ReportTable } from '../report-table.ts';
import { aboutRows, reportTitle } from './about.ts';
import { cellText, columnHeading, SUPPRESSED_MARK } from './csv.ts';

type Doc = PDFKit.PDFDocument;

const MARGIN = 50;
const TEXT = '#0b0c0c';
const RULE = '#b1b4b6';
const HEADER_FILL = '#f3f2f1';
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/**
 * The report as an A4 PDF drawn with pdfkit's own shapes and its built-in
 * Helvetica (nothing rasterised, no fonts to ship): what was counted and how
 * it was protected, the funnel and monthly charts, then every section's
 * tables as ruled grids whose header repeats when a table runs onto a new page.
 */
export async function reportToPdf(report: OutcomesReport, options: { compress?: boolean } = {}): Promise<Buffer> {
  // Loaded at the first download, not at start-up: pdfkit and its font libraries are a fifth of a second of module loading.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: options.compress ?? true,
    bufferPages: true,
    info: { Title: winAnsi(reportTitle(report)), Author: 'Throughgate', CreationDate: new Date(report.generatedAt) },
    lang: 'en-GB',
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  titleBlock(doc, report);
  const funnel = findTable(report, 'funnel');
  if (funnel) horizontalBarChart(doc, funnel.title, chartData(funnel, ['count']));
  const monthly = findTable(report, 'monthly');
  if (monthly) verticalBarChart(doc, monthly.title, chartData(monthly, ['referrals', 'engagements', 'job_starts']));
  for (const section of report.sections) {
    ensureSpace(doc, 30 + Math.min(240, section.tables[0] ? tableHeight(doc, section.tables[0]) : 0));
    doc.moveDown(0.5).font(BOLD).fontSize(15).fillColor(TEXT).text(winAnsi(section.title), MARGIN);
    doc.moveDown(0.3);
    for (const table of section.tables) grid(doc, table, report);
  }
  pageNumbers(doc);
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}

/** The standard PDF fonts cover Windows-1252 only: other letters lose their accents (Ŵ → W) or become "?". */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function winAnsi(text: string): string {
  let result = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char)) result += char;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) result += ' ';
    else {
      const plain = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      result += [...plain].every((c) => (c.codePointAt(0) ?? 0) < 0x7f) ? plain : '?';
    }
  }
  return result;
}

function width(doc: Doc): number {
  return doc.page.width - 2 * MARGIN;
}

function bottom(doc: Doc): number {
  return doc.page.height - MARGIN;
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function titleBlock(doc: Doc, report: OutcomesReport): void {
  doc.font(BOLD).fontSize(20).fillColor(TEXT).text(winAnsi(reportTitle(report)), MARGIN, MARGIN);
  doc.moveDown(0.6);
  for (const [label, value] of aboutRows(report)) {
    if (label === 'Title') continue;
    const y = doc.y;
    doc.font(BOLD).fontSize(10).text(winAnsi(label), MARGIN, y, { width: 120 });
    const labelBottom = doc.y;
    doc.font(FONT).text(winAnsi(value), MARGIN + 130, y, { width: width(doc) - 130 });
    doc.y = Math.max(labelBottom, doc.y) + 4;
  }
  doc.x = MARGIN;
  doc.moveDown(1);
}

interface Data {
  categories: string[];
  series: Array<{ name: string; values: Array<number | null>; suppressed?: boolean[] }>;
}

function largest(data: Data): number {
  return Math.max(1, ...data.series.flatMap((series) => series.values.filter((value): value is number => value !== null)));
}

function gapLabel(series: Data['series'][number], index: number): string {
  return series.suppressed?.[index] ? 'suppressed' : 'n/a';
}

/** A bar filled with its series' colour and, after the first, white hatching, so series differ by more than colour. */
function bar(doc: Doc, x: number, y: number, w: number, h: number, seriesIndex: number): void {
  if (w <= 0 || h <= 0) return;
  const colour = SERIES_COLOURS[seriesIndex % SERIES_COLOURS.length];
  doc.save().rect(x, y, w, h).fill(colour).restore();
  if (seriesIndex % 3 !== 0) {
    doc.save().rect(x, y, w, h).clip();
    doc.strokeColor('#ffffff').lineWidth(1.2);
    if (seriesIndex % 3 === 1) for (let d = -h; d < w; d += 5) doc.moveTo(x + d, y + h).lineTo(x + d + h, y).stroke();
    else for (let yy = y + 2.5; yy < y + h; yy += 5) doc.moveTo(x, yy).lineTo(x + w, yy).stroke();
    doc.restore();
  }
}

function gap(doc: Doc, x: number, y: number, w: number, h: number, label: string): void {
  doc.save().rect(x, y, w, h).dash(2, { space: 2 }).lineWidth(0.8).strokeColor('#505a5f').stroke().undash().restore();
  doc.font('Helvetica-Oblique').fontSize(7).fillColor(TEXT).text(label, x + 2, y + (h - 7) / 2, { lineBreak: false });
}

function chartHeading(doc: Doc, title: string, height: number): number {
  ensureSpace(doc, height + 30);
  doc.font(BOLD).fontSize(12).fillColor(TEXT).text(winAnsi(title), MARGIN, doc.y);
  doc.moveDown(0.4);
  return doc.y;
}

function legend(doc: Doc, data: Data, y: number): number {
  if (data.series.length < 2) return y;
  let x = MARGIN;
  data.series.forEach((series, index) => {
    bar(doc, x, y, 14, 9, index);
    doc.font(FONT).fontSize(9).fillColor(TEXT).text(winAnsi(series.name), x + 18, y, { lineBreak: false });
    x += 30 + doc.widthOfString(winAnsi(series.name));
  });
  return y + 16;
}

function horizontalBarChart(doc: Doc, title: string, data: Data): void {
  const rowHeight = 16 * Math.max(1, data.series.length) + 6;
  const top = chartHeading(doc, title, data.categories.length * rowHeight + 20);
  doc.font(FONT).fontSize(9);
  const labelWidth = Math.min(190, Math.max(...data.categories.map((category) => doc.widthOfString(winAnsi(category)))) + 8);
  const left = MARGIN + labelWidth;
  const plot = width(doc) - labelWidth - 50;
  const max = largest(data);
  data.categories.forEach((category, c) => {
    const y = top + c * rowHeight;
    doc.font(FONT).fontSize(9).fillColor(TEXT).text(winAnsi(category), MARGIN, y + rowHeight / 2 - 6, { width: labelWidth - 8, align: 'right', lineBreak: false });
    data.series.forEach((series, s) => {
      const value = series.values[c];
      const barY = y + 3 + s * 16;
      if (value === null || value === undefined) {
        gap(doc, left, barY, 48, 12, gapLabel(series, c));
        return;
      }
      const w = (value / max) * plot;
      bar(doc, left, barY, w, 12, s);
      doc.font(FONT).fontSize(9).fillColor(TEXT).text(value.toLocaleString('en-GB'), left + w + 4, barY + 2, { lineBreak: false });
    });
  });
  const end = top + data.categories.length * rowHeight;
  doc.save().moveTo(left, top).lineTo(left, end).lineWidth(1).strokeColor('#505a5f').stroke().restore();
  doc.x = MARGIN;
  doc.y = end + 16;
}

function verticalBarChart(doc: Doc, title: string, data: Data): void {
  const plotHeight = 150;
  const top = legend(doc, data, chartHeading(doc, title, plotHeight + 70));
  const left = MARGIN + 10;
  const base = top + 12 + plotHeight;
  const band = (width(doc) - 10) / Math.max(1, data.categories.length);
  const seriesCount = Math.max(1, data.series.length);
  const barWidth = Math.min(30, (band * 0.8) / seriesCount);
  const max = largest(data);
  const labelSize = Math.max(5, Math.min(8, barWidth));
  data.categories.forEach((category, c) => {
    const centre = left + band * (c + 0.5);
    data.series.forEach((series, s) => {
      const x = centre - (barWidth * seriesCount) / 2 + s * barWidth;
      const value = series.values[c];
      if (value === null || value === undefined) {
        doc.save().rotate(-90, { origin: [x + barWidth / 2, base - 3] });
        doc.font('Helvetica-Oblique').fontSize(labelSize).fillColor(TEXT).text(gapLabel(series, c), x + barWidth / 2, base - 3 - labelSize / 2, { lineBreak: false });
        doc.restore();
        return;
      }
      const h = (value / max) * plotHeight;
      bar(doc, x + 0.5, base - h, barWidth - 1, h, s);
      doc.font(FONT).fontSize(labelSize).fillColor(TEXT).text(value.toLocaleString('en-GB'), x - 4, base - h - labelSize - 1, { width: barWidth + 8, align: 'center', lineBreak: false });
    });
    doc.font(FONT).fontSize(7).fillColor(TEXT).text(winAnsi(category), centre - band / 2, base + 4, { width: band, align: 'center' });
  });
  doc.save().moveTo(left, base).lineTo(left + band * data.categories.length, base).lineWidth(1).strokeColor('#505a5f').stroke().restore();
  doc.x = MARGIN;
  doc.y = base + 34;
}

function columnWidths(doc: Doc, columns: ReportColumn[]): number[] {
  const weights = columns.map((column) => (column.kind === 'label' || column.kind === 'text' ? 2.4 : 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => (weight / total) * width(doc));
}

const PAD = 4;

function rowHeight(doc: Doc, texts: string[], widths: number[], font: string): number {
  doc.font(font).fontSize(8.5);
  return Math.max(...texts.map((text, i) => doc.heightOfString(text || ' ', { width: widths[i] - 2 * PAD }))) + 2 * PAD;
}

function drawRow(doc: Doc, texts: string[], widths: number[], columns: ReportColumn[], y: number, height: number, header: boolean, bold: boolean): void {
  let x = MARGIN;
  texts.forEach((text, i) => {
    if (header) doc.save().rect(x, y, widths[i], height).fill(HEADER_FILL).restore();
    doc.save().rect(x, y, widths[i], height).lineWidth(0.5).strokeColor(RULE).stroke().restore();
    const numeric = columns[i].kind !== 'label' && columns[i].kind !== 'text';
    doc
      .font(header || bold ? BOLD : FONT)
      .fontSize(8.5)
      .fillColor(TEXT)
      .text(text, x + PAD, y + PAD, { width: widths[i] - 2 * PAD, align: numeric ? 'right' : 'left' });
    x += widths[i];
  });
}

/** The height of a table drawn whole: title, header, rows and notes. */
function tableHeight(doc: Doc, table: ReportTable): number {
  const widths = columnWidths(doc, table.columns);
  let height = 24 + rowHeight(doc, table.columns.map((column) => winAnsi(columnHeading(column))), widths, BOLD);
  for (const row of table.rows) height += rowHeight(doc, table.columns.map((column) => winAnsi(cellText(column, row.cells[column.key]))), widths, FONT);
  doc.font(FONT).fontSize(8);
  for (const note of table.notes ?? []) height += doc.heightOfString(winAnsi(note), { width: width(doc) });
  return height + 30;
}

function grid(doc: Doc, table: ReportTable, report: OutcomesReport): void {
  const widths = columnWidths(doc, table.columns);
  const headings = table.columns.map((column) => winAnsi(columnHeading(column)));
  const headerHeight = rowHeight(doc, headings, widths, BOLD);
  const rows = table.rows.map((row) => ({ row, texts: table.columns.map((column) => winAnsi(cellText(column, row.cells[column.key]))) }));
  // A table that fits on a page starts on a new one rather than split; a longer one needs room for its header and a few rows.
  const whole = tableHeight(doc, table);
  const opening = 24 + headerHeight + rows.slice(0, 3).reduce((sum, { texts }) => sum + rowHeight(doc, texts, widths, FONT), 0);
  ensureSpace(doc, whole <= bottom(doc) - MARGIN ? whole : opening);
  doc.moveDown(0.4).font(BOLD).fontSize(11).fillColor(TEXT).text(winAnsi(table.title), MARGIN, doc.y, { width: width(doc) });
  doc.moveDown(0.2);
  let y = doc.y;
  drawRow(doc, headings, widths, table.columns, y, headerHeight, true, true);
  y += headerHeight;
  for (const { row, texts } of rows) {
    const height = rowHeight(doc, texts, widths, row.isTotal ? BOLD : FONT);
    if (y + height > bottom(doc)) {
      doc.addPage();
      y = MARGIN;
      doc.font(FONT).fontSize(8).fillColor(TEXT).text(winAnsi(`${table.title} (continued)`), MARGIN, y);
      y = doc.y + 2;
      drawRow(doc, headings, widths, table.columns, y, headerHeight, true, true);
      y += headerHeight;
    }
    drawRow(doc, texts, widths, table.columns, y, height, false, row.isTotal === true);
    y += height;
  }
  doc.x = MARGIN;
  doc.y = y + 4;
  const notes = [...(table.notes ?? [])];
  if (table.rows.some((row) => Object.values(row.cells).some(isSuppressed))) notes.push(`${SUPPRESSED_MARK}: ${report.disclosure.method}`);
  for (const note of notes) doc.font(FONT).fontSize(8).fillColor(TEXT).text(winAnsi(note), MARGIN, doc.y, { width: width(doc) });
  doc.moveDown(0.8);
}

function pageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit start a new page.
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor('#505a5f')
      .text(`Page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN + 16, { width: width(doc), align: 'right', lineBreak: false });
    doc.page.margins.bottom = saved;
  }
}
