import { type Static, Type } from '@sinclair/typebox';
import { STAGES } from '../engagement/service.ts';
import type { ContactInput, ContactView } from './contact-view.ts';

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(schema: T) => Type.Union([schema, Type.Null()]);
const StageSchema = Type.Unsafe<(typeof STAGES)[number]>({ type: 'string', enum: [...STAGES] });

export const ApiContact = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    episodeId: Type.String({ format: 'uuid' }),
    occurredAt: Type.String({ format: 'date-time' }),
    type: Type.String({ description: "A code from the 'contact_type' reference list" }),
    setting: Type.String({ description: "A code from the 'contact_setting' reference list" }),
    with: Type.String({ description: "A code from the 'contact_with' reference list" }),
    attended: Type.Boolean({ description: 'False when the person did not attend' }),
    durationMinutes: Nullable(Type.Integer()),
    note: Nullable(Type.String()),
    pathway: Nullable(Type.String({ description: "A code from the 'pathway' reference list" })),
    deleted: Type.Boolean(),
    deleteReason: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    version: Type.Integer({ description: 'Optimistic concurrency counter' }),
  },
  { additionalProperties: false, description: 'A contact with the person, or with others about them' },
);

export const ApiContactList = Type.Object(
  {
    items: Type.Array(ApiContact),
    total: Type.Integer({ description: 'How many contacts match, across all pages' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { additionalProperties: false },
);

export const ContactListQuery = Type.Object(
  {
    includeDeleted: Type.Optional(Type.Boolean({ default: false, description: 'Include soft-deleted contacts' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const NewContact = Type.Object(
  {
    occurredAt: Type.String({ format: 'date-time', description: 'When it happened, as an ISO 8601 date-time with an offset; not in the future' }),
    type: Type.String({ minLength: 1, maxLength: 60 }),
    setting: Type.String({ minLength: 1, maxLength: 60 }),
    with: Type.String({ minLength: 1, maxLength: 60 }),
    attended: Type.Optional(Type.Boolean({ default: true })),
    durationMinutes: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1440 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    pathway: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
  },
  { additionalProperties: false },
);

export const CreatedContact = Type.Object(
  {
    contact: ApiContact,
    episode: Type.Object(
      { id: Type.String({ format: 'uuid' }), stage: StageSchema },
      { additionalProperties: false, description: 'The episode’s stage after this contact' },
    ),
  },
  { additionalProperties: false },
);

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
export const EpisodeParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

export function toApiContact(contact: ContactView): Static<typeof ApiContact> {
  return {
    id: contact.id,
    episodeId: contact.episodeId,
    occurredAt: contact.occurredAt.toISOString(),
    type: contact.type,
    setting: contact.setting,
    with: contact.with,
    attended: contact.attended,
    durationMinutes: contact.durationMinutes,
    note: contact.note,
    pathway: contact.pathway,
    deleted: contact.deleted,
    deleteReason: contact.deleteReason,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
    version: contact.version,
  };
}

export function contactInputFromApi(body: Static<typeof NewContact>): ContactInput {
  const occurredAt = new Date(body.occurredAt);
  return {
    occurredAt: Number.isNaN(occurredAt.getTime()) ? undefined : occurredAt,
    type: body.type,
    setting: body.setting,
    with: body.with,
    attended: body.attended ?? true,
    durationMinutes: body.durationMinutes ?? null,
    note: body.note ?? '',
    pathway: body.pathway ?? '',
    errors: Number.isNaN(occurredAt.getTime()) ? [{ field: 'occurredAt', text: 'occurredAt must be a real date and time' }] : [],
  };
}
