/**
 * Accessible charts as SVG strings, drawn on the server so they work without
 * JavaScript and can be saved with a report. Each chart is one image to
 * assistive technology (role="img" named by its <title> and described by its
 * <desc>); the figures themselves are always in a table beside it.
 *
 * Series are told apart by more than colour: bars carry a fill pattern as well
 * as a colour, lines a dash style and a marker shape, each shown in the legend.
 * Every colour is from the GOV.UK palette and has at least 4.5:1 contrast on
 * white, more than the 3:1 WCAG 2.2 asks of graphics, so it also serves as text.
 */

export interface ChartSeries {
  name: string;
  /** null = not available or suppressed. */
  values: Array<number | null>;
  /** Which of the nulls are suppressed (labelled "suppressed"); any other null is labelled "n/a". */
  suppressed?: boolean[];
}

export interface ChartSpec {
  id: string;
  title: string;
  description: string;
  categories: string[];
  series: ChartSeries[];
  valueLabel: string;
  max?: number;
  /** How values are written: plain numbers (the default) or fractions shown as percentages. */
  valueFormat?: 'number' | 'percent';
}

export const SERIES_COLOURS = ['#1d70b8', '#0b0c0c', '#00703c', '#4c2c92', '#d4351c', '#505a5f'] as const;
const TEXT = '#0b0c0c';
const AXIS = '#505a5f';
const GRID = '#b1b4b6';
const FONT = 'font-family="GDS Transport, arial, sans-serif"';
const DASHES = ['', '8 4', '2 3', '10 3 2 3', '4 4', '1 2'];
const WIDTH = 640;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** An id safe in XML and unique per chart, so several charts can share a page. */
export function chartIdPrefix(id: string): string {
  return `chart-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export function formatChartValue(value: number, format: ChartSpec['valueFormat'] = 'number'): string {
  if (format === 'percent') return `${(value * 100).toFixed(1)}%`;
  return value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}

/** A round axis maximum at or above the largest value, with 4 or 5 ticks. */
export function axisTicks(largest: number, max?: number): number[] {
  const top = max !== undefined && max > 0 ? max : largest;
  if (!(top > 0)) return [0, 1];
  const rough = top / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? rough;
  const ticks: number[] = [];
  const steps = Math.ceil(Number((top / step).toPrecision(12)));
  for (let i = 0; i <= steps; i++) ticks.push(Number((i * step).toPrecision(12)));
  if (max !== undefined && max > 0 && ticks[ticks.length - 1] !== max) ticks[ticks.length - 1] = max;
  return ticks;
}

/** Rough width of a label at 13px, enough to lay out margins without measuring fonts. */
function textWidth(text: string, size = 13): number {
  return text.length * size * 0.55;
}

function gapText(series: ChartSeries, index: number): string {
  return series.suppressed?.[index] ? 'suppressed' : 'n/a';
}

function largestValue(spec: ChartSpec): number {
  let largest = 0;
  for (const series of spec.series) for (const value of series.values) if (value !== null && value > largest) largest = value;
  return largest;
}

function patternDefs(prefix: string, count: number): string {
  const shapes = [
    '',
    '<path d="M0 8 L8 0" stroke="#ffffff" stroke-width="2"/>',
    '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>',
    '<path d="M0 4 H8" stroke="#ffffff" stroke-width="2"/>',
    '<path d="M0 0 L8 8 M0 8 L8 0" stroke="#ffffff" stroke-width="1.5"/>',
    '<path d="M4 0 V8" stroke="#ffffff" stroke-width="2"/>',
  ];
  const patterns: string[] = [];
  for (let i = 0; i < count; i++) {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    patterns.push(
      `<pattern id="${prefix}-fill-${i}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${colour}"/>${shapes[i % shapes.length]}</pattern>`,
    );
  }
  return `<defs>${patterns.join('')}</defs>`;
}

function open(spec: ChartSpec, height: number): string {
  const prefix = chartIdPrefix(spec.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="tg-chart" id="${prefix}" viewBox="0 0 ${WIDTH} ${Math.round(height)}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" ${FONT}>` +
    `<title id="${prefix}-title">${escapeXml(spec.title)}</title><desc id="${prefix}-desc">${escapeXml(spec.description)}</desc>`
  );
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${round(x)}" y="${round(y)}" fill="${TEXT}" font-size="13" ${attributes}>${escapeXml(content)}</text>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A legend row above the plot: one swatch and name per series. */
function legend(spec: ChartSpec, y: number, swatch: (index: number, x: number, y: number) => string): string {
  if (spec.series.length < 2) return '';
  const parts: string[] = [];
  let x = 16;
  let row = y;
  spec.series.forEach((series, index) => {
    const width = 34 + textWidth(series.name);
    if (x + width > WIDTH - 16 && x > 16) {
      x = 16;
      row += 22;
    }
    parts.push(swatch(index, x, row), text(x + 28, row + 5, series.name));
    x += width + 18;
  });
  return `<g class="tg-chart__legend">${parts.join('')}</g>`;
}

function legendHeight(spec: ChartSpec): number {
  if (spec.series.length < 2) return 0;
  let x = 16;
  let rows = 1;
  for (const series of spec.series) {
    const width = 34 + textWidth(series.name);
    if (x + width > WIDTH - 16 && x > 16) {
      x = 16;
      rows++;
    }
    x += width + 18;
  }
  return rows * 22 + 8;
}

export function barChart(spec: ChartSpec & { orientation?: 'horizontal' | 'vertical' }): string {
  return spec.orientation === 'horizontal' ? horizontalBars(spec) : verticalBars(spec);
}

function barSwatch(prefix: string) {
  return (index: number, x: number, y: number) =>
    `<rect x="${x}" y="${y - 6}" width="20" height="14" fill="url(#${prefix}-fill-${index})" stroke="${SERIES_COLOURS[index % SERIES_COLOURS.length]}"/>`;
}

function horizontalBars(spec: ChartSpec): string {
  const prefix = chartIdPrefix(spec.id);
  const seriesCount = Math.max(1, spec.series.length);
  const barHeight = 22;
  const groupHeight = seriesCount * barHeight + 14;
  const top = 16 + legendHeight(spec);
  const left = Math.min(260, Math.max(80, ...spec.categories.map((category) => textWidth(category) + 20)));
  const right = WIDTH - 96;
  const plotHeight = spec.categories.length * groupHeight;
  const height = top + plotHeight + 56;
  const ticks = axisTicks(largestValue(spec), spec.max);
  const axisMax = ticks[ticks.length - 1];
  const scale = (value: number) => left + (Math.min(value, axisMax) / axisMax) * (right - left);
  const parts = [open(spec, height), patternDefs(prefix, spec.series.length)];
  parts.push(legend(spec, 16, barSwatch(prefix)));
  for (const tick of ticks) {
    const x = scale(tick);
    parts.push(`<line x1="${round(x)}" y1="${top}" x2="${round(x)}" y2="${top + plotHeight}" stroke="${GRID}" stroke-width="1"/>`);
    parts.push(text(x, top + plotHeight + 18, formatChartValue(tick, spec.valueFormat), 'text-anchor="middle"'));
  }
  parts.push(text((left + right) / 2, top + plotHeight + 42, spec.valueLabel, 'text-anchor="middle" font-weight="bold"'));
  spec.categories.forEach((category, c) => {
    const groupTop = top + c * groupHeight + 7;
    parts.push(text(left - 8, groupTop + (seriesCount * barHeight) / 2 + 5, category, 'text-anchor="end"'));
    spec.series.forEach((series, s) => {
      const value = series.values[c] ?? null;
      const y = groupTop + s * barHeight;
      if (value === null) {
        parts.push(
          `<rect x="${left}" y="${y + 2}" width="70" height="${barHeight - 4}" fill="none" stroke="${AXIS}" stroke-dasharray="3 3"/>`,
          text(left + 6, y + barHeight / 2 + 4, gapText(series, c), 'font-size="12" font-style="italic"'),
        );
        return;
      }
      const width = Math.max(0, scale(value) - left);
      parts.push(
        `<rect x="${left}" y="${y + 2}" width="${round(width)}" height="${barHeight - 4}" fill="url(#${prefix}-fill-${s})" stroke="${SERIES_COLOURS[s % SERIES_COLOURS.length]}"/>`,
        text(left + width + 6, y + barHeight / 2 + 5, formatChartValue(value, spec.valueFormat)),
      );
    });
  });
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="${AXIS}" stroke-width="2"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Category labels along the bottom, turned when they would overlap. */
function categoryAxis(spec: ChartSpec, positions: number[], band: number, y: number): { svg: string; height: number } {
  const widest = Math.max(0, ...spec.categories.map((category) => textWidth(category)));
  const turned = widest > band - 4;
  const labels = spec.categories.map((category, i) =>
    turned
      ? text(positions[i], y + 14, category, `text-anchor="end" transform="rotate(-45 ${round(positions[i])} ${y + 14})"`)
      : text(positions[i], y + 18, category, 'text-anchor="middle"'),
  );
  return { svg: labels.join(''), height: turned ? widest * 0.71 + 24 : 28 };
}

function valueAxis(spec: ChartSpec, ticks: number[], scale: (value: number) => number, left: number, right: number): string {
  const parts = ticks.map(
    (tick) =>
      `<line x1="${left}" y1="${round(scale(tick))}" x2="${right}" y2="${round(scale(tick))}" stroke="${GRID}" stroke-width="1"/>` +
      text(left - 8, scale(tick) + 4, formatChartValue(tick, spec.valueFormat), 'text-anchor="end"'),
  );
  return parts.join('');
}

interface VerticalFrame {
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
  band: number;
  centres: number[];
  ticks: number[];
  scale: (value: number) => number;
  axisLabels: string;
}

function verticalFrame(spec: ChartSpec): VerticalFrame {
  const ticks = axisTicks(largestValue(spec), spec.max);
  const axisMax = ticks[ticks.length - 1];
  const left = Math.max(56, ...ticks.map((tick) => textWidth(formatChartValue(tick, spec.valueFormat)) + 40));
  const right = WIDTH - 24;
  const top = 24 + legendHeight(spec);
  const plotHeight = 240;
  const bottom = top + plotHeight;
  const band = (right - left) / Math.max(1, spec.categories.length);
  const centres = spec.categories.map((_, i) => left + band * (i + 0.5));
  const axis = categoryAxis(spec, centres, band, bottom);
  const height = bottom + axis.height + 12;
  const scale = (value: number) => bottom - (Math.min(value, axisMax) / axisMax) * plotHeight;
  return { top, bottom, left, right, height, band, centres, ticks, scale, axisLabels: axis.svg };
}

function verticalAxes(spec: ChartSpec, frame: VerticalFrame): string {
  const middle = (frame.top + frame.bottom) / 2;
  return (
    valueAxis(spec, frame.ticks, frame.scale, frame.left, frame.right) +
    text(16, middle, spec.valueLabel, `text-anchor="middle" font-weight="bold" transform="rotate(-90 16 ${round(middle)})"`) +
    `<line x1="${frame.left}" y1="${frame.bottom}" x2="${frame.right}" y2="${frame.bottom}" stroke="${AXIS}" stroke-width="2"/>` +
    frame.axisLabels
  );
}

function verticalBars(spec: ChartSpec): string {
  const prefix = chartIdPrefix(spec.id);
  const frame = verticalFrame(spec);
  const parts = [open(spec, frame.height), patternDefs(prefix, spec.series.length), legend(spec, 16, barSwatch(prefix))];
  parts.push(verticalAxes(spec, frame));
  const seriesCount = Math.max(1, spec.series.length);
  const barWidth = Math.min(48, (frame.band * 0.8) / seriesCount);
  const labelSize = Math.max(8, Math.min(12, barWidth * 0.9));
  spec.categories.forEach((_, c) => {
    spec.series.forEach((series, s) => {
      const x = frame.centres[c] - (barWidth * seriesCount) / 2 + s * barWidth;
      const centre = x + barWidth / 2;
      const value = series.values[c] ?? null;
      if (value === null) {
        parts.push(
          `<line x1="${round(x + 1)}" y1="${frame.bottom - 1}" x2="${round(x + barWidth - 1)}" y2="${frame.bottom - 1}" stroke="${AXIS}" stroke-width="2" stroke-dasharray="2 2"/>`,
          text(centre, frame.bottom - 6, gapText(series, c), `font-size="${labelSize}" font-style="italic" text-anchor="start" transform="rotate(-90 ${round(centre)} ${frame.bottom - 6})" dy="${round(labelSize / 3)}"`),
        );
        return;
      }
      const y = frame.scale(value);
      parts.push(
        `<rect x="${round(x + 1)}" y="${round(y)}" width="${round(Math.max(1, barWidth - 2))}" height="${round(frame.bottom - y)}" fill="url(#${prefix}-fill-${s})" stroke="${SERIES_COLOURS[s % SERIES_COLOURS.length]}"/>`,
        text(centre, y - 4, formatChartValue(value, spec.valueFormat), `font-size="${labelSize}" text-anchor="middle"`),
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

function marker(index: number, x: number, y: number): string {
  const colour = SERIES_COLOURS[index % SERIES_COLOURS.length];
  switch (index % 4) {
    case 0:
      return `<circle cx="${round(x)}" cy="${round(y)}" r="4.5" fill="${colour}"/>`;
    case 1:
      return `<rect x="${round(x - 4)}" y="${round(y - 4)}" width="8" height="8" fill="${colour}"/>`;
    case 2:
      return `<path d="M${round(x)} ${round(y - 5)} L${round(x + 5)} ${round(y + 4)} L${round(x - 5)} ${round(y + 4)} Z" fill="${colour}"/>`;
    default:
      return `<path d="M${round(x)} ${round(y - 5)} L${round(x + 5)} ${round(y)} L${round(x)} ${round(y + 5)} L${round(x - 5)} ${round(y)} Z" fill="${colour}"/>`;
  }
}

function lineSwatch(index: number, x: number, y: number): string {
  const colour = SERIES_COLOURS[index % SERIES_COLOURS.length];
  const dash = DASHES[index % DASHES.length];
  return `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${colour}" stroke-width="3"${dash ? ` stroke-dasharray="${dash}"` : ''}/>${marker(index, x + 11, y)}`;
}

export function lineChart(spec: ChartSpec): string {
  const frame = verticalFrame(spec);
  const parts = [open(spec, frame.height), legend(spec, 16, lineSwatch), verticalAxes(spec, frame)];
  const labelPoints = spec.categories.length * spec.series.length <= 40;
  spec.series.forEach((series, s) => {
    const colour = SERIES_COLOURS[s % SERIES_COLOURS.length];
    const dash = DASHES[s % DASHES.length];
    // A null breaks the line: joining across it would draw a value that is not there.
    const runs: Array<Array<[number, number]>> = [[]];
    const marks: string[] = [];
    series.values.forEach((value, c) => {
      if (c >= spec.categories.length) return;
      const x = frame.centres[c];
      if (value === null) {
        if (runs[runs.length - 1].length > 0) runs.push([]);
        const y = frame.bottom - 8 - s * 14;
        marks.push(
          `<line x1="${round(x)}" y1="${frame.top}" x2="${round(x)}" y2="${frame.bottom}" stroke="${GRID}" stroke-dasharray="3 3"/>`,
          `<text x="${round(x)}" y="${y}" fill="${colour}" font-size="11" font-style="italic" text-anchor="middle">${gapText(series, c)}</text>`,
        );
        return;
      }
      const y = frame.scale(value);
      runs[runs.length - 1].push([x, y]);
      marks.push(marker(s, x, y));
      if (labelPoints) marks.push(text(x, y - 9, formatChartValue(value, spec.valueFormat), 'font-size="11" text-anchor="middle"'));
    });
    for (const run of runs) {
      if (run.length < 2) continue;
      const d = run.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${round(x)} ${round(y)}`).join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="3"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    }
    parts.push(...marks);
  });
  parts.push('</svg>');
  return parts.join('');
}
