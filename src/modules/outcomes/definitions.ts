/**
 * The definition shown beside each table of the outcomes report (in a details
 * element), keyed by the table's `metric`. Each text appears word for word in
 * docs/metrics.md, "Outcomes report", and definitions.test.ts checks it, so
 * the page and the documentation cannot drift apart.
 */
export const METRIC_DEFINITIONS: Record<string, { title: string; text: string }> = {
  funnel: {
    title: 'The funnel',
    text: 'Episodes referred in the period (one episode per referral, so a person referred twice counts twice), by the furthest stages they had reached by the as-at date; job starts are counted 4-hour starts, and people with two or more jobs are distinct people. Each rate is against the stage before (into work against engaged; its split and people with two or more jobs against into work) and against referrals.',
  },
  monthly: {
    title: 'By month',
    text: 'For each calendar month of the referral period, the cohort’s referrals, the engagements (engaged date) and the counted job starts dated in that month, as they stood on the as-at date. Engagements and job starts after the end of the period are in the funnel but not in this table.',
  },
  breakdowns: {
    title: 'Who was referred',
    text: 'Episodes referred in the period and, of those, the ones engaged by the as-at date, by the person’s current details (after a merge, the kept record’s); each share is of its column’s total. Offence is the most recent offence category, prison is the prison of the episode’s latest prison stay, and age is the age on the referral date.',
  },
  'age-summary': {
    title: 'Age: mean and range',
    text: 'The mean (to one decimal place), youngest and oldest age on the referral date, over the referred and over the engaged episodes whose person has a date of birth recorded.',
  },
  activity: {
    title: 'Activity',
    text: 'Job-search activities of the cohort’s episodes dated by the as-at date, not deleted, as distinct people and as a total of records; jobs are counted 4-hour starts by the as-at date. Trained into work is people with a training course who had a counted start on or after the course’s start date.',
  },
  exits: {
    title: 'Why the engaged did not reach work',
    text: 'Episodes engaged by the as-at date with no counted job start by then, by the exit reason of those that had exited by the as-at date; the rest are still open.',
  },
  'returns-to-custody': {
    title: 'Returns to custody among the engaged',
    text: 'Recalls, remands and new sentences recorded for engaged episodes, dated on or after the engaged date and by the as-at date: recalls for breach of licence apart from every other return (an alleged or proven new offence, a remand or a new sentence). People counts engaged episodes with at least one such return; returns counts the records.',
  },
  'time-to-first-employer-contact': {
    title: 'Days to the first employer contact',
    text: 'Days from referral, and from release, to the first face-to-face employer contact on the person’s behalf, over the episodes where both dates exist by the as-at date; a contact before the start counts as 0 days. Median and quartiles are continuous percentiles.',
  },
  'time-to-first-job': {
    title: 'Days to the first job start',
    text: 'Days from referral, and from release, to the first counted job start, over the episodes where both dates exist by the as-at date; a start before the start point counts as 0 days. Median and quartiles are continuous percentiles; the bands include both ends.',
  },
  'ips-measures': {
    title: 'IPS measures',
    text: 'The employment rate is out-of-work episodes (no job current on the referral date) with a counted job start by the as-at date, over all out-of-work episodes; in-work referrals are episodes with a job current on the referral date, over all episodes (IPS Grow: no more than 15%). Competitive jobs and follow-along are shares of counted job starts.',
  },
  'job-types': {
    title: 'Job types',
    text: 'Counted job starts of the cohort by the as-at date, by SOC 2020 major group, with each group’s share of all counted starts.',
  },
  'employer-diversity': {
    title: 'Diversity of employers and job types',
    text: 'Over the cohort’s counted job starts by the as-at date: the number of different employers, the number of different SOC 2020 major groups, and the largest single employer’s share of the starts as a fraction from 0 to 1.',
  },
  'period-activity': {
    title: 'What happened in the period',
    text: 'Events dated within the period, for every episode in the report’s organisations, team, prison and referral source, whatever its referral date. Stages count episodes whose stage date falls in the period; contacts are attended contacts with the person of any type; employer contacts count each contact once, however many people it was on behalf of.',
  },
};
