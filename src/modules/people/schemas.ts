import { Type } from '@sinclair/typebox';

const Text = (maxLength: number, description?: string) => Type.Union([Type.String({ maxLength, description }), Type.Null()]);
const DateString = Type.Union([Type.String({ format: 'date', description: 'YYYY-MM-DD' }), Type.Null()]);
const Code = (list: string) => Type.Union([Type.String({ maxLength: 100, description: `A code from the '${list}' reference list` }), Type.Null()]);

const OtherName = Type.Object(
  { givenName: Type.String({ maxLength: 100 }), familyName: Type.String({ maxLength: 100 }) },
  { additionalProperties: false },
);

/** The fields a person has, shared by the request and the response. */
const personFields = {
  givenName: Type.String({ maxLength: 100 }),
  familyName: Type.String({ maxLength: 100 }),
  preferredName: Type.Optional(Text(100)),
  dateOfBirth: Type.Optional(DateString),
  sex: Type.Optional(Code('sex')),
  gender: Type.Optional(Text(100)),
  ethnicity: Type.Optional(Code('ethnicity')),
  language: Type.Optional(Text(100)),
  interpreterNeeded: Type.Optional(Type.Boolean()),
  phone: Type.Optional(Text(30)),
  email: Type.Optional(Text(254)),
  address: Type.Optional(Text(500)),
  postcode: Type.Optional(Text(10, 'UK postcode; stored upper case with one space')),
  consentsToTexts: Type.Optional(Type.Boolean()),
  consentsToEmail: Type.Optional(Type.Boolean()),
  rightToWork: Type.Optional(Code('right_to_work')),
  immigrationStatus: Type.Optional(Text(200)),
  prisonNumber: Type.Optional(Text(10, 'A letter, four digits, two letters: A1234BC')),
  crn: Type.Optional(Text(10, 'Probation case reference: a letter and six digits')),
  pncId: Type.Optional(Text(20, 'PNC ID with check letter; stored as YY/NNNNNNNL or YYYY/NNNNNNNL (serial padded to 7 digits)')),
  nhsNumber: Type.Optional(Text(14, '10 digits with a valid check digit; spaces allowed')),
  niNumber: Type.Optional(Text(14, 'National Insurance number; spaces allowed')),
  primaryDiagnosis: Type.Optional(Code('diagnosis')),
  secondaryDiagnoses: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
  offenceCategory: Type.Optional(Code('offence_category')),
  priorityOffender: Type.Optional(Type.Boolean({ description: 'Prolific or priority offender' })),
  riskNotes: Type.Optional(Text(5000, 'Restricted: needs people:view-restricted')),
  sexualOffenceDetails: Type.Optional(Text(5000, 'Restricted: needs people:view-restricted')),
};

export const NewPersonBody = Type.Object(
  { ...personFields, otherNames: Type.Optional(Type.Array(OtherName, { maxItems: 20 })) },
  { additionalProperties: false },
);

export const ApiPerson = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    version: Type.Integer({ description: 'Optimistic concurrency counter' }),
    ...personFields,
    otherNames: Type.Array(
      Type.Object({ givenName: Type.String(), familyName: Type.String(), kind: Type.String() }, { additionalProperties: false }),
    ),
    mergedIntoId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'Set when this record was merged into another' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, description: 'A person the organisation supports. Restricted fields appear only for roles that may see them, and reading them is audited.' },
);

export const ApiPersonListItem = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    givenName: Type.String(),
    familyName: Type.String(),
    preferredName: Type.Union([Type.String(), Type.Null()]),
    dateOfBirth: DateString,
    prisonNumber: Type.Union([Type.String(), Type.Null()]),
    crn: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const ApiPersonList = Type.Object(
  {
    items: Type.Array(ApiPersonListItem),
    total: Type.Integer({ description: 'How many people match, across all pages' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { additionalProperties: false },
);

export const PersonListQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 100, description: 'A name (tolerant of spelling and order, aliases included) or any identifier' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

/** Ids are checked by the service, so a malformed one is 404 like any other unknown id. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });
