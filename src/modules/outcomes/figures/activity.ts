import type { Db } from '../../../platform/db/database.ts';
import type { ActivityCounts } from '../../employment-metrics/service.ts';
import type { ReferenceData } from '../../reference-data/service.ts';
import type { CohortSpec } from '../queries/cohort.ts';
import { exitsAndReturns } from '../queries/exits.ts';
import type { ReportSection, ReportTable } from '../report-table.ts';
import { inListOrder } from './shared.ts';

export const MENTORING_NOTE = 'Mentoring matches are not yet recorded in Throughgate: this row will fill in once mentoring exists';

/** The activity table from the employment hooks' counts (employmentFigures, shared with the IPS section). */
export function activityTable(counts: ActivityCounts): ReportTable {
  const row = (key: string, activity: string, people: number | null, total: number | null) => ({ key, cells: { activity, people, total } });
  return {
    id: 'activity',
    title: 'Activity',
    metric: 'activity',
    columns: [
      { key: 'activity', label: 'Activity', kind: 'label' },
      { key: 'people', label: 'People', kind: 'count' },
      { key: 'total', label: 'Total', kind: 'count' },
    ],
    rows: [
      row('cvs', 'CVs', counts.cvs.people, counts.cvs.total),
      row('applications', 'Applications', counts.applications.people, counts.applications.total),
      row('interviews', 'Interviews', counts.interviews.people, counts.interviews.total),
      row('training_courses', 'Training courses', counts.trainingCourses.people, counts.trainingCourses.total),
      row('trained_into_work', 'Trained, then into work', counts.trainingCourses.trainedPeopleIntoWork, null),
      row('work_trials', 'Work trials', counts.workTrials.people, counts.workTrials.total),
      row('work_placements', 'Work placements', counts.workPlacements.people, counts.workPlacements.total),
      row('jobs', 'Jobs (counted starts)', counts.jobs.people, counts.jobs.total),
      row('mentoring', 'Mentoring matches (not yet available)', null, null),
    ],
    notes: [MENTORING_NOTE],
  };
}

const RETURN_KINDS = [
  { key: 'recall_breach', label: 'Recalled for breach of licence' },
  { key: 'new_offence_or_remand', label: 'New offence, remand or new sentence' },
  { key: 'any', label: 'Any return to custody' },
] as const;

export async function exitsSection(db: Db, spec: CohortSpec, asAt: string, reference: ReferenceData): Promise<ReportSection> {
  const rows = await exitsAndReturns(db, spec, asAt);
  const exits = rows.filter((row) => row.part === 'exit');
  const reasons = inListOrder(
    reference.items('exit_reason'),
    exits.filter((row) => row.code !== 'still_open').map((row) => ({ code: row.code === 'not_recorded' ? null : row.code, value: row.episodes })),
  );
  const stillOpen = exits.find((row) => row.code === 'still_open')?.episodes ?? 0;
  const total = exits.reduce((sum, row) => sum + row.episodes, 0);
  const exitsTable: ReportTable = {
    id: 'exits',
    title: 'Why the engaged did not reach work',
    metric: 'exits',
    columns: [
      { key: 'reason', label: 'Exit reason', kind: 'label' },
      { key: 'people', label: 'People', kind: 'count' },
    ],
    rows: [
      ...reasons.map((reason) => ({ key: reason.key, cells: { reason: reason.label, people: reason.value } })),
      { key: 'still_open', cells: { reason: 'Still open', people: stillOpen } },
      { key: 'total', cells: { reason: 'Total', people: total }, isTotal: true },
    ],
    additive: ['people'],
  };
  const custody = (key: string) => rows.find((row) => row.part === 'custody' && row.code === key);
  const returnsTable: ReportTable = {
    id: 'returns-to-custody',
    title: 'Returns to custody among the engaged',
    metric: 'returns-to-custody',
    columns: [
      { key: 'kind', label: 'Return', kind: 'label' },
      { key: 'people', label: 'People', kind: 'count' },
      { key: 'events', label: 'Returns', kind: 'count' },
    ],
    rows: RETURN_KINDS.map((kind) => ({ key: kind.key, cells: { kind: kind.label, people: custody(kind.key)?.episodes ?? 0, events: custody(kind.key)?.events ?? 0 } })),
  };
  return { id: 'exits', title: 'Why the engaged did not reach work', tables: [exitsTable, returnsTable] };
}
