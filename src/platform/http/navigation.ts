import { type Action, can } from '../auth/permissions.ts';
import type { Principal } from './context.ts';

interface NavItem {
  href: string;
  text: string;
  action?: Action;
}

/** Modules add their entries here; each shows only to roles that may use it. */
const ITEMS: NavItem[] = [
  { href: '/', text: 'Home' },
  { href: '/people', text: 'People', action: 'people:view' },
  { href: '/caseload', text: 'Caseload', action: 'people:view' },
  { href: '/caseload/team', text: 'Team caseload', action: 'caseload:view-team' },
  { href: '/referrals/pending', text: 'Pending referrals', action: 'people:view' },
  { href: '/release-board', text: 'Release board', action: 'people:view' },
  { href: '/tasks', text: 'Tasks', action: 'people:view' },
  { href: '/employment-board', text: 'Employment', action: 'people:view' },
  { href: '/employers', text: 'Employers', action: 'people:view' },
  { href: '/intake', text: 'Refer someone', action: 'intake:create' },
  { href: '/reports/outcomes', text: 'Outcomes report', action: 'reports:view-aggregate' },
  { href: '/targets', text: 'Targets', action: 'targets:manage' },
  { href: '/costs', text: 'Costs and staffing', action: 'costs:manage' },
  { href: '/fidelity-reviews', text: 'Fidelity reviews', action: 'fidelity:manage' },
  { href: '/admin/users', text: 'Users', action: 'users:view' },
  { href: '/admin/teams', text: 'Teams', action: 'teams:view' },
  { href: '/admin/audit', text: 'Audit log', action: 'audit:view' },
  { href: '/admin/api-tokens', text: 'API tokens', action: 'api-tokens:manage' },
  { href: '/admin/outbox', text: 'Email outbox', action: 'outbox:view' },
  { href: '/admin/organisations', text: 'Organisations', action: 'organisations:manage' },
  { href: '/admin/commissions', text: 'Commissions', action: 'commissions:manage' },
  { href: '/imports', text: 'Imports', action: 'imports:run' },
  { href: '/admin/reference-data', text: 'Reference data', action: 'reference-data:manage' },
  { href: '/admin/settings', text: 'Settings', action: 'settings:manage' },
  { href: '/admin/retention', text: 'Retention', action: 'settings:manage' },
  { href: '/account', text: 'Your account' },
];

function matches(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/** The items this role may use; the active one is the most specific match, so /caseload/team is not also "Caseload". */
export function navigationFor(principal: Principal, url: string) {
  const path = url.split('?')[0];
  const items = ITEMS.filter((item) => !item.action || can(principal.role, item.action));
  const active = items.filter((item) => matches(item.href, path)).sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((item) => ({ href: item.href, text: item.text, active: item === active }));
}
