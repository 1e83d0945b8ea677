import { SYSTEM_ACTOR } from './audit/service.ts';
import type { Role } from './auth/permissions.ts';
import type { Db } from './db/database.ts';
import * as organisations from '../modules/organisations/service.ts';
import * as users from '../modules/users/service.ts';

/** For development only: never run in production (the caller checks config.seedDemoData). */
export const DEMO_PASSWORD = 'demo-password-throughgate';
export const DEMO_ORGANISATION = 'Demo Through the Gate Service';

export const DEMO_USERS: Array<{ email: string; name: string; role: Role; kind?: 'employment_specialist' | 'caseworker'; organisation: 'provider' | 'commissioner' | 'operator' }> = [
  { email: 'admin@demo.example.org', name: 'Ada Admin', role: 'organisation_admin', organisation: 'provider' },
  { email: 'manager@demo.example.org', name: 'Morgan Manager', role: 'manager', organisation: 'provider' },
  { email: 'specialist@demo.example.org', name: 'Sam Specialist', role: 'practitioner', kind: 'employment_specialist', organisation: 'provider' },
  { email: 'caseworker@demo.example.org', name: 'Casey Caseworker', role: 'practitioner', kind: 'caseworker', organisation: 'provider' },
  { email: 'coordinator@demo.example.org', name: 'Cora Coordinator', role: 'mentor_coordinator', organisation: 'provider' },
  { email: 'mentor@demo.example.org', name: 'Max Mentor', role: 'volunteer_mentor', organisation: 'provider' },
  { email: 'peer@demo.example.org', name: 'Pat Peer', role: 'peer_advisor', organisation: 'provider' },
  { email: 'commissioner@demo.example.org', name: 'Chris Commissioner', role: 'commissioner', organisation: 'commissioner' },
  { email: 'sysadmin@demo.example.org', name: 'Sol Sysadmin', role: 'system_admin', organisation: 'operator' },
];

/** Creates the demo organisations and one user per role, once. Returns false when they already exist. */
export async function seedDemoData(db: Db): Promise<boolean> {
  if (await organisations.findOrganisationByName(db, DEMO_ORGANISATION)) return false;
  const provider = await organisations.createOrganisation(db, SYSTEM_ACTOR, { name: DEMO_ORGANISATION, kind: 'provider' });
  const commissioner = await organisations.createOrganisation(db, SYSTEM_ACTOR, { name: 'Demo Commissioning Body', kind: 'commissioner' });
  const operator = await organisations.createOrganisation(db, SYSTEM_ACTOR, { name: 'Throughgate Instance', kind: 'operator' });
  const north = await organisations.createTeam(db, SYSTEM_ACTOR, provider.id, 'North team');
  await organisations.createTeam(db, SYSTEM_ACTOR, provider.id, 'South team');
  await organisations.createCommission(db, SYSTEM_ACTOR, {
    organisationId: commissioner.id,
    name: 'Through the gate employment support 2026–2029',
    startsOn: '2026-04-01',
    endsOn: '2029-03-31',
    providerIds: [provider.id],
  });
  const orgIds = { provider: provider.id, commissioner: commissioner.id, operator: operator.id };
  for (const user of DEMO_USERS) {
    await users.createUserWithPassword(db, SYSTEM_ACTOR, {
      organisationId: orgIds[user.organisation],
      teamId: user.organisation === 'provider' && user.role !== 'organisation_admin' ? north.id : null,
      email: user.email,
      displayName: user.name,
      role: user.role,
      practitionerKind: user.kind ?? null,
      password: DEMO_PASSWORD,
    });
  }
  return true;
}
