import { Type } from '@sinclair/typebox';

const IsoDate = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

export const OutcomesQuery = Type.Object(
  {
    from: Type.Optional(IsoDate('First referral date of the cohort (default: 364 days before today)')),
    to: Type.Optional(IsoDate('Last referral date of the cohort (default: today)')),
    asAt: Type.Optional(IsoDate('Outcomes are counted up to this date (default: today)')),
    teamId: Type.Optional(Type.String({ format: 'uuid', description: 'Only episodes of this team' })),
    prisonCode: Type.Optional(Type.String({ maxLength: 60, description: "A code from the 'prison' reference list: the episode's latest prison" })),
    sourceCode: Type.Optional(Type.String({ maxLength: 60, description: "A code from the 'referral_source' reference list" })),
    commissionId: Type.Optional(Type.String({ format: 'uuid', description: 'A commission: for a commissioner, whose providers count; for a provider, whose targets show' })),
    publication: Type.Optional(
      Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')], {
        description: 'Apply disclosure control as for a published report (always applied for commissioners)',
      }),
    ),
  },
  { additionalProperties: false },
);

const Cell = Type.Union(
  [
    Type.String(),
    Type.Number(),
    Type.Null(),
    Type.Object(
      { suppressed: Type.Union([Type.Literal('primary'), Type.Literal('secondary'), Type.Literal('dependent')]) },
      { additionalProperties: false, description: 'A hidden cell, and why: a small count, to protect a small count, or worked out from a hidden one' },
    ),
  ],
  { description: 'Percentages are fractions from 0 to 1; null when there is nothing to divide by or no figure exists' },
);

const Table = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    metric: Type.String({ description: 'The id of its definition, in definitions and in docs/metrics.md' }),
    columns: Type.Array(
      Type.Object(
        {
          key: Type.String(),
          label: Type.String(),
          kind: Type.Union([Type.Literal('label'), Type.Literal('count'), Type.Literal('percent'), Type.Literal('number'), Type.Literal('days'), Type.Literal('money'), Type.Literal('text')]),
          dependsOn: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    rows: Type.Array(
      Type.Object(
        {
          key: Type.String(),
          cells: Type.Record(Type.String(), Cell),
          isTotal: Type.Optional(Type.Boolean()),
          basis: Type.Optional(Type.Number()),
        },
        { additionalProperties: false },
      ),
    ),
    additive: Type.Optional(Type.Array(Type.String())),
    rowGroups: Type.Optional(Type.Array(Type.Object({ total: Type.String(), parts: Type.Array(Type.String()) }, { additionalProperties: false }))),
    notes: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

const Named = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }, { additionalProperties: false });

export const OutcomesReportSchema = Type.Object(
  {
    request: Type.Object(
      {
        from: Type.String(),
        to: Type.String(),
        asAt: Type.String(),
        publication: Type.Boolean(),
        teamId: Type.Optional(Type.String()),
        prisonCode: Type.Optional(Type.String()),
        sourceCode: Type.Optional(Type.String()),
        commissionId: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    scope: Type.Object(
      { organisations: Type.Array(Named), commission: Type.Optional(Named), filterLabels: Type.Record(Type.String(), Type.String()) },
      { additionalProperties: false },
    ),
    disclosure: Type.Object({ applied: Type.Boolean(), threshold: Type.Integer(), method: Type.String() }, { additionalProperties: false }),
    generatedAt: Type.String({ format: 'date-time' }),
    sections: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), tables: Type.Array(Table) }, { additionalProperties: false })),
    definitions: Type.Record(Type.String(), Type.Object({ title: Type.String(), text: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false, description: 'The outcomes report: every figure as tables, with the definitions used' },
);
