/**
 * What each capacity-and-cost figure means, shown beside the figure on the
 * report. docs/metrics.md carries the same words.
 */
export const COST_DEFINITIONS: Record<string, { title: string; text: string }> = {
  'capacity-and-cost': {
    title: 'Capacity and cost',
    text: 'Staffing and costs come from the cost periods the organisation’s managers enter. A team’s report uses that team’s periods only; a report for the whole organisation uses all of them, team and whole-organisation periods alike.',
  },
  staff_fte: {
    title: 'Staff (full-time equivalent)',
    text: 'For each cost period, its staff FTE times its days inside the report period, added up and divided by the days of the report period that have costs entered. Periods for different teams at the same time add up; days with no costs entered are left out.',
  },
  specialist_fte: {
    title: 'Employment specialists (full-time equivalent)',
    text: 'The part of the staff FTE who are employment specialists, averaged over the days in the same way as staff FTE.',
  },
  cost_heads: {
    title: 'Salaries, overheads, management, travel and other costs',
    text: 'Each cost period’s amount counts in proportion to its days inside the report period: a 90-day period with 30 days inside counts one third of its costs.',
  },
  total_cost: {
    title: 'Total cost',
    text: 'Salaries, overheads, management, travel and other costs added up, each prorated by days as above.',
  },
  cost_per_person_seen: {
    title: 'Cost per person seen in the community',
    text: 'Total cost divided by the number of people in the cohort seen at least once in the community by the as-at date. Blank when nobody was seen.',
  },
  cost_per_person_engaged: {
    title: 'Cost per person engaged',
    text: 'Total cost divided by the number of people in the cohort who became engaged by the as-at date. Blank when nobody was engaged.',
  },
  cost_per_year: {
    title: 'Cost per person per year',
    text: 'The cost per person seen, or engaged, times 365 and divided by the days in the report period, so that periods of different lengths compare.',
  },
  active_caseload: {
    title: 'Active caseload',
    text: 'Episodes open on the as-at date: referred by then, not exited by then, and whose referral was not declined or withdrawn, in the report’s organisations and team.',
  },
  caseload_per_specialist_fte: {
    title: 'Active caseload per full-time specialist',
    text: 'Active caseload divided by the employment-specialist FTE. The IPS standard is 20 or fewer. Blank when no specialist FTE was entered.',
  },
};
