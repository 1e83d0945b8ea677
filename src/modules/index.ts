import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/http/deps.ts';
import { accountRoutes } from './accounts/routes.ts';
import { apiTokenRoutes } from './api-tokens/routes.ts';
import { auditLogRoutes } from './audit-log/routes.ts';
import { caseloadRoutes } from './caseload/routes.ts';
import { contactRoutes } from './contacts/routes.ts';
import { episodeRoutes } from './episodes/routes.ts';
import { homeRoutes } from './home/routes.ts';
import { importRoutes } from './imports/routes.ts';
import { instanceAdminRoutes } from './instance-admin/routes.ts';
import { teamRoutes } from './organisations/routes.ts';
import { outboxRoutes } from './outbox/routes.ts';
import { peopleRoutes } from './people/routes.ts';
import { referenceDataRoutes } from './reference-data/routes.ts';
import { userRoutes } from './users/routes.ts';
import { custodyRoutes } from './custody/routes.ts';
import { vocationalProfileRoutes } from './vocational-profile/routes.ts';
import { benefitsRoutes } from './benefits/routes.ts';
import { employerRoutes } from './employers/routes.ts';
import { jobSearchRoutes } from './job-search/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import { employmentBoardRoutes } from './employment-board/routes.ts';
import { outcomesRoutes } from './outcomes/routes.ts';
import { costRoutes } from './costs/routes.ts';
import { targetRoutes } from './targets/routes.ts';
import { fidelityRoutes } from './fidelity/routes.ts';
import { consentRoutes } from './consents/routes.ts';
import { subjectAccessRoutes } from './subject-access/routes.ts';
import { retentionRoutes } from './retention/routes.ts';

/** Every module's routes, registered in this order by the app. */
export const routeModules: Array<(app: FastifyInstance, deps: Deps) => Promise<void>> = [
  homeRoutes,
  peopleRoutes,
  accountRoutes,
  auditLogRoutes,
  apiTokenRoutes,
  outboxRoutes,
  userRoutes,
  teamRoutes,
  instanceAdminRoutes,
  importRoutes,
  referenceDataRoutes,
  contactRoutes,
  episodeRoutes,
  caseloadRoutes,
  custodyRoutes,
  vocationalProfileRoutes,
  benefitsRoutes,
  employerRoutes,
  jobSearchRoutes,
  jobRoutes,
  employmentBoardRoutes,
  outcomesRoutes,
  costRoutes,
  targetRoutes,
  fidelityRoutes,
  consentRoutes,
  subjectAccessRoutes,
  retentionRoutes,
];
