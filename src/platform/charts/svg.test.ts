import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { axisTicks, barChart, type ChartSpec, lineChart, SERIES_COLOURS } from './svg.ts';

function spec(overrides: Partial<ChartSpec> = {}): ChartSpec {
  return {
    id: 'funnel',
    title: 'People at each stage',
    description: 'Referred 120, engaged 80',
    categories: ['Referred', 'Engaged'],
    series: [{ name: 'People', values: [120, 80] }],
    valueLabel: 'People',
    ...overrides,
  };
}

function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrastOnWhite(hex: string): number {
  return 1.05 / (relativeLuminance(hex) + 0.05);
}

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
}

describe('SVG charts', () => {
  for (const [name, draw] of [
    ['horizontal bar', (s: ChartSpec) => barChart({ ...s, orientation: 'horizontal' })],
    ['vertical bar', (s: ChartSpec) => barChart(s)],
    ['line', lineChart],
  ] as const) {
    test(`a ${name} chart is one image named by its title and described by its desc`, () => {
      const svg = draw(spec({ id: 'time to job' }));
      assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, /role="img"/);
      assert.match(svg, /aria-labelledby="chart-time-to-job-title chart-time-to-job-desc"/);
      assert.match(svg, /<title id="chart-time-to-job-title">People at each stage<\/title>/);
      assert.match(svg, /<desc id="chart-time-to-job-desc">Referred 120, engaged 80<\/desc>/);
      assert.match(svg, /viewBox="0 0 640 \d+"/);
      assert.doesNotMatch(svg, /<script/);
      assert.ok(svg.endsWith('</svg>'));
    });

    test(`a ${name} chart escapes every text it is given`, () => {
      const svg = draw(
        spec({
          title: 'A <b>&"x"',
          description: "O'Brien <script>",
          categories: ['<Referred>', 'A & B'],
          series: [
            { name: 'S<1>', values: [1, 2] },
            { name: 'S&2', values: [3, 4] },
          ],
          valueLabel: '"People"',
        }),
      );
      assert.doesNotMatch(svg, /<b>|<script>|<Referred>|S<1>/);
      assert.match(svg, /A &lt;b&gt;&amp;&quot;x&quot;/);
      assert.match(svg, /O&#39;Brien &lt;script&gt;/);
      assert.ok(texts(svg).includes('A &amp; B'));
      assert.ok(texts(svg).includes('S&amp;2'), 'the legend names the series');
    });

    test(`a ${name} chart labels its axis and its values, and marks a null as a gap`, () => {
      const svg = draw(
        spec({
          categories: ['Jan', 'Feb', 'Mar'],
          series: [{ name: 'Referrals', values: [12, null, 1500], suppressed: [false, true, false] }],
          valueLabel: 'Referrals',
        }),
      );
      const labels = texts(svg);
      for (const expected of ['Jan', 'Feb', 'Mar', 'Referrals', '12', '1,500', 'suppressed']) assert.ok(labels.includes(expected), `${expected} in ${labels.join('|')}`);
      assert.ok(!labels.includes('n/a'));
      const notAvailable = texts(draw(spec({ series: [{ name: 'People', values: [null, 3] }] })));
      assert.ok(notAvailable.includes('n/a'));
    });
  }

  test('one series has no legend; several series have one, each told apart by a pattern as well as a colour', () => {
    const single = barChart(spec());
    assert.doesNotMatch(single, /tg-chart__legend/);
    const several = barChart(
      spec({
        series: [
          { name: 'From referral', values: [1, 2] },
          { name: 'From release', values: [3, 4] },
        ],
      }),
    );
    assert.match(several, /class="tg-chart__legend"/);
    assert.match(several, /<pattern id="chart-funnel-fill-0"/);
    assert.match(several, /<pattern id="chart-funnel-fill-1"[^>]*><rect[^>]*\/><path/, 'the second series is hatched');
    assert.match(several, /fill="url\(#chart-funnel-fill-1\)"/);
  });

  test('the lines of several series have different dashes and markers, and a null breaks the line', () => {
    const svg = lineChart(
      spec({
        categories: ['Q1', 'Q2', 'Q3', 'Q4'],
        series: [
          { name: 'Score', values: [60, 70, null, 80] },
          { name: 'Target', values: [75, 75, 75, 75] },
        ],
      }),
    );
    const paths = [...svg.matchAll(/<path d="(M[^"]*)" fill="none"([^>]*)\/>/g)];
    assert.equal(paths.length, 2, 'the first series is drawn Q1 to Q2 only (Q4 stands alone), the second in one line');
    assert.equal((paths[0][1].match(/L/g) ?? []).length, 1);
    assert.equal((paths[1][1].match(/L/g) ?? []).length, 3);
    assert.doesNotMatch(paths[0][2], /stroke-dasharray/);
    assert.match(paths[1][2], /stroke-dasharray="8 4"/);
    assert.match(svg, /<rect x="[\d.]+" y="[\d.]+" width="8" height="8"/, 'the second series has square markers');
  });

  test('percentages are written as percentages and the axis can be given a maximum', () => {
    const svg = barChart(spec({ series: [{ name: 'Rate', values: [0.5, 0.255] }], valueFormat: 'percent', max: 1 }));
    const labels = texts(svg);
    for (const expected of ['50.0%', '25.5%', '0.0%', '100.0%']) assert.ok(labels.includes(expected), expected);
  });

  test('axis ticks are round numbers that reach the largest value', () => {
    assert.deepEqual(axisTicks(120), [0, 50, 100, 150]);
    assert.deepEqual(axisTicks(7), [0, 2, 4, 6, 8]);
    assert.deepEqual(axisTicks(0), [0, 1]);
    assert.deepEqual(axisTicks(0.63), [0, 0.2, 0.4, 0.6, 0.8]);
    assert.deepEqual(axisTicks(3, 5), [0, 2, 4, 5]);
  });

  test('every series colour has at least 3:1 contrast on white (WCAG 2.2 non-text contrast)', () => {
    for (const colour of SERIES_COLOURS) assert.ok(contrastOnWhite(colour) >= 4.5, `${colour}: ${contrastOnWhite(colour).toFixed(2)}`);
  });
});
