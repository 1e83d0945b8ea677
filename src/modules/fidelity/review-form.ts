/**
 * The review form: reading its boxes, filling a new one from the computed
 * figures, and checking what was sent. Each item has four fields, named
 * score-CODE, note-CODE, evidence-CODE and override-CODE.
 */
import { type DateFieldError, type DateParts, isoDate, parseDateInput, readDateParts } from '../../platform/http/date-input.ts';
import { formString } from '../../platform/http/forms.ts';
import type { ComputedFigure } from './computed.ts';
import { FIDELITY_ITEMS, type FidelityBand, fidelityBand, fidelityTotal } from './items.ts';

export const MAX_TEXT = 2000;
const MAX_REVIEWERS = 500;
const MAX_SERVICE_NAME = 200;

export interface ItemFormValues {
  score: string;
  note: string;
  evidence: string;
  override: string;
}

export interface ReviewFormValues {
  reviewedOn: DateParts;
  reviewers: string;
  serviceName: string;
  teamId: string;
  note: string;
  items: Record<string, ItemFormValues>;
}

export function readReviewForm(body: unknown): ReviewFormValues {
  const text = (name: string) => formString(body, name).slice(0, MAX_TEXT + 1);
  return {
    reviewedOn: readDateParts(body, 'reviewedOn'),
    reviewers: formString(body, 'reviewers').slice(0, MAX_REVIEWERS + 1),
    serviceName: formString(body, 'serviceName').slice(0, MAX_SERVICE_NAME + 1),
    teamId: formString(body, 'teamId').slice(0, 40),
    note: text('note'),
    items: Object.fromEntries(
      FIDELITY_ITEMS.map((item) => [
        item.code,
        { score: formString(body, `score-${item.code}`).slice(0, 2), note: text(`note-${item.code}`), evidence: text(`evidence-${item.code}`), override: text(`override-${item.code}`) },
      ]),
    ),
  };
}

/** A new review: today's date, the organisation's name, and each computed item's score chosen for the reviewer to confirm. */
export function blankReviewForm(today: string, serviceName: string, figures: Record<string, ComputedFigure>): ReviewFormValues {
  const [year, month, day] = today.split('-');
  return {
    reviewedOn: { day: String(Number(day)), month: String(Number(month)), year },
    reviewers: '',
    serviceName,
    teamId: '',
    note: '',
    items: Object.fromEntries(
      FIDELITY_ITEMS.map((item) => {
        const figure = figures[item.code];
        return [item.code, { score: figure?.value ? String(figure.score) : '', note: '', evidence: '', override: '' }];
      }),
    ),
  };
}

/** The review date, if it is a real date not after today. */
export function reviewDateFrom(values: ReviewFormValues, today: string, errors: DateFieldError[]): string | undefined {
  const before = errors.length;
  const date = parseDateInput(values.reviewedOn, 'Date of the review', 'reviewedOn', errors);
  if (!date) {
    if (errors.length === before) errors.push({ field: 'reviewedOn-day', text: 'Enter the date of the review', parts: ['day', 'month', 'year'] });
    return undefined;
  }
  const iso = isoDate(date);
  if (iso > today) {
    errors.push({ field: 'reviewedOn-day', text: 'Date of the review must be today or in the past', parts: ['day', 'month', 'year'] });
    return undefined;
  }
  return iso;
}

export interface ReviewItemInput {
  code: string;
  score: number;
  note: string | null;
  evidence: string | null;
  computedValue: string | null;
  computedScore: number | null;
  overrideReason: string | null;
}

export interface ReviewInput {
  reviewedOn: string;
  reviewers: string;
  serviceName: string;
  teamId: string | null;
  note: string | null;
  total: number;
  band: FidelityBand;
  items: ReviewItemInput[];
}

/**
 * Checks everything but the date (see reviewDateFrom), against the figures
 * computed for the review date: a score other than the computed one needs a
 * reason. Without figures (the date was wrong) overrides are not checked yet.
 */
export function checkReview(
  values: ReviewFormValues,
  reviewedOn: string | undefined,
  context: { teamIds: readonly string[]; figures: Record<string, ComputedFigure> | undefined },
  errors: DateFieldError[],
): ReviewInput | undefined {
  if (!values.reviewers) errors.push({ field: 'reviewers', text: 'Enter who carried out the review' });
  else if (values.reviewers.length > MAX_REVIEWERS) errors.push({ field: 'reviewers', text: `Reviewers must be ${MAX_REVIEWERS} characters or fewer` });
  if (!values.serviceName) errors.push({ field: 'serviceName', text: 'Enter the name of the service reviewed' });
  else if (values.serviceName.length > MAX_SERVICE_NAME) errors.push({ field: 'serviceName', text: `Service name must be ${MAX_SERVICE_NAME} characters or fewer` });
  if (values.teamId && !context.teamIds.includes(values.teamId)) errors.push({ field: 'teamId', text: 'Choose a team from the list' });
  if (values.note.length > MAX_TEXT) errors.push({ field: 'note', text: `Note must be ${MAX_TEXT} characters or fewer` });
  const items: ReviewItemInput[] = [];
  for (const item of FIDELITY_ITEMS) {
    const entered = values.items[item.code];
    const label = `item ${item.number}, ${item.title.charAt(0).toLowerCase()}${item.title.slice(1)}`;
    const score = /^[1-5]$/.test(entered.score) ? Number(entered.score) : undefined;
    if (!score) errors.push({ field: `score-${item.code}`, text: `Choose a score from 1 to 5 for ${label}` });
    for (const [key, name] of [['note', 'Note'], ['evidence', 'Evidence'], ['override', 'Reason for a different score']] as const) {
      if (entered[key].length > MAX_TEXT) errors.push({ field: `${key}-${item.code}`, text: `${name} for ${label} must be ${MAX_TEXT} characters or fewer` });
    }
    const figure = context.figures?.[item.code];
    const computed = figure?.value ? figure : undefined;
    if (score && computed && score !== computed.score && !entered.override) {
      errors.push({ field: `override-${item.code}`, text: `Give a reason for scoring ${label} ${score} when the records imply ${computed.score}` });
    }
    if (score) {
      items.push({
        code: item.code,
        score,
        note: entered.note || null,
        evidence: entered.evidence || null,
        computedValue: computed ? `${computed.value}\n${computed.evidence}` : null,
        computedScore: computed ? computed.score : null,
        overrideReason: computed && score !== computed.score ? entered.override : null,
      });
    }
  }
  if (errors.length > 0 || !reviewedOn || items.length !== FIDELITY_ITEMS.length) return undefined;
  const total = fidelityTotal(items.map((item) => item.score));
  return {
    reviewedOn,
    reviewers: values.reviewers,
    serviceName: values.serviceName,
    teamId: values.teamId || null,
    note: values.note || null,
    total,
    band: fidelityBand(total),
    items,
  };
}
