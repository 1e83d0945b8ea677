import {
  adultMinimumWage,
  ageAtReferral,
  DIAGNOSES,
  ETHNICITIES,
  FAMILY_NAMES,
  GIVEN_NAMES,
  type IdSource,
  isoDay,
  JOB_TITLES,
  OFFENCES,
  PRISON_SOURCES,
  PRISONS,
  Random,
  REFERRAL_SOURCES,
  SEXES,
  SOC_GROUPS,
  STREAMS,
  syntheticCrn,
  syntheticPhone,
  syntheticPrisonNumber,
} from './generator.ts';

/**
 * One synthetic person's records: their episodes and everything recorded in
 * them, from one random stream per person. Pure: rows go into the batch with
 * database column names, and the dates are those the engagement derivation
 * will read (the stage dates themselves are left to recomputeOrganisation).
 *
 * The probabilities aim at the funnel of IPS-in-prison evaluations: of the
 * people referred about 70% met in custody, 55% seen in the community, 40%
 * engaged (two community meetings) and 15 to 20% into work.
 */

export type Value = string | number | boolean | null | readonly string[];
export type Row = Record<string, Value>;

export const SEED_TABLES = [
  'person',
  'episode',
  'referral',
  'allocation',
  'custody_spell',
  'prison_stay',
  'release_date',
  'release',
  'contact',
  'job_search_activity',
  'employer_contact',
  'employer_contact_participant',
  'job',
  'custody_event',
] as const;
export type SeedTable = (typeof SEED_TABLES)[number];
export type Batch = Record<SeedTable, Row[]>;

export function emptyBatch(): Batch {
  return Object.fromEntries(SEED_TABLES.map((table) => [table, []])) as unknown as Batch;
}

export interface Practitioner {
  id: string;
  teamId: string;
  kind: 'employment_specialist' | 'caseworker';
}

export interface JourneyContext {
  seed: number;
  startDay: number;
  todayDay: number;
  practitioners: readonly Practitioner[];
  specialists: readonly Practitioner[];
  employerIds: readonly string[];
  ids: IdSource;
}

const EXIT_IN_WORK = [['goals_met', 70], ['disengaged', 10], ['moved_out_of_area', 10], ['other', 10]] as const;
const EXIT_NOT_IN_WORK = [
  ['disengaged', 45], ['moved_out_of_area', 15], ['health', 12], ['goals_met', 10], ['transferred', 8], ['died', 1], ['other', 5], [null, 4],
] as const;
const RELEASE_TYPES = [['conditional_release', 62], ['home_detention_curfew', 15], ['parole', 5], ['end_of_sentence', 12], ['other', 6]] as const;
const JOB_END_REASONS = [['resigned_better_job', 20], ['resigned', 20], ['dismissed', 12], ['contract_ended', 25], ['redundancy', 5], ['health', 8], ['recalled_or_custody', 5], ['other', 5]] as const;

function at(day: number, random: Random): string {
  // 08:00 to 16:59 UTC is the same London date in summer and winter.
  return `${isoDay(day)}T${String(random.int(8, 16)).padStart(2, '0')}:${String(random.int(0, 11) * 5).padStart(2, '0')}:00Z`;
}

export function generatePerson(context: JourneyContext, batch: Batch, personNumber: number): void {
  const random = Random.stream(context.seed, STREAMS.people, personNumber);
  const personId = context.ids.next();
  const firstReferral = context.startDay + random.int(0, context.todayDay - context.startDay);
  const age = ageAtReferral(random);
  const birthDay = firstReferral - age * 365 - random.int(0, 364);
  batch.person.push({
    id: personId,
    given_name: random.pick(GIVEN_NAMES),
    family_name: `${random.pick(FAMILY_NAMES)}-Synthetic${personNumber}`,
    date_of_birth: random.chance(0.97) ? isoDay(birthDay) : null,
    sex_code: random.weighted(SEXES),
    ethnicity_code: random.weighted(ETHNICITIES),
    offence_category_code: random.weighted(OFFENCES),
    primary_diagnosis_code: random.weighted(DIAGNOSES),
    prison_number: random.chance(0.9) ? syntheticPrisonNumber(personNumber) : null,
    crn: random.chance(0.7) ? syntheticCrn(personNumber) : null,
    phone: random.chance(0.6) ? syntheticPhone(personNumber) : null,
    right_to_work_code: random.chance(0.9) ? 'yes' : 'to_check',
    priority_offender: random.chance(0.08),
  });
  const exitedOn = generateEpisode(context, batch, random, personId, firstReferral, `${personNumber}-1`);
  // About one in eight who leave support come back later: a new referral opens a new episode.
  if (exitedOn !== null && random.chance(0.12)) {
    const returnDay = exitedOn + random.int(60, 500);
    if (returnDay <= context.todayDay) generateEpisode(context, batch, random, personId, returnDay, `${personNumber}-2`);
  }
}

/** One episode from referral to exit. Returns the exit day, or null while it is still open. */
function generateEpisode(context: JourneyContext, batch: Batch, random: Random, personId: string, referredDay: number, referralKey: string): number | null {
  const { todayDay, ids } = context;
  const episodeId = ids.next();
  const keyWorker = random.chance(0.7) ? random.pick(context.specialists) : random.pick(context.practitioners);
  const source = random.weighted(REFERRAL_SOURCES);
  const inCustody = (source !== null && PRISON_SOURCES.has(source)) || random.chance(0.68);
  const episode: Row = { id: episodeId, person_id: personId, team_id: keyWorker.teamId, key_worker_id: keyWorker.id, referred_on: isoDay(referredDay) };
  batch.episode.push(episode);
  batch.allocation.push({ id: ids.next(), episode_id: episodeId, worker_id: keyWorker.id, allocated_at: `${isoDay(referredDay)}T09:00:00Z` });

  const outcome = random.float();
  const status = outcome < 0.03 ? 'declined' : outcome < 0.07 ? 'withdrawn' : referredDay > todayDay - 21 && random.chance(0.6) ? 'pending' : 'accepted';
  batch.referral.push({
    episode_id: episodeId,
    status,
    source_code: source,
    received_on: isoDay(referredDay),
    person_knows: random.chance(0.8),
    person_agrees: status !== 'declined',
    decision_reason_code: status === 'declined' ? 'does_not_want_support' : status === 'withdrawn' ? 'could_not_contact' : null,
    decided_on: status === 'pending' ? null : isoDay(Math.min(todayDay, referredDay + random.int(0, 14))),
    external_source: 'synthetic',
    external_id: referralKey,
  });

  // Custody: in prison at referral, or already out (a community referral, often with the release before it recorded).
  const prison = random.pick(PRISONS);
  let releasedDay: number | null = null;
  if (inCustody) {
    const arrivedDay = referredDay - random.int(20, 600);
    const remand = random.chance(0.12);
    const expectedRelease = referredDay + Math.floor(7 + 263 * random.float() ** 1.5);
    batch.custody_spell.push({
      id: ids.next(),
      episode_id: episodeId,
      status_code: remand ? 'remand' : 'sentenced',
      sentence_length_days: remand ? null : random.chance(0.45) ? random.int(30, 364) : random.int(365, 3650),
      started_on: isoDay(arrivedDay),
    });
    batch.release_date.push({ episode_id: episodeId, kind_code: 'conditional_release', on_date: isoDay(expectedRelease) });
    if (!remand && random.chance(0.3)) {
      batch.release_date.push({ episode_id: episodeId, kind_code: 'hdc_eligibility', on_date: isoDay(expectedRelease - random.int(14, 120)) });
    }
    const candidate = Math.max(referredDay + 1, expectedRelease + random.int(-20, 10));
    if (candidate <= todayDay && random.chance(0.95)) releasedDay = candidate;
    let stayStart = arrivedDay;
    if (random.chance(0.15)) {
      // A transfer: the first stay closes when the second opens.
      const transferDay = arrivedDay + random.int(1, Math.max(1, referredDay - arrivedDay));
      batch.prison_stay.push({ id: ids.next(), episode_id: episodeId, prison_code: random.pick(PRISONS), arrived_on: isoDay(arrivedDay), left_on: isoDay(transferDay) });
      stayStart = transferDay;
    }
    batch.prison_stay.push({
      id: ids.next(),
      episode_id: episodeId,
      prison_code: prison,
      arrived_on: isoDay(stayStart),
      left_on: releasedDay === null ? null : isoDay(Math.max(stayStart, releasedDay)),
    });
    if (releasedDay !== null) {
      batch.release.push({
        episode_id: episodeId,
        released_on: isoDay(releasedDay),
        release_type_code: remand ? 'released_from_remand' : random.weighted(RELEASE_TYPES),
        without_notice: random.chance(0.12),
      });
    }
  } else if (random.chance(0.7)) {
    releasedDay = referredDay - random.int(7, 200);
    batch.prison_stay.push({ id: ids.next(), episode_id: episodeId, prison_code: prison, arrived_on: isoDay(releasedDay - random.int(30, 700)), left_on: isoDay(releasedDay) });
    batch.release.push({ episode_id: episodeId, released_on: isoDay(releasedDay), release_type_code: random.weighted(RELEASE_TYPES), without_notice: false });
  }
  if (status === 'declined' || status === 'withdrawn') return null;

  const contact = (day: number, setting: string, type = 'face_to_face', withCode = 'person', attended = true) =>
    batch.contact.push({
      id: ids.next(),
      episode_id: episodeId,
      occurred_at: at(day, random),
      type_code: type,
      setting_code: setting,
      with_code: withCode,
      attended,
      duration_minutes: random.int(2, 12) * 5,
      recorded_by: keyWorker.id,
    });

  // A return to custody (recall, remand, new sentence) ends support in the community.
  let supportEnds = todayDay + 1;
  let returnReason: string | null = null;
  if (releasedDay !== null && random.chance(0.2)) {
    const eventDay = Math.max(releasedDay, referredDay) + random.int(20, 400);
    if (eventDay <= todayDay) {
      const roll = random.float();
      const [kind, reason] =
        roll < 0.45 ? ['recall', 'breach_of_licence'] : roll < 0.7 ? ['recall', 'alleged_new_offence'] : roll < 0.9 ? ['remand', 'alleged_new_offence'] : ['new_sentence', 'proven_new_offence'];
      batch.custody_event.push({ id: ids.next(), episode_id: episodeId, kind_code: kind, reason_code: reason, occurred_on: isoDay(eventDay), recorded_by: keyWorker.id });
      supportEnds = eventDay;
      returnReason = kind === 'recall' ? 'recalled' : 'remanded_or_sentenced';
    }
  }
  const within = (day: number) => day < supportEnds && day <= todayDay;
  let lastActivity = referredDay;

  // Meetings in custody, before release.
  let metInCustody = false;
  if (inCustody && random.chance(0.87)) {
    const custodyEnds = releasedDay ?? todayDay + 1;
    // The first meeting comes soon after referral, and before release when release is close.
    let day = Math.max(referredDay, Math.min(referredDay + random.int(1, 14), custodyEnds - 1));
    for (let n = random.int(1, 3); n > 0 && day < custodyEnds && within(day); n -= 1) {
      contact(day, 'prison');
      metInCustody = true;
      lastActivity = day;
      day += random.int(7, 40);
    }
  }

  // Meetings in the community: the first (often at the gate) and, for most, the ones that make them engaged.
  const communityFrom = inCustody ? releasedDay : referredDay + random.int(3, 40);
  const communityMeetings: number[] = [];
  const seenChance = inCustody ? (metInCustody ? 0.76 : 0.35) : 0.82;
  if (communityFrom !== null && random.chance(seenChance)) {
    const planned = random.chance(0.75) ? random.int(2, 12) : 1;
    let day = inCustody ? communityFrom + (random.chance(0.25) ? 0 : random.int(1, 45)) : communityFrom;
    for (let n = planned; n > 0 && within(day); n -= 1) {
      contact(day, random.chance(0.8) ? 'community' : random.pick(['probation_office', 'employer', 'other']));
      communityMeetings.push(day);
      lastActivity = day;
      day += random.int(5, 28);
    }
    // What does not count towards engagement: calls, texts, talks with probation, missed appointments.
    for (let n = random.int(0, 4); n > 0; n -= 1) {
      const callDay = communityMeetings[0] + random.int(-10, 90);
      if (within(callDay) && callDay >= referredDay) contact(callDay, 'community', random.pick(['phone', 'text']));
    }
    if (random.chance(0.4)) {
      const probationDay = communityMeetings[0] + random.int(1, 60);
      if (within(probationDay)) contact(probationDay, 'community', 'phone', 'probation');
    }
    if (random.chance(0.3)) {
      const missedDay = communityMeetings[0] + random.int(1, 60);
      if (within(missedDay)) contact(missedDay, 'community', 'face_to_face', 'person', false);
    }
  }

  const seenDay = communityMeetings[0];
  const engagedDay = communityMeetings[1];
  let inWork = false;
  if (seenDay !== undefined) {
    lastActivity = Math.max(lastActivity, generateJobSearch(context, batch, random, episodeId, keyWorker.id, seenDay, within));
    const firstJobDay =
      engagedDay !== undefined && random.chance(0.5) ? engagedDay + random.int(10, 180) : engagedDay === undefined && random.chance(0.05) ? seenDay + random.int(10, 120) : null;
    if (firstJobDay !== null && within(firstJobDay)) {
      inWork = true;
      lastActivity = Math.max(lastActivity, generateJobs(context, batch, random, episodeId, keyWorker.id, firstJobDay, within));
    }
    if (engagedDay !== undefined) {
      lastActivity = Math.max(lastActivity, generateEmployerContacts(context, batch, random, episodeId, keyWorker, engagedDay, within));
    }
  }

  // Exits: at a return to custody, or after a quiet spell.
  let exitDay: number | null = null;
  let exitReason: string | null = null;
  if (returnReason !== null && random.chance(0.85)) {
    exitDay = Math.min(todayDay, supportEnds + random.int(0, 14));
    exitReason = returnReason;
  } else if (todayDay - lastActivity > 120 && random.chance(0.8)) {
    exitDay = Math.min(todayDay, lastActivity + random.int(30, 120));
    exitReason = random.weighted(inWork ? EXIT_IN_WORK : EXIT_NOT_IN_WORK);
  }
  if (exitDay !== null) {
    episode.exited_on = isoDay(exitDay);
    episode.exit_reason_code = exitReason;
  }
  return exitDay;
}

/** The job-search trail from the first community meeting. Returns the last day recorded. */
function generateJobSearch(context: JourneyContext, batch: Batch, random: Random, episodeId: string, workerId: string, seenDay: number, within: (day: number) => boolean): number {
  let last = seenDay;
  const activity = (kind: string, day: number, extra: Row = {}) => {
    if (!within(day)) return;
    last = Math.max(last, day);
    batch.job_search_activity.push({ id: context.ids.next(), episode_id: episodeId, kind, occurred_on: isoDay(day), recorded_by: workerId, ...extra });
  };
  if (random.chance(0.8)) activity('cv', seenDay + random.int(0, 30), { title: 'CV' });
  const applications = random.int(0, 6);
  for (let n = 0; n < applications; n += 1) {
    const employerId = random.pick(context.employerIds);
    activity('application', seenDay + random.int(5, 200), { employer_id: employerId, outcome_code: random.pick(['pending', 'unsuccessful', 'unsuccessful', 'successful']) });
    if (random.chance(0.4)) activity('interview', seenDay + random.int(20, 220), { employer_id: employerId, outcome_code: random.pick(['unsuccessful', 'successful', 'did_not_attend']) });
  }
  if (random.chance(0.25)) {
    const day = seenDay + random.int(10, 150);
    activity('training_course', day, { title: random.pick(['CSCS card', 'Food hygiene level 2', 'Forklift', 'First aid']), provider: 'Synthetic Training Ltd', ends_on: isoDay(day + random.int(1, 20)), completed: random.chance(0.8) });
  }
  if (random.chance(0.06)) activity('work_placement', seenDay + random.int(20, 200), { employer_id: random.pick(context.employerIds), outcome_code: 'completed' });
  if (random.chance(0.06)) activity('work_trial', seenDay + random.int(20, 200), { employer_id: random.pick(context.employerIds), outcome_code: random.pick(['successful', 'unsuccessful']) });
  return last;
}

/** One job, and sometimes the next ones. Returns the last day recorded. */
function generateJobs(context: JourneyContext, batch: Batch, random: Random, episodeId: string, workerId: string, firstDay: number, within: (day: number) => boolean): number {
  let startDay = firstDay;
  let last = firstDay;
  for (let n = 0; n < 3 && within(startDay); n += 1) {
    const group = random.weighted(SOC_GROUPS) ?? 'elementary';
    const countedDay = startDay + random.int(0, 6);
    const endDay = random.chance(0.55) ? startDay + random.int(20, 400) : null;
    const ended = endDay !== null && endDay <= context.todayDay;
    const startsOn = isoDay(startDay);
    const minimum = adultMinimumWage(startsOn);
    const openToAnyone = random.chance(0.88);
    const counted = countedDay <= context.todayDay && (!ended || countedDay <= endDay);
    batch.job.push({
      id: context.ids.next(),
      episode_id: episodeId,
      employer_id: random.pick(context.employerIds),
      title: random.pick(JOB_TITLES[group]),
      job_type_code: group,
      starts_on: startsOn,
      counted_start_on: counted ? isoDay(countedDay) : null,
      ends_on: ended ? isoDay(endDay) : null,
      hours_per_week: random.int(8, 40),
      hourly_pay: (minimum + random.int(0, 400) / 100).toFixed(2),
      permanent: random.chance(0.6),
      open_to_anyone: openToAnyone,
      competitive: openToAnyone,
      minimum_hourly_rate: minimum.toFixed(2),
      end_reason_code: ended ? random.weighted(JOB_END_REASONS) : null,
      recorded_by: workerId,
    });
    last = Math.max(last, ended ? endDay : countedDay);
    if (!ended || !random.chance(0.35)) break;
    startDay = endDay + random.int(5, 90);
  }
  return last;
}

/** The specialist's employer contacts on this person's behalf. Returns the last day recorded. */
function generateEmployerContacts(context: JourneyContext, batch: Batch, random: Random, episodeId: string, keyWorker: Practitioner, engagedDay: number, within: (day: number) => boolean): number {
  const specialist = keyWorker.kind === 'employment_specialist' ? keyWorker : random.pick(context.specialists);
  let last = engagedDay;
  for (let n = random.int(1, 4); n > 0; n -= 1) {
    const day = engagedDay + random.int(0, 120);
    if (!within(day)) continue;
    const contactId = context.ids.next();
    batch.employer_contact.push({
      id: contactId,
      employer_id: random.pick(context.employerIds),
      specialist_id: specialist.id,
      occurred_on: isoDay(day),
      method_code: random.weighted([['face_to_face', 65], ['phone', 25], ['email', 10]]),
      purpose_code: random.pick(['presenting_candidate', 'follow_up']),
    });
    batch.employer_contact_participant.push({ employer_contact_id: contactId, episode_id: episodeId });
    last = Math.max(last, day);
  }
  return last;
}
