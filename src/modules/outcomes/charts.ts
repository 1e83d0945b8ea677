import { barChart, type ChartSeries, formatChartValue } from '../../platform/charts/svg.ts';
import { findTable, isSuppressed, type OutcomesReport, type ReportTable } from './report-table.ts';

/**
 * The report's charts, drawn from its tables after disclosure control, so a
 * hidden cell is a marked gap in the chart as it is a [c] in the table. Each
 * chart sits beside the table it is drawn from (tableId), which holds the
 * figures for anyone who cannot see the chart.
 */
export function reportCharts(report: OutcomesReport): Array<{ tableId: string; svg: string }> {
  const charts: Array<{ tableId: string; svg: string }> = [];
  const funnel = findTable(report, 'funnel');
  if (funnel) {
    const data = chartData(funnel, ['count']);
    charts.push({
      tableId: funnel.id,
      svg: barChart({
        id: 'funnel',
        orientation: 'horizontal',
        title: funnel.title,
        description: `Horizontal bar chart of the number at each stage: ${describeValues(data.categories, data.series[0])}.`,
        valueLabel: 'Number',
        ...data,
      }),
    });
  }
  const monthly = findTable(report, 'monthly');
  if (monthly) {
    const data = chartData(monthly, ['referrals', 'engagements', 'job_starts']);
    charts.push({
      tableId: monthly.id,
      svg: barChart({
        id: 'monthly',
        orientation: 'vertical',
        title: monthly.title,
        description: `Bar chart of ${data.series.map((series) => series.name.toLowerCase()).join(', ')} in each month${range(data.categories)}. ${totals(data)} The figures are in the table with the chart.`,
        valueLabel: 'Number',
        ...data,
      }),
    });
  }
  const bands = findTable(report, 'time-to-first-job-bands');
  if (bands) {
    const data = chartData(bands, ['from_referral', 'from_release']);
    charts.push({
      tableId: bands.id,
      svg: barChart({
        id: 'time-to-first-job-bands',
        orientation: 'vertical',
        title: bands.title,
        description: `Bar chart of the number of people whose first job started within each band of days. ${data.series
          .map((series) => `${series.name}: ${describeValues(data.categories, series)}`)
          .join('. ')}.`,
        valueLabel: 'People',
        ...data,
      }),
    });
  }
  return charts;
}

/** Categories from the table's label column and one series per named column, leaving out any total row. */
export function chartData(table: ReportTable, columnKeys: string[]): { categories: string[]; series: ChartSeries[] } {
  const labelColumn = table.columns.find((column) => column.kind === 'label');
  const rows = table.rows.filter((row) => !row.isTotal);
  const categories = rows.map((row) => {
    const label = labelColumn ? row.cells[labelColumn.key] : undefined;
    return typeof label === 'string' || typeof label === 'number' ? String(label) : row.key;
  });
  const series = columnKeys
    .map((key) => table.columns.find((column) => column.key === key))
    .filter((column) => column !== undefined)
    .map((column) => ({
      name: column.label,
      values: rows.map((row) => {
        const cell = row.cells[column.key];
        return typeof cell === 'number' ? cell : null;
      }),
      suppressed: rows.map((row) => isSuppressed(row.cells[column.key])),
    }));
  return { categories, series };
}

function describeValue(series: ChartSeries, index: number): string {
  const value = series.values[index];
  if (value === null || value === undefined) return series.suppressed?.[index] ? 'suppressed' : 'not available';
  return formatChartValue(value);
}

function describeValues(categories: string[], series: ChartSeries | undefined): string {
  if (!series) return 'no figures';
  return categories.map((category, index) => `${category} ${describeValue(series, index)}`).join('; ');
}

function range(categories: string[]): string {
  if (categories.length === 0) return '';
  return categories.length === 1 ? ` (${categories[0]})` : `, ${categories[0]} to ${categories[categories.length - 1]}`;
}

function totals(data: { series: ChartSeries[] }): string {
  return data.series
    .map((series) => {
      const shown = series.values.filter((value): value is number => value !== null);
      const hidden = series.values.length - shown.length;
      const sum = shown.reduce((total, value) => total + value, 0);
      return `${series.name}: ${formatChartValue(sum)} in the months shown${hidden > 0 ? ` (${hidden} month${hidden === 1 ? '' : 's'} not shown)` : ''}.`;
    })
    .join(' ');
}
