/**
 * The expected-access table: Throughgate's access policy, route by route.
 *
 * test/integration/authorisation-matrix.test.ts enumerates every route from the
 * router itself (app.routeTable) and tries each one signed out, as every role
 * and, for the API, as every API-token role, against the caller's own
 * organisation's records and against another organisation's. Each answer is
 * compared with this table. A route the router has but this table lacks fails
 * the test, and so does an entry for a route that no longer exists.
 *
 * Each entry names what the route's service checks:
 *   'public'     anyone, signed in or not;
 *   'signed-in'  any signed-in user (or, on the API, any valid token);
 *   an Action    the permission from src/platform/auth/permissions.ts; roles
 *                holding it are 'allowed', the rest 'forbidden'.
 * So the roles follow permissions.ts (whose own test pins each role's grants),
 * and this table pins which permission guards which route. Where a route's
 * answer for a role differs from its permission, `overrides` says so and
 * `note` says why.
 *
 * Cross-organisation rules (applied by the test, not written per route): for a
 * route whose :params (or body) name an organisation-owned record, another
 * organisation's record is 'not-found' for every role that may use the route,
 * and 'forbidden' or 'not-found' for the rest. No such request may succeed.
 * A commissioner never reaches person-level data (see PERSON_LEVEL_PREFIXES).
 */
import type { Action, Role } from '../../src/platform/auth/permissions.ts';

/** How an answer is classified: see classify() in the matrix test. */
export type Outcome = 'allowed' | 'signed-out' | 'forbidden' | 'not-found';

export interface RouteAccess {
  /** Who may use the route with their own organisation's records. */
  access: 'public' | 'signed-in' | Action;
  /** Where a role's answer is not what `access` implies, with the reason in `note`. */
  overrides?: Partial<Record<Role, Outcome>>;
  note?: string;
  /** Form fields for a page's unsafe method (the CSRF token is added); values may hold {placeholders}. */
  form?: Record<string, string>;
  /** JSON body for an API write: schema-valid, so the request reaches the permission check. */
  json?: Record<string, unknown>;
  /** A query string (without '?'), with {placeholders}. */
  query?: string;
  /** The request ends the caller's session (the test signs that role in again afterwards). */
  endsSession?: boolean;
  /**
   * The other organisation's record is named in the body, not the URL: the API answers 400
   * ("No person with this id") rather than 404, which is as good: nothing is read or written.
   */
  crossOrgInBody?: boolean;
}

/**
 * Routes the matrix does not try, and why. HEAD routes are added by Fastify
 * for every GET and run the same handler; static assets are public files.
 */
export const SKIPPED_ROUTES: Record<string, string> = {
  'HEAD *': 'Added by Fastify for every GET route; runs the GET handler.',
  'GET /public/*': 'Static files (CSS, JavaScript, images) from ./public.',
  'GET /assets/*': 'GOV.UK Frontend static assets (fonts, images).',
};

/**
 * What fills each :param, by the URL segment before it ("people/:id") or, where
 * the name is unambiguous, by the name alone (":contactId"). The fixture names
 * are those the matrix test creates in each organisation. `owned: true` means the
 * record belongs to an organisation, so the request is also tried with the other
 * organisation's record.
 */
export const PARAM_FIXTURES: Record<string, { fixture: string; owned: boolean }> = {
  'people/:id': { fixture: 'person', owned: true },
  'episodes/:id': { fixture: 'episode', owned: true },
  'users/:id': { fixture: 'user', owned: true },
  'teams/:id': { fixture: 'team', owned: true },
  'api-tokens/:id': { fixture: 'apiToken', owned: true },
  'outbox/:id': { fixture: 'outboxMessage', owned: true },
  'imports/:id': { fixture: 'importBatch', owned: true },
  ':personId': { fixture: 'person', owned: true },
  ':contactId': { fixture: 'contact', owned: true },
  ':taskId': { fixture: 'task', owned: true },
  ':itemId': { fixture: 'referenceItem', owned: true },
  ':list': { fixture: 'referenceList', owned: false },
  ':employerId': { fixture: 'employer', owned: true },
  ':employerPersonId': { fixture: 'employerPerson', owned: true },
  ':vacancyId': { fixture: 'vacancy', owned: true },
  ':employerContactId': { fixture: 'employerContact', owned: true },
  ':fileId': { fixture: 'file', owned: true },
  ':activityId': { fixture: 'activity', owned: true },
  ':claimId': { fixture: 'benefitClaim', owned: true },
  ':consentId': { fixture: 'consent', owned: true },
  ':sessionId': { fixture: 'benefitsSession', owned: true },
  ':jobId': { fixture: 'job', owned: true },
  ':profileVersion': { fixture: 'profileVersion', owned: false },
  ':weeks': { fixture: 'checkpointWeeks', owned: false },
  ':tableId': { fixture: 'reportTableId', owned: false },
  ':costPeriodId': { fixture: 'costPeriod', owned: true },
  ':targetId': { fixture: 'commissionTarget', owned: true },
  ':reviewId': { fixture: 'fidelityReview', owned: true },
  ':section': { fixture: 'referralSection', owned: false },
  'password-reset/:token': { fixture: 'passwordResetToken', owned: false },
  'invitations/:token': { fixture: 'invitationToken', owned: false },
};

/** A commissioner must get 403 or 404 on every route under these: aggregates only, never a named person. */
export const PERSON_LEVEL_PREFIXES = [
  '/people',
  '/episodes',
  '/caseload',
  '/tasks',
  '/release-board',
  '/referrals',
  '/intake',
  '/imports',
  '/api/v1/people',
  '/api/v1/episodes',
  '/api/v1/referrals',
  '/employers',
  '/employer-contacts',
  '/employment-board',
  '/files',
  '/api/v1/employers',
  '/api/v1/employer-contacts',
];

/** One entry per route the router serves, keyed "METHOD /url/pattern", in registration order. */
export const EXPECTED_ACCESS: Record<string, RouteAccess> = {
  // Platform
  'GET /health': { access: 'public' },
  'GET /api/v1/openapi.json': { access: 'public' },
  'GET /api/v1/me': { access: 'signed-in' },

  // Home
  'GET /': { access: 'signed-in' },
  'GET /accessibility': { access: 'public' },
  'GET /privacy': { access: 'public' },

  // People
  'GET /people': { access: 'people:view' },
  'GET /people/new': { access: 'people:edit' },
  'POST /people/new': { access: 'people:edit' },
  'POST /people/new/details': { access: 'people:edit' },
  'POST /people': { access: 'people:edit' },
  'GET /people/:id': { access: 'people:view' },
  'POST /people/:id/restricted': { access: 'people:view-restricted' },
  'GET /people/:id/edit': { access: 'people:edit' },
  'POST /people/:id/edit': { access: 'people:edit' },
  'GET /people/:id/merge': { access: 'people:merge' },
  'GET /people/:id/merge/confirm': { access: 'people:merge', query: 'other={own:duplicatePerson}' },
  'POST /people/:id/merge': { access: 'people:merge', form: { otherId: '{own:duplicatePerson}' } },
  'GET /people/:id/history': { access: 'people:view' },
  'GET /people/:personId/erase': { access: 'people:erase', note: 'The fixture person has an open episode: a manager is answered 409 (refused), nothing deleted.' },
  'POST /people/:personId/erase': { access: 'people:erase', form: { reason: 'Matrix check' } },
  'GET /api/v1/people': { access: 'people:view' },
  'GET /api/v1/people/:id': { access: 'people:view' },
  'POST /api/v1/people': { access: 'people:edit', json: { givenName: 'Matrix', familyName: 'Api{unique}' } },

  // Accounts
  'GET /sign-in': { access: 'public' },
  'POST /sign-in': { access: 'public' },
  'GET /sign-in/two-factor': { access: 'signed-in' },
  'POST /sign-in/two-factor': { access: 'signed-in' },
  'POST /sign-out': { access: 'public', endsSession: true },
  'GET /account': { access: 'signed-in' },
  'GET /account/sign-out-everywhere': { access: 'signed-in' },
  'POST /account/sign-out-everywhere': { access: 'signed-in', endsSession: true },
  'GET /account/two-factor/setup': { access: 'signed-in' },
  'POST /account/two-factor/setup': { access: 'signed-in' },
  'GET /account/two-factor/disable': { access: 'signed-in' },
  'POST /account/two-factor/disable': { access: 'signed-in', note: 'Roles that must use two-factor get 400; others turn it off (they had none).' },
  'GET /password-reset': { access: 'public' },
  'POST /password-reset': { access: 'public' },
  'GET /password-reset/:token': { access: 'public' },
  'POST /password-reset/:token': { access: 'public' },
  'GET /invitations/:token': { access: 'public' },
  'POST /invitations/:token': { access: 'public' },

  // Administration of the organisation
  'GET /admin/audit': { access: 'audit:view' },
  'GET /admin/api-tokens': { access: 'api-tokens:manage' },
  'GET /admin/api-tokens/new': { access: 'api-tokens:manage' },
  'POST /admin/api-tokens/new': { access: 'api-tokens:manage' },
  'GET /admin/api-tokens/:id/revoke': { access: 'api-tokens:manage' },
  'POST /admin/api-tokens/:id/revoke': { access: 'api-tokens:manage' },
  'GET /admin/outbox': { access: 'outbox:view' },
  'GET /admin/outbox/:id': { access: 'outbox:view' },
  'GET /admin/users': { access: 'users:view' },
  'GET /admin/users/invite': { access: 'users:manage' },
  'POST /admin/users/invite': { access: 'users:manage' },
  'GET /admin/users/:id': { access: 'users:view' },
  'GET /admin/users/:id/edit': { access: 'users:manage' },
  'POST /admin/users/:id/edit': { access: 'users:manage' },
  'GET /admin/users/:id/deactivate': { access: 'users:manage' },
  'POST /admin/users/:id/deactivate': { access: 'users:manage' },
  'POST /admin/users/:id/reactivate': { access: 'users:manage' },
  'POST /admin/users/:id/resend-invitation': { access: 'users:manage' },
  'POST /admin/users/:id/unlock': { access: 'users:manage' },
  'GET /api/v1/users': { access: 'users:view' },
  'GET /api/v1/users/:id': { access: 'users:view' },
  'GET /admin/teams': { access: 'teams:view' },
  'POST /admin/teams': { access: 'teams:manage' },
  'GET /admin/teams/:id': { access: 'teams:view' },
  'GET /api/v1/teams': { access: 'teams:view' },
  'POST /api/v1/teams': { access: 'teams:manage', json: { name: 'Matrix team {unique}' } },
  'GET /api/v1/teams/:id': { access: 'teams:view' },

  // Administration of the instance
  'GET /admin/organisations': { access: 'organisations:manage' },
  'GET /admin/organisations/new': { access: 'organisations:manage' },
  'POST /admin/organisations/new': { access: 'organisations:manage' },
  'GET /admin/commissions': { access: 'commissions:manage' },
  'GET /admin/commissions/new': { access: 'commissions:manage' },
  'POST /admin/commissions/new': { access: 'commissions:manage' },

  // Imports
  'GET /imports': { access: 'imports:run' },
  'GET /imports/new': { access: 'imports:run' },
  'GET /imports/:id': { access: 'imports:run' },
  'POST /imports/:id/run': { access: 'imports:run' },
  'POST /imports/new': { access: 'imports:run' },

  // Reference data and settings
  'GET /admin/reference-data': { access: 'reference-data:manage' },
  'GET /admin/reference-data/:list': { access: 'reference-data:manage' },
  'POST /admin/reference-data/:list': { access: 'reference-data:manage' },
  'GET /admin/reference-data/:list/:itemId/deactivate': { access: 'reference-data:manage' },
  'POST /admin/reference-data/:list/:itemId/deactivate': { access: 'reference-data:manage' },
  'GET /admin/reference-data/:list/:itemId/reactivate': { access: 'reference-data:manage' },
  'POST /admin/reference-data/:list/:itemId/reactivate': { access: 'reference-data:manage' },
  'GET /admin/settings': { access: 'settings:manage' },
  'POST /admin/settings': { access: 'settings:manage' },
  'GET /admin/retention': { access: 'settings:manage' },
  'POST /admin/retention': { access: 'settings:manage' },
  'GET /admin/retention/due': { access: 'settings:manage' },

  // Contacts
  'GET /episodes/:id/contacts': { access: 'people:view' },
  'GET /episodes/:id/contacts/new': { access: 'people:edit' },
  'POST /episodes/:id/contacts/new': { access: 'people:edit' },
  'GET /episodes/:id/contacts/:contactId': { access: 'people:view' },
  'GET /episodes/:id/contacts/:contactId/edit': { access: 'people:edit' },
  'POST /episodes/:id/contacts/:contactId/edit': { access: 'people:edit' },
  'GET /episodes/:id/contacts/:contactId/delete': { access: 'people:edit' },
  'POST /episodes/:id/contacts/:contactId/delete': { access: 'people:edit' },
  'GET /api/v1/episodes/:id/contacts': { access: 'people:view' },
  'POST /api/v1/episodes/:id/contacts': {
    access: 'people:edit',
    json: { occurredAt: '2026-01-12T10:00:00Z', type: 'face_to_face', setting: 'community', with: 'person' },
  },

  // Episodes and referrals
  'GET /episodes/:id': { access: 'people:view' },
  'POST /episodes/:id/accept': { access: 'referrals:decide' },
  'GET /episodes/:id/decline': { access: 'referrals:decide' },
  'POST /episodes/:id/decline': { access: 'referrals:decide' },
  'GET /episodes/:id/withdraw': { access: 'referrals:decide' },
  'POST /episodes/:id/withdraw': { access: 'referrals:decide' },
  'GET /episodes/:id/allocate': { access: 'episodes:allocate' },
  'POST /episodes/:id/allocate': { access: 'episodes:allocate' },
  'GET /episodes/:id/exit': { access: 'people:edit' },
  'POST /episodes/:id/exit': { access: 'people:edit' },
  'GET /episodes/:id/reopen': { access: 'people:edit' },
  'POST /episodes/:id/reopen': { access: 'people:edit', form: { confirm: 'yes' } },
  'GET /episodes/:id/custody-events': { access: 'people:edit' },
  'POST /episodes/:id/custody-events': { access: 'people:edit' },
  'GET /people/:personId/referrals/new': { access: 'people:edit' },
  'GET /people/:personId/referrals/new/:section': { access: 'people:edit' },
  'POST /people/:personId/referrals/new/:section': { access: 'people:edit' },
  'GET /episodes/:id/referral-sent': { access: 'people:view' },
  'GET /intake': { access: 'intake:create' },
  'POST /intake': { access: 'intake:create' },
  'GET /referrals/pending': { access: 'people:view' },
  'POST /api/v1/referrals': { access: 'people:edit', json: { personId: '{personWithoutEpisode}', receivedOn: '2026-01-06', sourceCode: 'probation' }, crossOrgInBody: true },
  'GET /api/v1/episodes/:id': { access: 'people:view' },
  'GET /api/v1/people/:personId/episodes': { access: 'people:view' },
  // Stale versions: the write is refused (409) after the access checks, so the fixtures stay as they are.
  'POST /api/v1/episodes/:id/decision': { access: 'referrals:decide', json: { decision: 'accept', version: 999 } },
  'POST /api/v1/episodes/:id/allocation': { access: 'episodes:allocate', json: { workerId: '{worker}', handoverNote: 'Matrix', version: 999 } },
  'POST /api/v1/episodes/:id/exit': { access: 'people:edit', json: { exitedOn: '2026-01-20', reasonCode: 'goals_met', version: 999 } },
  'POST /api/v1/episodes/:id/reopen': { access: 'people:edit', json: { version: 999 } },
  'POST /api/v1/episodes/:id/custody-events': {
    access: 'people:edit',
    json: { kind: 'recall', reason: 'breach_of_licence', occurredOn: '2026-01-11' },
  },

  // Caseloads
  'GET /caseload': { access: 'people:view' },
  'GET /caseload/team': { access: 'caseload:view-team' },

  // Custody, release and tasks
  'GET /episodes/:id/custody': { access: 'people:view' },
  'GET /episodes/:id/custody/details': { access: 'people:edit' },
  'POST /episodes/:id/custody/details': { access: 'people:edit' },
  'GET /episodes/:id/custody/prison': { access: 'people:edit' },
  'POST /episodes/:id/custody/prison': { access: 'people:edit' },
  'GET /episodes/:id/release-dates': { access: 'people:edit' },
  'POST /episodes/:id/release-dates': { access: 'people:edit' },
  'GET /episodes/:id/release': { access: 'people:edit' },
  'POST /episodes/:id/release': { access: 'people:edit' },
  'GET /episodes/:id/release-plan': { access: 'people:view' },
  'POST /episodes/:id/release-plan': { access: 'people:edit' },
  'GET /episodes/:id/tasks': { access: 'people:view' },
  'POST /episodes/:id/tasks/:taskId/done': { access: 'people:edit' },
  'GET /tasks': { access: 'people:view' },
  'GET /release-board': { access: 'people:view' },
  'GET /api/v1/episodes/:id/custody': { access: 'people:view' },
  'PUT /api/v1/episodes/:id/release-dates': { access: 'people:edit', json: {} },
  'GET /api/v1/episodes/:id/tasks': { access: 'people:view' },
  'GET /api/v1/episodes/:id/release-plan': { access: 'people:view' },
  'PUT /api/v1/episodes/:id/release-plan': { access: 'people:edit', json: { meetAtGate: false, version: 999 } },
  'POST /api/v1/episodes/:id/release': { access: 'people:edit', json: { releasedOn: '2026-01-10', releaseType: 'conditional_release' } },

  // Vocational profile
  'GET /people/:personId/vocational-profile': { access: 'people:view' },
  'GET /people/:personId/vocational-profile/versions/:profileVersion': { access: 'people:view' },
  'GET /people/:personId/vocational-profile/edit': { access: 'people:edit' },
  'POST /people/:personId/vocational-profile/edit': { access: 'people:edit', form: { basedOnVersion: '999' } },
  'GET /api/v1/people/:personId/vocational-profile': { access: 'people:view' },
  // Stale basedOnVersion: refused (409) after the access checks, so the fixture profile stays at version 1.
  'PUT /api/v1/people/:personId/vocational-profile': { access: 'people:edit', json: { basedOnVersion: 999 } },

  // Consents to sharing; the withdrawal's empty form has no version, so it is refused (409) and the fixture consent stays
  'GET /people/:personId/consents': { access: 'people:view' },
  'GET /people/:personId/consents/new': { access: 'people:edit' },
  'POST /people/:personId/consents/new': { access: 'people:edit' },
  'GET /people/:personId/consents/:consentId/withdraw': { access: 'people:edit' },
  'POST /people/:personId/consents/:consentId/withdraw': { access: 'people:edit' },
  'GET /api/v1/people/:personId/consents': { access: 'people:view' },

  // Subject access export (managers only)
  'GET /people/:personId/subject-access': { access: 'people:subject-access' },
  'GET /people/:personId/subject-access/json': { access: 'people:subject-access' },
  'GET /people/:personId/subject-access/html': { access: 'people:subject-access' },

  // Benefits
  'GET /episodes/:id/benefits': { access: 'people:view' },
  'GET /episodes/:id/benefits/claims/new': { access: 'people:edit' },
  'POST /episodes/:id/benefits/claims/new': { access: 'people:edit' },
  'GET /episodes/:id/benefits/claims/:claimId/end': { access: 'people:edit' },
  'POST /episodes/:id/benefits/claims/:claimId/end': { access: 'people:edit' },
  'GET /episodes/:id/benefits/sessions/new': { access: 'people:edit' },
  'POST /episodes/:id/benefits/sessions/new': { access: 'people:edit' },
  'GET /episodes/:id/benefits/calculator': { access: 'people:view' },
  'POST /episodes/:id/benefits/calculator': { access: 'people:view' },
  'POST /episodes/:id/benefits/calculator/save': { access: 'people:edit' },
  'GET /api/v1/episodes/:id/benefits': { access: 'people:view' },
  'POST /api/v1/episodes/:id/benefits-sessions': { access: 'people:edit', json: { heldOn: '2026-01-14', adviser: 'Matrix adviser' } },
  'POST /api/v1/better-off-calculations': {
    access: 'people:view',
    json: { hoursPerWeek: 20, hourlyPay: 12.21, onEsa: false, onUniversalCredit: true, startsOn: '2025-06-02' },
  },

  // Employers and employer contacts
  'GET /employers': { access: 'people:view' },
  'GET /employers/new': { access: 'people:edit' },
  'POST /employers/new': { access: 'people:edit' },
  'GET /employers/:employerId': { access: 'people:view' },
  'GET /employers/:employerId/edit': { access: 'people:edit' },
  'POST /employers/:employerId/edit': { access: 'people:edit', form: { name: 'Matrix Builders', version: '999' } },
  'GET /employers/:employerId/people/new': { access: 'people:edit' },
  'POST /employers/:employerId/people/new': { access: 'people:edit' },
  'GET /employers/:employerId/vacancies/new': { access: 'people:edit' },
  'POST /employers/:employerId/vacancies/new': { access: 'people:edit' },
  'GET /employers/:employerId/vacancies/:vacancyId/filled': { access: 'people:edit' },
  'POST /employers/:employerId/vacancies/:vacancyId/filled': { access: 'people:edit' },
  'GET /employer-contacts': { access: 'people:view' },
  'GET /employer-contacts/new': { access: 'people:edit' },
  'POST /employer-contacts/new': { access: 'people:edit' },
  'GET /employer-contacts/weekly': { access: 'people:view' },
  'GET /api/v1/employers': { access: 'people:view' },
  'POST /api/v1/employers': { access: 'people:edit', json: { name: 'Matrix Api Employer {unique}' } },
  'GET /api/v1/employers/:employerId': { access: 'people:view' },
  'POST /api/v1/employer-contacts': {
    access: 'people:edit',
    json: { employerId: '{employer}', occurredOn: '2026-01-19', method: 'phone', purpose: 'follow_up', episodeIds: ['{episode}'], specialistId: '{worker}' },
    crossOrgInBody: true,
  },
  'GET /api/v1/employer-contacts/weekly': { access: 'people:view', query: 'specialistId={own:worker}' },

  // Job search
  'GET /episodes/:id/job-search': { access: 'people:view' },
  'GET /episodes/:id/job-search/new': { access: 'people:edit', query: 'kind=application' },
  'POST /episodes/:id/job-search/new': {
    access: 'people:edit',
    query: 'kind=application',
    form: { 'occurredOn-day': '14', 'occurredOn-month': '1', 'occurredOn-year': '2026', employerName: 'Matrix' },
  },
  'GET /episodes/:id/job-search/dates': { access: 'people:edit' },
  'POST /episodes/:id/job-search/dates': { access: 'people:edit', form: { version: '999' } },
  'GET /episodes/:id/job-search/:activityId': { access: 'people:view' },
  'GET /episodes/:id/job-search/:activityId/delete': { access: 'people:edit' },
  'POST /episodes/:id/job-search/:activityId/delete': { access: 'people:edit' },
  'GET /files/:fileId': { access: 'people:view' },
  'GET /api/v1/episodes/:id/job-search-activities': { access: 'people:view' },
  'POST /api/v1/episodes/:id/job-search-activities': { access: 'people:edit', json: { kind: 'application', occurredOn: '2026-01-14', employerName: 'Matrix' } },
  'PUT /api/v1/episodes/:id/job-search-dates': { access: 'people:edit', json: { jobSearchStartedOn: '2026-01-10', version: 999 } },

  // Jobs and in-work support
  'GET /episodes/:id/jobs': { access: 'people:view' },
  'GET /episodes/:id/jobs/new': { access: 'people:edit' },
  'POST /episodes/:id/jobs/new': { access: 'people:edit' },
  'GET /episodes/:id/jobs/:jobId/edit': { access: 'people:edit' },
  'POST /episodes/:id/jobs/:jobId/edit': { access: 'people:edit', form: { version: '999' } },
  'GET /episodes/:id/jobs/:jobId/end': { access: 'people:edit' },
  'POST /episodes/:id/jobs/:jobId/end': { access: 'people:edit', form: { version: '999' } },
  'GET /episodes/:id/jobs/:jobId/checkpoints/:weeks': { access: 'people:edit' },
  'POST /episodes/:id/jobs/:jobId/checkpoints/:weeks': { access: 'people:edit' },
  'GET /api/v1/episodes/:id/jobs': { access: 'people:view' },
  'POST /api/v1/episodes/:id/jobs': {
    access: 'people:edit',
    json: { employerId: '{employer}', title: 'Labourer', jobType: 'elementary', startsOn: '2026-02-02', hoursPerWeek: 20, hourlyPay: 13, permanent: true, openToAnyone: true },
  },
  'PUT /api/v1/episodes/:id/jobs/:jobId': {
    access: 'people:edit',
    json: { employerId: '{employer}', title: 'Labourer', jobType: 'elementary', startsOn: '2026-02-02', hoursPerWeek: 20, hourlyPay: 13, permanent: true, openToAnyone: true, version: 999 },
  },
  'POST /api/v1/episodes/:id/jobs/:jobId/end': {
    access: 'people:edit',
    json: { endsOn: '2026-03-02', endReason: 'resigned', helpedWithNextJob: false, version: 999 },
  },
  'POST /api/v1/episodes/:id/jobs/:jobId/checkpoints': { access: 'people:edit', json: { weeks: 13, stillInWork: true, confirmedOn: '2026-05-04' } },

  // Employment board
  'GET /employment-board': { access: 'people:view' },

  // Outcomes report: aggregates only, for the caller's organisation or, for a commissioner, its commissions' providers
  'GET /reports/outcomes': { access: 'reports:view-aggregate' },
  'GET /reports/outcomes/print': { access: 'reports:view-aggregate' },
  'GET /reports/outcomes/pdf': { access: 'reports:view-aggregate' },
  'GET /reports/outcomes/xlsx': { access: 'reports:view-aggregate' },
  'GET /reports/outcomes/tables/:tableId/csv': { access: 'reports:view-aggregate' },
  'GET /reports/outcomes/tables/:tableId/xlsx': { access: 'reports:view-aggregate' },
  'GET /api/v1/reports/outcomes': { access: 'reports:view-aggregate' },

  // Costs and staffing (managers, own organisation) and commission targets (commissioners, own organisation's commissions)
  'GET /costs': { access: 'costs:manage' },
  'GET /costs/new': { access: 'costs:manage' },
  'POST /costs': { access: 'costs:manage' },
  'GET /costs/:costPeriodId': { access: 'costs:manage' },
  'POST /costs/:costPeriodId': { access: 'costs:manage', form: { version: '999' } },
  'GET /costs/:costPeriodId/delete': { access: 'costs:manage' },
  'POST /costs/:costPeriodId/delete': { access: 'costs:manage' },
  'GET /targets': { access: 'targets:manage' },
  'GET /targets/new': { access: 'targets:manage' },
  'POST /targets': {
    access: 'targets:manage',
    form: { commissionId: '{commission}', measure: 'referrals', target: '10', 'startsOn-day': '1', 'startsOn-month': '4', 'startsOn-year': '2026', 'endsOn-day': '30', 'endsOn-month': '6', 'endsOn-year': '2026' },
  },
  'GET /targets/:targetId/delete': { access: 'targets:manage' },
  'POST /targets/:targetId/delete': { access: 'targets:manage' },

  // IPS fidelity reviews: managers record them; managers, practitioners and commissioners view their own organisation's
  'GET /fidelity-reviews': { access: 'reports:view-aggregate' },
  'GET /fidelity-reviews/new': { access: 'fidelity:manage' },
  'POST /fidelity-reviews': { access: 'fidelity:manage' },
  'GET /fidelity-reviews/:reviewId': { access: 'reports:view-aggregate' },
  'GET /api/v1/fidelity-reviews': { access: 'reports:view-aggregate' },
};
