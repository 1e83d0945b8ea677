import { type Static, Type } from '@sinclair/typebox';
import type { TeamView } from './service.ts';

export const ApiTeam = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    memberCount: Type.Integer({ description: 'Users in the team who are invited or active (not deactivated)' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, description: 'A team within the organisation' },
);

export const ApiTeamList = Type.Object({ items: Type.Array(ApiTeam) }, { additionalProperties: false });

export const NewTeamBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, description: 'Unique within the organisation, ignoring case' }) },
  { additionalProperties: false },
);

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
export const TeamIdParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

export function toApiTeam(team: TeamView): Static<typeof ApiTeam> {
  return { id: team.id, name: team.name, memberCount: team.memberCount, createdAt: team.createdAt.toISOString() };
}
