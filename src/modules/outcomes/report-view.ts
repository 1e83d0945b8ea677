import { dateParts } from '../../platform/http/date-input.ts';
import type { ResolvedScope } from './scope.ts';
import { formatCell, isNumericColumn, SUPPRESSED_MARK } from './format.ts';
import { isSuppressed, type OutcomesReport, type ReportRequest, type ReportTable } from './report-table.ts';
import { reportQuery } from './request.ts';

export type DefinitionLookup = (metric: string) => { title: string; text: string } | undefined;

/** One table as the page draws it: GOV.UK table rows, its definition, its downloads and, for some, its chart. */
function tableView(table: ReportTable, report: OutcomesReport, definition: DefinitionLookup, charts: Map<string, string>) {
  const query = reportQuery(report.request);
  return {
    id: table.id,
    title: table.title,
    definition: definition(table.metric),
    chart: charts.get(table.id),
    notes: table.notes ?? [],
    head: table.columns.map((column) => ({ text: column.label, format: isNumericColumn(column) ? 'numeric' : undefined })),
    rows: table.rows.map((row) =>
      table.columns.map((column, index) => {
        const cell = row.cells[column.key];
        const text = formatCell(column, cell);
        return {
          text,
          header: index === 0,
          numeric: isNumericColumn(column),
          suppressed: isSuppressed(cell),
          total: row.isTotal === true,
          key: `${row.key}.${column.key}`,
        };
      }),
    ),
    csvHref: `/reports/outcomes/tables/${table.id}/csv?${query}`,
    xlsxHref: `/reports/outcomes/tables/${table.id}/xlsx?${query}`,
  };
}

export function reportView(report: OutcomesReport, scope: ResolvedScope, definition: DefinitionLookup, charts: Array<{ tableId: string; svg: string }>) {
  const chartMap = new Map(charts.map((chart) => [chart.tableId, chart.svg]));
  const query = reportQuery(report.request);
  return {
    report,
    suppressedMark: SUPPRESSED_MARK,
    organisations: report.scope.organisations.map((organisation) => organisation.name).join(', '),
    filters: Object.entries(report.scope.filterLabels).map(([name, value]) => ({ name, value })),
    sections: report.sections.map((section) => ({
      id: section.id,
      title: section.title,
      tables: section.tables.map((table) => tableView(table, report, definition, chartMap)),
    })),
    downloads: {
      xlsx: `/reports/outcomes/xlsx?${query}`,
      pdf: `/reports/outcomes/pdf?${query}`,
      print: `/reports/outcomes/print?${query}`,
      api: `/api/v1/reports/outcomes?${query}`,
    },
    commissionChoices: scope.choices.commissions,
    teamChoices: scope.choices.teams,
  };
}


/** What the filter form shows: what was typed when it had errors, else the report's own (checked) request. */
export function formValues(query: Record<string, unknown>, request?: ReportRequest) {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
  const parts = (name: 'from' | 'to' | 'asAt') => {
    if (request) return dateParts(request[name]);
    const iso = text(name);
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return dateParts(iso);
    return { day: text(`${name}-day`), month: text(`${name}-month`), year: text(`${name}-year`) };
  };
  return {
    from: parts('from'),
    to: parts('to'),
    asAt: parts('asAt'),
    teamId: request?.teamId ?? text('teamId'),
    prisonCode: request?.prisonCode ?? text('prisonCode'),
    sourceCode: request?.sourceCode ?? text('sourceCode'),
    commissionId: request?.commissionId ?? text('commissionId'),
    publication: request?.publication ?? ['1', 'true'].includes(text('publication')),
  };
}
