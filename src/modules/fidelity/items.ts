/**
 * The 25 items of the IPS Supported Employment Fidelity Scale (IPS-25,
 * Becker, Swanson, Bond and Merrens, revised 2008), each with a short
 * description and its 1 to 5 anchors, paraphrased from the published scale.
 * A review scores every item; the total (25 to 125) places the service in a
 * band. docs/fidelity.md says which items Throughgate works out from the
 * records and how.
 */

export type FidelitySection = 'staffing' | 'organisation' | 'services';

export const SECTION_LABELS: Record<FidelitySection, string> = {
  staffing: 'Staffing',
  organisation: 'Organisation',
  services: 'Services',
};

export interface FidelityItem {
  number: number;
  code: string;
  section: FidelitySection;
  title: string;
  description: string;
  /** What scores 1, 2, 3, 4 and 5, in that order. */
  anchors: readonly [string, string, string, string, string];
}

export const FIDELITY_ITEMS: readonly FidelityItem[] = [
  {
    number: 1,
    code: 'caseload_size',
    section: 'staffing',
    title: 'Caseload size',
    description: 'Employment specialists have individual caseloads of 20 or fewer people per full-time specialist.',
    anchors: ['81 or more people per specialist', '61 to 80', '41 to 60', '21 to 40', '20 or fewer'],
  },
  {
    number: 2,
    code: 'employment_services_staff',
    section: 'staffing',
    title: 'Employment services staff',
    description: 'Employment specialists provide only employment services.',
    anchors: ['Less than 60% of their time on employment services', '60 to 74%', '75 to 89%', '90 to 95%', '96% or more'],
  },
  {
    number: 3,
    code: 'vocational_generalists',
    section: 'staffing',
    title: 'Vocational generalists',
    description: 'Each specialist carries out every phase of employment support: engagement, assessment, job finding, job development and follow-along.',
    anchors: [
      'Specialists only refer people on to other providers',
      'Specialists hold a caseload but hand on most phases',
      'Specialists provide three or four phases',
      'Specialists provide four or five phases',
      'Specialists provide all six phases',
    ],
  },
  {
    number: 4,
    code: 'integration_team_assignment',
    section: 'organisation',
    title: 'Integration of rehabilitation with mental health treatment through team assignment',
    description: 'Specialists are attached to one or two treatment teams, from which at least 90% of their caseload comes.',
    anchors: [
      'Specialists work in a vocational programme separate from treatment',
      'Specialists serve several teams, or less than 50% of the caseload comes from their teams',
      '50 to 74% of the caseload comes from their teams',
      '75 to 89% of the caseload comes from their teams',
      'Attached to one or two teams, 90% or more of the caseload from them',
    ],
  },
  {
    number: 5,
    code: 'integration_team_contact',
    section: 'organisation',
    title: 'Integration of rehabilitation with mental health treatment through frequent team member contact',
    description: 'Specialists attend weekly team meetings, share decisions, help engage people, keep shared records and have an office near the team.',
    anchors: ['One or none of the five elements', 'Two elements', 'Three elements', 'Four elements', 'All five elements'],
  },
  {
    number: 6,
    code: 'collaboration_vr_counsellors',
    section: 'organisation',
    title: 'Collaboration between employment specialists and vocational rehabilitation counsellors',
    description: 'Specialists and vocational rehabilitation counsellors have frequent contact about shared clients.',
    anchors: [
      'Contact less than quarterly, or none',
      'Contact at least quarterly',
      'Contact monthly',
      'Scheduled meetings at least monthly and some client-related contact',
      'Scheduled monthly meetings and client-related contact at least weekly',
    ],
  },
  {
    number: 7,
    code: 'vocational_unit',
    section: 'organisation',
    title: 'Vocational unit',
    description: 'At least two full-time specialists and a team leader form a unit with weekly group supervision and cover for each other.',
    anchors: [
      'Specialists are not part of a vocational unit',
      'Specialists have the same supervisor but do not meet as a group',
      'Specialists meet as a group at least monthly',
      'Weekly group supervision, but no covering for each other',
      'A unit of two or more specialists and a leader, weekly supervision, cover for each other',
    ],
  },
  {
    number: 8,
    code: 'employment_supervisor',
    section: 'organisation',
    title: 'Role of employment supervisor',
    description: 'The supervisor leads one unit of up to ten specialists, reviews outcomes, meets teams and employers and coaches in the field.',
    anchors: ['One or none of the five elements', 'Two elements', 'Three elements', 'Four elements', 'All five elements'],
  },
  {
    number: 9,
    code: 'zero_exclusion',
    section: 'organisation',
    title: 'Zero-exclusion criteria',
    description: 'Everyone who wants to work can take part, whatever their readiness, substance use, symptoms or history.',
    anchors: [
      'A formal policy excludes people',
      'Most people can take part, but some are screened out informally',
      'Some exclusion remains, such as referral only by some staff',
      'People are not excluded, but referral is not encouraged across the agency',
      'All who want to work have access; staff encourage everyone to consider work',
    ],
  },
  {
    number: 10,
    code: 'agency_focus_competitive_employment',
    section: 'organisation',
    title: 'Agency focus on competitive employment',
    description: 'The agency promotes competitive work in several ways: asking about work at intake, displaying success stories, sharing outcomes.',
    anchors: ['One or none of the five strategies', 'Two strategies', 'Three strategies', 'Four strategies', 'All five strategies'],
  },
  {
    number: 11,
    code: 'executive_support',
    section: 'organisation',
    title: 'Executive team support for supported employment',
    description: 'Leaders know IPS, take part in quality improvement, champion it and act on fidelity reports.',
    anchors: ['One or none of the five elements', 'Two elements', 'Three elements', 'Four elements', 'All five elements'],
  },
  {
    number: 12,
    code: 'work_incentives_planning',
    section: 'services',
    title: 'Work incentives planning',
    description: 'Everyone is offered individual benefits (work incentives) planning before starting a job and when their hours or pay change.',
    anchors: [
      'Planning is not offered',
      'Referred elsewhere, without help to use it',
      'Some people get planning, or it is general only',
      'Most people get individual planning before starting work',
      'Everyone is offered individual planning before starting work and when it changes',
    ],
  },
  {
    number: 13,
    code: 'disclosure',
    section: 'services',
    title: 'Disclosure',
    description: 'Specialists give clear information about disclosing a condition or conviction to employers, and talk it through more than once.',
    anchors: ['None of the three elements', 'One element', 'Two elements', 'Three elements, discussed once', 'All three, discussed more than once'],
  },
  {
    number: 14,
    code: 'work_based_assessment',
    section: 'services',
    title: 'Ongoing, work-based vocational assessment',
    description: 'Assessment is ongoing and based on work experience in competitive jobs, not office-based tests before placement.',
    anchors: [
      'Assessment before placement, mainly office-based tests',
      'Mainly assessment before placement in sheltered settings',
      'Assessment before placement plus some use of job experience',
      'Assessment continues in work, with some testing before',
      'Assessment is ongoing, from work experience and reviewed with the person',
    ],
  },
  {
    number: 15,
    code: 'rapid_job_search',
    section: 'services',
    title: 'Rapid job search for competitive job',
    description: 'The first face-to-face contact with an employer about a competitive job happens within 30 days of entry.',
    anchors: ['271 days or more after entry', '151 to 270 days', '61 to 150 days', '31 to 60 days', '30 days or fewer'],
  },
  {
    number: 16,
    code: 'individualised_job_search',
    section: 'services',
    title: 'Individualised job search',
    description: 'Employer contacts follow the person’s job preferences, strengths, symptoms and history.',
    anchors: ['Less than 25% of contacts match preferences', '25 to 49%', '50 to 74%', '75 to 89%', '90% or more'],
  },
  {
    number: 17,
    code: 'employer_contact_frequency',
    section: 'services',
    title: 'Job development: frequent employer contact',
    description: 'Each specialist makes at least six face-to-face employer contacts a week on behalf of people looking for work.',
    anchors: ['Fewer than 2 a week', '2 a week, or contacts are not tracked', '4 a week, tracked monthly', '5 a week', '6 or more a week'],
  },
  {
    number: 18,
    code: 'employer_contact_quality',
    section: 'services',
    title: 'Job development: quality of employer contact',
    description: 'Specialists build relationships with employers over several visits, learning their needs and offering what the service can do.',
    anchors: [
      'Contacts are mostly cold calls or job fairs',
      'Specialists contact employers but rarely visit more than once',
      'Specialists build relationships with some employers',
      'Specialists build relationships with most employers they contact',
      'Relationships are built through multiple visits in person, learning the employer’s needs',
    ],
  },
  {
    number: 19,
    code: 'job_type_diversity',
    section: 'services',
    title: 'Diversity of job types',
    description: 'Specialists help people into different types of jobs.',
    anchors: ['Less than 50% of the time', '50 to 59%', '60 to 69%', '70 to 84%', '85% or more'],
  },
  {
    number: 20,
    code: 'employer_diversity',
    section: 'services',
    title: 'Diversity of employers',
    description: 'Specialists help people into jobs with different employers.',
    anchors: ['Less than 50% of the time', '50 to 59%', '60 to 69%', '70 to 84%', '85% or more'],
  },
  {
    number: 21,
    code: 'competitive_jobs',
    section: 'services',
    title: 'Competitive jobs',
    description: 'Specialists offer competitive jobs: open to anyone, paid at least the minimum wage, not set aside for disabled people.',
    anchors: ['Less than 65% of jobs are competitive', '65 to 74%', '75 to 84%', '85 to 94%', '95% or more'],
  },
  {
    number: 22,
    code: 'individualised_follow_along',
    section: 'services',
    title: 'Individualised follow-along supports',
    description: 'People in work get support that fits their job, preferences and needs, from the specialist, the treatment team and others.',
    anchors: [
      'Most working people get no support after starting',
      'About half get support',
      'Most get support, mainly from the specialist',
      'Most get varied support from the specialist and others',
      'Most get varied, individual support, including with employers where the person agrees',
    ],
  },
  {
    number: 23,
    code: 'time_unlimited_follow_along',
    section: 'services',
    title: 'Time-unlimited follow-along supports',
    description: 'Face-to-face contact within a week before starting, within 3 days after, weekly for the first month, then monthly for a year or more.',
    anchors: [
      'Contact is not kept up after starting',
      'Follow-along lasts less than six months',
      'Follow-along lasts six months to a year, for some people',
      'Most get time-unlimited support, with some gaps in the schedule',
      'Most get the full schedule, and support for as long as they want it',
    ],
  },
  {
    number: 24,
    code: 'community_based_services',
    section: 'services',
    title: 'Community-based services',
    description: 'Engagement, job finding and follow-along happen in natural community settings, not the office.',
    anchors: ['Less than 30% of time in the community', '30 to 39%', '40 to 49%', '50 to 64%', '65% or more'],
  },
  {
    number: 25,
    code: 'assertive_engagement',
    section: 'services',
    title: 'Assertive engagement and outreach by integrated treatment team',
    description: 'The service keeps trying to engage people who drop out: outreach, with the treatment team, for more than a month.',
    anchors: [
      'No outreach when people stop attending',
      'One or two elements of outreach',
      'Three elements',
      'Four elements',
      'All elements: systematic, time-unlimited outreach with the treatment team',
    ],
  },
];

export const FIDELITY_ITEM_CODES: readonly string[] = FIDELITY_ITEMS.map((item) => item.code);

export function fidelityItem(code: string): FidelityItem | undefined {
  return FIDELITY_ITEMS.find((item) => item.code === code);
}

export type FidelityBand = 'exemplary' | 'good' | 'fair' | 'not_ips';

export const BAND_LABELS: Record<FidelityBand, string> = {
  exemplary: 'Exemplary fidelity',
  good: 'Good fidelity',
  fair: 'Fair fidelity',
  not_ips: 'Not supported employment (IPS)',
};

/** The published bands: 115 to 125 exemplary, 100 to 114 good, 74 to 99 fair, 73 or below not IPS. */
export function fidelityBand(total: number): FidelityBand {
  if (!Number.isInteger(total) || total < 25 || total > 125) throw new RangeError(`A fidelity total is a whole number from 25 to 125, not ${total}`);
  if (total >= 115) return 'exemplary';
  if (total >= 100) return 'good';
  if (total >= 74) return 'fair';
  return 'not_ips';
}

/** The sum of 25 scores of 1 to 5. */
export function fidelityTotal(scores: readonly number[]): number {
  if (scores.length !== FIDELITY_ITEMS.length || scores.some((score) => !Number.isInteger(score) || score < 1 || score > 5)) {
    throw new RangeError('A fidelity review has 25 scores, each a whole number from 1 to 5');
  }
  return scores.reduce((sum, score) => sum + score, 0);
}
