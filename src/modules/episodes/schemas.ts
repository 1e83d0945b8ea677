import { Type } from '@sinclair/typebox';

/** The episodes API's shapes: strict, so an unknown field is a 400 rather than silently dropped. */

const CalendarDate = (description: string) => Type.String({ format: 'date', description });
const Text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, description });
const NullableDate = Type.Union([Type.String({ format: 'date' }), Type.Null()]);

export const NewPersonBody = Type.Object(
  {
    givenName: Text(100),
    familyName: Text(100),
    dateOfBirth: Type.Optional(CalendarDate('YYYY-MM-DD')),
    prisonNumber: Type.Optional(Type.String({ maxLength: 20, description: 'A1234BC' })),
    crn: Type.Optional(Type.String({ maxLength: 20 })),
    pncId: Type.Optional(Type.String({ maxLength: 20 })),
    nhsNumber: Type.Optional(Type.String({ maxLength: 20 })),
    niNumber: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false, description: 'A new person, when personId is not given' },
);

export const NewReferralBody = Type.Object(
  {
    personId: Type.Optional(Type.String({ maxLength: 100, description: 'An existing person; or give person instead' })),
    person: Type.Optional(NewPersonBody),
    receivedOn: CalendarDate('The date the referral was received; not in the future'),
    sourceCode: Type.Optional(Type.String({ maxLength: 100, description: 'A code from the referral_source reference list' })),
    referringOrganisation: Type.Optional(Text(200)),
    referrerName: Type.Optional(Text(200)),
    referrerContact: Type.Optional(Text(200)),
    reason: Type.Optional(Text(2000)),
    personKnows: Type.Optional(Type.Boolean()),
    personAgrees: Type.Optional(Type.Boolean()),
    agreementConfirmedBy: Type.Optional(Text(200)),
    agreementConfirmedOn: Type.Optional(CalendarDate('YYYY-MM-DD')),
  },
  { additionalProperties: false },
);

export const CreatedReferral = Type.Object(
  { episodeId: Type.String({ format: 'uuid' }), personId: Type.String({ format: 'uuid' }), status: Type.Literal('pending') },
  { additionalProperties: false },
);

const StageSchema = Type.Unsafe<string>({
  type: 'string',
  enum: ['referred', 'met_in_custody', 'seen_in_community', 'engaged', 'in_work', 'exited'],
});
const StatusSchema = Type.Unsafe<string | null>({ type: ['string', 'null'], enum: ['pending', 'accepted', 'declined', 'withdrawn', null] });

export const ApiEpisode = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    personId: Type.String({ format: 'uuid' }),
    referralStatus: StatusSchema,
    stage: StageSchema,
    stageDates: Type.Object(
      {
        referred: Type.String({ format: 'date' }),
        metInCustody: NullableDate,
        seenInCommunity: NullableDate,
        engaged: NullableDate,
        inWork: NullableDate,
        exited: NullableDate,
      },
      { additionalProperties: false, description: 'The date each stage was reached, or null' },
    ),
    exitReasonCode: Type.Union([Type.String(), Type.Null()]),
    keyWorkerId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    keyWorkerName: Type.Union([Type.String(), Type.Null()]),
    version: Type.Integer({ description: 'Send it back to allocate, exit or reopen' }),
    referralVersion: Type.Union([Type.Integer(), Type.Null()], { description: 'Send it back to decide the referral' }),
  },
  { additionalProperties: false },
);

export const ApiEpisodeSummary = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    referredOn: Type.String({ format: 'date' }),
    stage: StageSchema,
    exitedOn: NullableDate,
    referralStatus: StatusSchema,
  },
  { additionalProperties: false },
);

export const ApiEpisodeList = Type.Object({ items: Type.Array(ApiEpisodeSummary) }, { additionalProperties: false });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });
export const PersonParams = Type.Object({ personId: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

const Version = (description: string) => Type.Integer({ minimum: 1, description });
const Code = (description: string) => Type.String({ minLength: 1, maxLength: 100, description });

export const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('accept'), Type.Literal('decline'), Type.Literal('withdraw')]),
    reasonCode: Type.Optional(
      Code('Required to decline or withdraw: a code from the referral_decline_reason or referral_withdrawal_reason list'),
    ),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'Required to decline or withdraw: why' })),
    version: Version('The referral’s version (referralVersion on the episode)'),
  },
  { additionalProperties: false },
);

export const AllocationBody = Type.Object(
  {
    workerId: Type.String({ maxLength: 100, description: 'An active user who may hold a caseload' }),
    handoverNote: Type.Optional(Type.String({ maxLength: 4000, description: 'Required when someone held the episode before' })),
    version: Version('The episode’s version'),
  },
  { additionalProperties: false },
);

export const ExitBody = Type.Object(
  {
    exitedOn: CalendarDate('Not in the future, nor before the referral was received'),
    reasonCode: Code('A code from the exit_reason reference list'),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    version: Version('The episode’s version'),
  },
  { additionalProperties: false },
);

export const ReopenBody = Type.Object({ version: Version('The episode’s version') }, { additionalProperties: false });

export const CustodyEventBody = Type.Object(
  {
    kind: Code('A code from the custody_event_kind list: recall, remand or new sentence'),
    reason: Code('A code from the custody_event_reason list: breach of licence, alleged or proven new offence'),
    occurredOn: CalendarDate('Not in the future, nor before the referral was received'),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const ApiCustodyEvent = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    episodeId: Type.String({ format: 'uuid' }),
    kind: Type.String(),
    reason: Type.String(),
    occurredOn: Type.String({ format: 'date' }),
    note: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
