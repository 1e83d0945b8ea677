/**
 * What the targets table means, shown beside it on the report. docs/metrics.md
 * carries the same words.
 */
export const TARGET_DEFINITIONS: Record<string, { title: string; text: string }> = {
  targets: {
    title: 'Actual against target',
    text: 'Each target of the commission’s service-level agreement names a measure, a figure and a period. The actual is that measure’s period activity from the target’s start date to its end date, both included, counted in the records of the commission’s providers, whatever the referral date.',
  },
  target_share: {
    title: 'Percentage of target',
    text: 'The actual divided by the target. It can be more than 100%; it is blank when the target is 0.',
  },
};
