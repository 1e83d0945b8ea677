import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { outcomesApiRoutes } from './api.ts';
import { reportCharts } from './charts.ts';
import { tableToCsv } from './exports/csv.ts';
import { reportToPdf } from './exports/pdf.ts';
import { reportToXlsx } from './exports/xlsx.ts';
import { findTable } from './report-table.ts';
import { formValues, reportView } from './report-view.ts';
import { buildOutcomesReport, definitionOf, filterChoices, readReportRequest, type ReportFormat } from './service.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function download(reply: FastifyReply, contentType: string, fileName: string, body: Buffer | string) {
  return reply.header('content-type', contentType).header('content-disposition', `attachment; filename="${fileName}"`).send(body);
}

/** The outcomes report: the page with its filters, a printable version, the PDF, and every table as CSV and XLSX. */
export async function outcomesRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db, config } = deps;

  async function build(request: FastifyRequest, format: ReportFormat) {
    const principal = requirePermission(request, 'reports:view-aggregate');
    const reportRequest = readReportRequest(request.query as Record<string, unknown>, londonToday());
    return buildOutcomesReport(db, principal, reportRequest, { threshold: config.disclosureThreshold, format });
  }

  app.get('/reports/outcomes', async (request, reply) => {
    const principal = requirePermission(request, 'reports:view-aggregate');
    const query = request.query as Record<string, unknown>;
    const common = { pageTitle: 'Outcomes report', commissioner: principal.role === 'commissioner' };
    try {
      const { report, scope } = await build(request, 'page');
      return reply.view('outcomes/views/report.njk', {
        ...common,
        ...reportView(report, scope, definitionOf, reportCharts(report)),
        values: formValues(query, report.request),
        choices: await filterChoices(db, principal, scope),
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return reply.code(400).view('outcomes/views/report.njk', {
        ...common,
        errors: error.errors,
        values: formValues(query),
        choices: await filterChoices(db, principal),
      });
    }
  });

  app.get('/reports/outcomes/print', async (request, reply) => {
    const { report, scope } = await build(request, 'print');
    return reply.view('outcomes/views/print.njk', {
      pageTitle: 'Outcomes report: printable version',
      ...reportView(report, scope, definitionOf, reportCharts(report)),
    });
  });

  app.get('/reports/outcomes/pdf', async (request, reply) => {
    const { report } = await build(request, 'pdf');
    return download(reply, 'application/pdf', `outcomes-${report.request.from}-to-${report.request.to}.pdf`, await reportToPdf(report));
  });

  app.get('/reports/outcomes/xlsx', async (request, reply) => {
    const { report } = await build(request, 'xlsx');
    return download(reply, XLSX_TYPE, `outcomes-${report.request.from}-to-${report.request.to}.xlsx`, await reportToXlsx(report));
  });

  app.get('/reports/outcomes/tables/:tableId/csv', async (request, reply) => {
    const { tableId } = request.params as { tableId: string };
    const { report } = await build(request, 'csv');
    const table = findTable(report, tableId);
    if (!table) throw new NotFound();
    return download(reply, 'text/csv; charset=utf-8', `${table.id}-${report.request.from}-to-${report.request.to}.csv`, tableToCsv(table, { disclosureMethod: report.disclosure.applied ? report.disclosure.method : undefined }));
  });

  app.get('/reports/outcomes/tables/:tableId/xlsx', async (request, reply) => {
    const { tableId } = request.params as { tableId: string };
    const { report } = await build(request, 'xlsx');
    const table = findTable(report, tableId);
    if (!table) throw new NotFound();
    return download(reply, XLSX_TYPE, `${table.id}-${report.request.from}-to-${report.request.to}.xlsx`, await reportToXlsx(report, [table.id]));
  });

  await outcomesApiRoutes(app, deps);
}
