/** The target form: reading it and checking it. Dates are GOV.UK date inputs. */
import { type DateFieldError, type DateParts, readDateParts, requiredPeriodDate } from '../../platform/http/date-input.ts';
import { formString } from '../../platform/http/forms.ts';
import { daysIn } from '../costs/figures.ts';
import { PERIOD_MEASURES } from '../outcomes/figures/period-activity.ts';

export interface TargetFormValues {
  commissionId: string;
  measure: string;
  target: string;
  startsOn: DateParts;
  endsOn: DateParts;
  note: string;
}

export interface TargetValues {
  commission_id: string;
  measure_code: string;
  target: number;
  starts_on: string;
  ends_on: string;
  note: string | null;
}

const NOTE_MAX = 2000;
/** Five years and a leap day: a target period longer than a contract is a typing mistake. */
const MAX_PERIOD_DAYS = 5 * 365 + 2;
const TARGET_MAX = 999_999_999;

export function readTargetForm(body: unknown): TargetFormValues {
  return {
    commissionId: formString(body, 'commissionId').slice(0, 60),
    measure: formString(body, 'measure').slice(0, 60),
    target: formString(body, 'target').slice(0, 20),
    startsOn: readDateParts(body, 'startsOn'),
    endsOn: readDateParts(body, 'endsOn'),
    note: formString(body, 'note'),
  };
}

/** Checks everything but whether the commission is the caller's (the service does that). */
export function checkTargetForm(values: TargetFormValues): { values?: TargetValues; errors: DateFieldError[] } {
  const errors: DateFieldError[] = [];
  if (!values.commissionId) errors.push({ field: 'commissionId', text: 'Select the commission' });
  if (!(PERIOD_MEASURES as readonly string[]).includes(values.measure)) errors.push({ field: 'measure', text: 'Select a measure from the list' });
  const cleaned = values.target.replace(/[,\s]/g, '');
  let target: number | undefined;
  if (cleaned === '') errors.push({ field: 'target', text: 'Enter the target' });
  else if (/^-/.test(cleaned)) errors.push({ field: 'target', text: 'Target must be 0 or more' });
  else if (!/^\d{1,9}$/.test(cleaned) || Number(cleaned) > TARGET_MAX) errors.push({ field: 'target', text: 'Target must be a whole number, like 40' });
  else target = Number(cleaned);
  const startsOn = requiredPeriodDate(values.startsOn, 'Start date', 'startsOn', errors);
  const endsOn = requiredPeriodDate(values.endsOn, 'End date', 'endsOn', errors);
  if (startsOn && endsOn && endsOn < startsOn) {
    errors.push({ field: 'endsOn-day', text: 'End date must be the same as or after the start date', parts: ['day', 'month', 'year'] });
  } else if (startsOn && endsOn && daysIn({ from: startsOn, to: endsOn }) > MAX_PERIOD_DAYS) {
    errors.push({ field: 'endsOn-day', text: 'A target’s period must be 5 years or shorter', parts: ['day', 'month', 'year'] });
  }
  if (values.note.length > NOTE_MAX) errors.push({ field: 'note', text: `Note must be ${NOTE_MAX} characters or fewer` });
  if (errors.length > 0 || target === undefined || !startsOn || !endsOn) return { errors };
  return {
    errors,
    values: { commission_id: values.commissionId, measure_code: values.measure, target, starts_on: startsOn, ends_on: endsOn, note: values.note || null },
  };
}
