/**
 * The score a computed figure implies, for the items Throughgate works out
 * from the records. The cut-offs are the published IPS-25 anchors where the
 * scale gives numbers; where it does not, or leaves a gap, docs/fidelity.md
 * says what we chose and why.
 */

export type Score = 1 | 2 | 3 | 4 | 5;

/** The lowest value that earns 5, 4, 3 and 2, for a figure where more is better; anything lower scores 1. */
function atLeast(value: number, cutOffs: readonly [number, number, number, number]): Score {
  const [five, four, three, two] = cutOffs;
  if (value >= five) return 5;
  if (value >= four) return 4;
  if (value >= three) return 3;
  if (value >= two) return 2;
  return 1;
}

/** The highest value that earns 5, 4, 3 and 2, for a figure where less is better; anything higher scores 1. */
function atMost(value: number, cutOffs: readonly [number, number, number, number]): Score {
  const [five, four, three, two] = cutOffs;
  if (value <= five) return 5;
  if (value <= four) return 4;
  if (value <= three) return 3;
  if (value <= two) return 2;
  return 1;
}

/** Item 1: open episodes per full-time specialist. 20 or fewer 5; 21–40 4; 41–60 3; 61–80 2; more 1. */
export function caseloadScore(peoplePerSpecialist: number): Score {
  return atMost(peoplePerSpecialist, [20, 40, 60, 80]);
}

/** Item 15: median days from referral to the first face-to-face employer contact. 30 or fewer 5; 31–60 4; 61–150 3; 151–270 2; more 1. */
export function rapidJobSearchScore(medianDays: number): Score {
  return atMost(medianDays, [30, 60, 150, 270]);
}

/**
 * Item 17: face-to-face employer contacts per specialist per week. 6 or more 5;
 * 5 4; 4 3; 2 2; fewer than 2 1. The scale names no score for 3 a week or for
 * fractions: we give each score from its figure up to the next (3 a week is 2).
 */
export function employerContactScore(perWeek: number): Score {
  return atLeast(perWeek, [6, 5, 4, 2]);
}

/** Items 19 and 20: the share (0..1) of jobs of a different type, or with a different employer. 85% 5; 70% 4; 60% 3; 50% 2. */
export function diversityScore(share: number): Score {
  return atLeast(share, [0.85, 0.7, 0.6, 0.5]);
}

/** Item 21: the share of job starts that were competitive. 95% 5; 85% 4; 75% 3; 65% 2; less 1. */
export function competitiveJobsScore(share: number): Score {
  return atLeast(share, [0.95, 0.85, 0.75, 0.65]);
}

/**
 * Item 22: the share of job starts with support within 3 days. The scale
 * speaks of "most" and "about half" of working people: we read "most" as 75%
 * and the top score as 90%. 90% 5; 75% 4; 50% 3; 25% 2; less 1.
 */
export function followAlongScore(share: number): Score {
  return atLeast(share, [0.9, 0.75, 0.5, 0.25]);
}

/** Item 24: the share of face-to-face contacts held in the community. 65% 5; 50% 4; 40% 3; 30% 2; less 1. */
export function communityScore(share: number): Score {
  return atLeast(share, [0.65, 0.5, 0.4, 0.3]);
}
