import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { londonToday } from '../../platform/london-time.ts';
import { OutcomesQuery, OutcomesReportSchema } from './schemas.ts';
import { buildOutcomesReport, DEFINITIONS, readReportRequest } from './service.ts';

/** The outcomes report as JSON: the same tables, after the same disclosure control, as the page and its downloads. */
export async function outcomesApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = deps;

  app.get(
    '/api/v1/reports/outcomes',
    {
      schema: {
        tags: ['reports'],
        summary: 'The outcomes report for a cohort of referrals, as tables with their definitions',
        querystring: OutcomesQuery,
        response: { 200: OutcomesReportSchema, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'reports:view-aggregate');
      const reportRequest = readReportRequest(request.query, londonToday());
      const { report } = await buildOutcomesReport(db, principal, reportRequest, { threshold: config.disclosureThreshold, format: 'json' });
      const used = new Set(report.sections.flatMap((section) => section.tables.map((table) => table.metric)));
      return { ...report, definitions: Object.fromEntries(Object.entries(DEFINITIONS).filter(([id]) => used.has(id))) };
    },
  );
}
