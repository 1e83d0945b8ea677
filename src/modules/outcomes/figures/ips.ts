import type { Db } from '../../../platform/db/database.ts';
import type { EmploymentFigures } from '../../employment-metrics/service.ts';
import type { ReferenceData } from '../../reference-data/service.ts';
import type { CohortSpec } from '../queries/cohort.ts';
import { workAtReferral } from '../queries/ips.ts';
import { type ReportSection, type ReportTable, rate } from '../report-table.ts';
import { inListOrder } from './shared.ts';

/** The IPS section: work at referral from the cohort, the job-start measures from the employment hooks' figures (shared with the activity table). */
export async function ipsSection(db: Db, spec: CohortSpec, asAt: string, reference: ReferenceData, employment: EmploymentFigures): Promise<ReportSection> {
  const work = await workAtReferral(db, spec, asAt);
  const { competitive, followAlong, diversity } = employment;

  const measure = (key: string, label: string, numerator: number, denominator: number) => ({
    key,
    cells: { measure: label, numerator, denominator, value: rate(numerator, denominator) },
  });
  const measures: ReportTable = {
    id: 'ips-measures',
    title: 'IPS measures',
    metric: 'ips-measures',
    columns: [
      { key: 'measure', label: 'Measure', kind: 'label' },
      { key: 'numerator', label: 'Number', kind: 'count' },
      { key: 'denominator', label: 'Out of', kind: 'count' },
      { key: 'value', label: 'Rate', kind: 'percent', dependsOn: 'numerator' },
    ],
    rows: [
      measure('employment_rate', 'Employment rate (out-of-work clients who started work)', work.out_of_work_started, work.out_of_work),
      measure('in_work_referrals', 'In-work referrals (IPS Grow: no more than 15%)', work.in_work_at_referral, work.episodes),
      measure('competitive_jobs', 'Competitive jobs', competitive.competitive, competitive.jobs),
      measure('follow_along', 'Job starts followed up within 3 days', followAlong.contactedWithin3Days, followAlong.jobs),
    ],
  };

  const types = inListOrder(
    reference.items('soc_major_group'),
    diversity.byJobType.map((row) => ({ code: row.code, value: row.jobs })),
  );
  const jobTypes: ReportTable = {
    id: 'job-types',
    title: 'Job types',
    metric: 'job-types',
    columns: [
      { key: 'job_type', label: 'Job type (SOC 2020 major group)', kind: 'label' },
      { key: 'jobs', label: 'Job starts', kind: 'count' },
      { key: 'share', label: 'Share', kind: 'percent', dependsOn: 'jobs' },
    ],
    rows: [
      ...types.map((type) => ({ key: type.key, cells: { job_type: type.label, jobs: type.value, share: rate(type.value, diversity.jobs) } })),
      { key: 'total', cells: { job_type: 'Total', jobs: diversity.jobs, share: rate(diversity.jobs, diversity.jobs) }, isTotal: true },
    ],
    additive: ['jobs'],
  };

  const employerDiversity: ReportTable = {
    id: 'employer-diversity',
    title: 'Diversity of employers and job types',
    metric: 'employer-diversity',
    columns: [
      { key: 'measure', label: 'Measure', kind: 'label' },
      { key: 'value', label: 'Value', kind: 'number' },
    ],
    rows: [
      { key: 'employers', cells: { measure: 'Different employers', value: diversity.employers } },
      { key: 'job_types', cells: { measure: 'Different job types', value: diversity.jobTypes } },
      { key: 'largest_employer_share', cells: { measure: 'Largest employer’s share of job starts (0 to 1)', value: diversity.largestEmployerShare } },
    ],
  };
  return { id: 'ips', title: 'IPS measures', tables: [measures, jobTypes, employerDiversity] };
}
