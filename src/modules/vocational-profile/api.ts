import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../platform/http/api-identity.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { Conflict, NotFound } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import type { ReadDate } from './profile-rules.ts';
import * as profiles from './service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem };
const Text = (maxLength = 5000) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));
const OptionalDate = Type.Optional(Type.Union([Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), Type.Null()]));
const Codes = (list: string) => Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 100, description: `Codes from the '${list}' reference list` }));

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
const PersonParams = Type.Object({ personId: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

const WorkEntry = Type.Object(
  {
    employer: Type.String({ maxLength: 200 }),
    role: Type.String({ maxLength: 200 }),
    startedOn: OptionalDate,
    endedOn: OptionalDate,
    informal: Type.Optional(Type.Boolean({ description: 'Informal or cash-in-hand work' })),
    howEnded: Text(200),
  },
  { additionalProperties: false },
);

const QualificationEntry = Type.Object(
  { kind: Type.String({ maxLength: 60, description: "A code from the 'qualification_kind' reference list" }), title: Text(200), obtainedOn: OptionalDate, expiresOn: OptionalDate },
  { additionalProperties: false },
);

const ProfileFields = {
  preferredJobTypes: Codes('soc_major_group'),
  preferredHours: Text(),
  preferredPlaces: Text(),
  doesNotWant: Text(),
  workHistory: Type.Optional(Type.Array(WorkEntry, { maxItems: 50 })),
  qualifications: Type.Optional(Type.Array(QualificationEntry, { maxItems: 50 })),
  skills: Text(),
  barriers: Text(),
  convictionDetails: Text(),
  disclosureDecision: Text(60),
  disclosurePlan: Text(),
  disclosureReviewedOn: OptionalDate,
  licenceConditions: Codes('licence_condition'),
  licenceConditionNotes: Text(),
  identityDocuments: Codes('identity_document'),
  rightToWorkNotes: Text(),
};

const ProfileBody = Type.Object(
  { basedOnVersion: Type.Integer({ minimum: 0, maximum: 999_999_999, description: 'The version this replaces; 0 to start a profile' }), ...ProfileFields },
  { additionalProperties: false, description: 'The whole profile: fields left out are saved empty' },
);

const ApiProfile = Type.Object(
  {
    personId: Type.String({ format: 'uuid' }),
    version: Type.Integer(),
    recordedAt: Type.String({ format: 'date-time' }),
    disclosureReviewDue: Type.Boolean({ description: 'The disclosure plan was last reviewed more than 90 days ago' }),
    ...ProfileFields,
  },
  { additionalProperties: false },
);

const ApiProfileWithVersions = Type.Object(
  {
    current: ApiProfile,
    versions: Type.Array(
      Type.Object({ version: Type.Integer(), recordedAt: Type.String({ format: 'date-time' }), recordedBy: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false }),
      { description: 'Newest first' },
    ),
  },
  { additionalProperties: false },
);

function realDate(text: string | null | undefined, field: string, errors: { field: string; text: string }[]): ReadDate {
  if (!text) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  if (!Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1900 && date.toISOString().slice(0, 10) === text) return text;
  errors.push({ field, text: `${field} must be a real date` });
  return null;
}

function inputFrom(body: Static<typeof ProfileBody>): profiles.ProfileInput {
  const errors: { field: string; text: string }[] = [];
  return {
    basedOnVersion: body.basedOnVersion,
    preferredJobTypes: body.preferredJobTypes ?? [],
    preferredHours: body.preferredHours ?? '',
    preferredPlaces: body.preferredPlaces ?? '',
    doesNotWant: body.doesNotWant ?? '',
    workHistory: (body.workHistory ?? []).map((entry, index) => ({
      employer: entry.employer,
      role: entry.role,
      startedOn: realDate(entry.startedOn, `workHistory/${index}/startedOn`, errors),
      endedOn: realDate(entry.endedOn, `workHistory/${index}/endedOn`, errors),
      informal: entry.informal ?? false,
      howEnded: entry.howEnded ?? '',
    })),
    qualifications: (body.qualifications ?? []).map((entry, index) => ({
      kind: entry.kind,
      title: entry.title ?? '',
      obtainedOn: realDate(entry.obtainedOn, `qualifications/${index}/obtainedOn`, errors),
      expiresOn: realDate(entry.expiresOn, `qualifications/${index}/expiresOn`, errors),
    })),
    skills: body.skills ?? '',
    barriers: body.barriers ?? '',
    convictionDetails: body.convictionDetails ?? '',
    disclosureDecision: body.disclosureDecision ?? '',
    disclosurePlan: body.disclosurePlan ?? '',
    disclosureReviewedOn: realDate(body.disclosureReviewedOn, 'disclosureReviewedOn', errors),
    licenceConditions: body.licenceConditions ?? [],
    licenceConditionNotes: body.licenceConditionNotes ?? '',
    identityDocuments: body.identityDocuments ?? [],
    rightToWorkNotes: body.rightToWorkNotes ?? '',
    errors,
  };
}

function toApi(personId: string, profile: profiles.ProfileView): Static<typeof ApiProfile> {
  return {
    personId,
    version: profile.version,
    recordedAt: new Date(profile.recordedAt).toISOString(),
    disclosureReviewDue: profile.disclosureReviewDue,
    preferredJobTypes: profile.preferredJobTypes,
    preferredHours: profile.preferredHours,
    preferredPlaces: profile.preferredPlaces,
    doesNotWant: profile.doesNotWant,
    workHistory: profile.workHistory.map((entry) => ({ ...entry })),
    qualifications: profile.qualifications.map((entry) => ({ kind: entry.kindCode, title: entry.title, obtainedOn: entry.obtainedOn, expiresOn: entry.expiresOn })),
    skills: profile.skills,
    barriers: profile.barriers,
    convictionDetails: profile.convictionDetails,
    disclosureDecision: profile.disclosureDecision,
    disclosurePlan: profile.disclosurePlan,
    disclosureReviewedOn: profile.disclosureReviewedOn,
    licenceConditions: profile.licenceConditions,
    licenceConditionNotes: profile.licenceConditionNotes,
    identityDocuments: profile.identityDocuments,
    rightToWorkNotes: profile.rightToWorkNotes,
  };
}

export async function vocationalProfileApiRoutes(parent: FastifyInstance, deps: Deps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  async function current(principal: Parameters<typeof profiles.viewProfile>[1], personId: string) {
    const page = await profiles.viewProfile(db, principal, personId);
    if (!page.current) throw new NotFound('This person has no vocational profile yet.');
    return {
      current: toApi(page.person.id, page.current),
      versions: page.versions.map((row) => ({ version: row.version, recordedAt: new Date(row.recordedAt).toISOString(), recordedBy: row.recordedByName })),
    };
  }

  app.get(
    '/api/v1/people/:personId/vocational-profile',
    {
      schema: {
        tags: ['vocational profile'],
        summary: 'The current vocational profile and its versions; 404 when the person has none',
        params: PersonParams,
        response: { 200: ApiProfileWithVersions, ...errors },
      },
    },
    async (request) => current(requirePermission(request, 'people:view'), request.params.personId),
  );

  app.put(
    '/api/v1/people/:personId/vocational-profile',
    {
      schema: {
        tags: ['vocational profile'],
        summary: 'Save the whole profile as a new version; basedOnVersion must be the current version (0 for the first)',
        params: PersonParams,
        body: ProfileBody,
        response: { 200: ApiProfileWithVersions, ...errors, 409: Problem },
      },
    },
    async (request) => {
      const principal = requirePermission(request, 'people:edit');
      const result = await profiles.saveProfile(db, principal, request.params.personId, inputFrom(request.body));
      if (result.outcome === 'conflict') {
        throw new Conflict(`The profile is at version ${result.current?.version ?? 0}, not ${request.body.basedOnVersion}. Fetch it again and resend.`);
      }
      return current(principal, request.params.personId);
    },
  );
}
