import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { can } from '../../platform/auth/permissions.ts';
import { requirePrincipal } from '../../platform/http/guards.ts';
import * as caseload from '../caseload/service.ts';
import * as custody from '../custody/service.ts';

export async function homeRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get('/', async (request, reply) => {
    const principal = requirePrincipal(request);
    // Practitioners and managers start from their own work: active cases and overdue tasks.
    const work = can(principal.role, 'people:view')
      ? {
          activeCases: await caseload.myActiveCount(deps.db, principal),
          overdueTasks: await custody.myOverdueTaskCount(deps.db, principal),
          caseloadMaximum: caseload.IPS_CASELOAD_MAXIMUM,
        }
      : undefined;
    return reply.view('home/views/home.njk', { pageTitle: 'Home', work });
  });

  app.get('/accessibility', async (_request, reply) =>
    reply.view('static-page.njk', {
      pageTitle: 'Accessibility statement',
      paragraphs: [
        'Throughgate aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. It is built with GOV.UK Frontend components, and every page in our browser tests is checked with axe.',
        'Every page works without JavaScript and on a small screen. If something does not work for you, tell your organisation administrator so it can be fixed.',
      ],
    }),
  );

  app.get('/privacy', async (_request, reply) =>
    reply.view('static-page.njk', {
      pageTitle: 'Privacy',
      paragraphs: [
        'Throughgate holds information about people supported by your organisation, including health and criminal-offence information. Only people who need it can see it, and every view and change is recorded in an audit trail.',
        'Your organisation is the data controller. Ask its data protection lead about how your information is used, or for a copy of it.',
      ],
    }),
  );
}
