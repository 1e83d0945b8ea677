import { type Static, Type } from '@sinclair/typebox';
import { ROLES, type Role } from '../../platform/auth/permissions.ts';
import { PRACTITIONER_KINDS, type PractitionerKind, USER_STATUSES, type UserStatus, type UserView } from './user-view.ts';

/** A string from a fixed list, shown in OpenAPI as an enum. */
const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] });
const StatusSchema = Type.Unsafe<UserStatus>({ type: 'string', enum: [...USER_STATUSES] });
const KindSchema = Type.Unsafe<PractitionerKind | null>({ type: ['string', 'null'], enum: [...PRACTITIONER_KINDS, null] });

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ApiUser = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    displayName: Type.String(),
    role: RoleSchema,
    practitionerKind: KindSchema,
    teamId: Nullable(Type.String({ format: 'uuid' })),
    teamName: Nullable(Type.String()),
    status: StatusSchema,
    twoFactorEnabled: Type.Boolean(),
    locked: Type.Boolean({ description: 'True while the account is locked after failed sign-ins' }),
    lastSignInAt: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
    version: Type.Integer({ description: 'Optimistic concurrency counter' }),
  },
  { additionalProperties: false, description: 'A person who signs in to the organisation' },
);

export const ApiUserList = Type.Object(
  {
    items: Type.Array(ApiUser),
    total: Type.Integer({ description: 'How many users match, across all pages' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { additionalProperties: false },
);

export const UserListQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 100, description: 'Part of a name or email address, any case' })),
    role: Type.Optional(RoleSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

export function toApiUser(user: UserView): Static<typeof ApiUser> {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role as Role,
    practitionerKind: user.practitionerKind as PractitionerKind | null,
    teamId: user.teamId,
    teamName: user.teamName,
    status: user.status,
    twoFactorEnabled: user.twoFactorEnabled,
    locked: user.lockedUntil !== null,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    version: user.version,
  };
}
