/**
 * The benefits pages' forms: reading the boxes into inputs the service
 * checks. Dates are GOV.UK date inputs; what cannot be read comes back as
 * errors on the boxes concerned, with the service's own checks added after.
 */
import { type DateFieldError, type DateParts, dateParts, optionalDate, readDateParts } from '../../platform/http/date-input.ts';
import { formString } from '../../platform/http/forms.ts';
import { londonToday } from '../../platform/london-time.ts';
import type { CalculatorFields } from './calculator.ts';

function multi(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((item): item is string => typeof item === 'string');
}

export interface ClaimFormValues {
  benefit: string;
  startedOn: DateParts;
  housing: string;
  note: string;
}

export interface ClaimInput {
  benefitCode: string;
  startedOn: string | null | undefined;
  includesHousingCosts: boolean;
  note: string;
  errors: DateFieldError[];
}

export function readClaimForm(body: unknown): ClaimFormValues {
  return { benefit: formString(body, 'benefit'), startedOn: readDateParts(body, 'startedOn'), housing: formString(body, 'housing'), note: formString(body, 'note') };
}

export function blankClaimForm(): ClaimFormValues {
  return { benefit: '', startedOn: { day: '', month: '', year: '' }, housing: '', note: '' };
}

export function claimInputFrom(values: ClaimFormValues): ClaimInput {
  const errors: DateFieldError[] = [];
  const startedOn = optionalDate(values.startedOn, 'The date the claim started', 'startedOn', errors);
  return { benefitCode: values.benefit, startedOn, includesHousingCosts: values.housing === 'yes', note: values.note, errors };
}

export interface EndClaimFormValues {
  endedOn: DateParts;
  confirm: string;
}

export interface EndClaimInput {
  endedOn: string | null | undefined;
  confirmed: boolean;
  errors: DateFieldError[];
}

export function readEndClaimForm(body: unknown): EndClaimFormValues {
  return { endedOn: readDateParts(body, 'endedOn'), confirm: formString(body, 'confirm') };
}

export function blankEndClaimForm(): EndClaimFormValues {
  return { endedOn: dateParts(londonToday()), confirm: '' };
}

export function endClaimInputFrom(values: EndClaimFormValues): EndClaimInput {
  const errors: DateFieldError[] = [];
  const endedOn = optionalDate(values.endedOn, 'The date the claim ended', 'endedOn', errors);
  return { endedOn, confirmed: values.confirm === 'yes', errors };
}

export interface SessionFormValues {
  heldOn: DateParts;
  adviser: string;
  note: string;
}

export interface SessionInput {
  heldOn: string | null | undefined;
  adviser: string;
  note: string;
  errors: DateFieldError[];
}

export function readSessionForm(body: unknown): SessionFormValues {
  return { heldOn: readDateParts(body, 'heldOn'), adviser: formString(body, 'adviser'), note: formString(body, 'note') };
}

export function blankSessionForm(adviser: string): SessionFormValues {
  return { heldOn: dateParts(londonToday()), adviser, note: '' };
}

export function sessionInputFrom(values: SessionFormValues): SessionInput {
  const errors: DateFieldError[] = [];
  const heldOn = optionalDate(values.heldOn, 'The date of the session', 'heldOn', errors);
  return { heldOn, adviser: values.adviser, note: values.note, errors };
}

export interface CalculatorFormValues {
  hours: string;
  pay: string;
  benefits: string[];
  housing: string;
  award: string;
  startsOn: DateParts;
}

/** The page's names for each calculator field, where checkCalculatorInput puts its errors. */
export const CALCULATOR_FIELD_NAMES = { hours: 'hours', pay: 'pay', benefits: 'benefits', award: 'award', startsOn: 'startsOn-day' };

export function readCalculatorForm(body: unknown): CalculatorFormValues {
  return {
    hours: formString(body, 'hours').slice(0, 20),
    pay: formString(body, 'pay').slice(0, 20),
    benefits: multi(body, 'benefits').filter((code) => code === 'esa' || code === 'uc'),
    housing: formString(body, 'housing'),
    award: formString(body, 'award').slice(0, 20),
    startsOn: readDateParts(body, 'startsOn'),
  };
}

export function blankCalculatorForm(): CalculatorFormValues {
  return { hours: '', pay: '', benefits: [], housing: '', award: '', startsOn: dateParts(londonToday()) };
}

export function calculatorFieldsFrom(values: CalculatorFormValues, errors: DateFieldError[]): CalculatorFields {
  const startsOn = optionalDate(values.startsOn, 'The date work would start', 'startsOn', errors);
  return {
    hoursPerWeek: values.hours,
    hourlyPay: values.pay,
    onEsa: values.benefits.includes('esa'),
    onUniversalCredit: values.benefits.includes('uc'),
    ucIncludesHousingCosts: values.housing === 'yes',
    ucMonthlyAward: values.award,
    startsOn: startsOn ?? undefined,
  };
}

/** The calculator's inputs as hidden fields, so the save form recomputes exactly what was shown. */
export function calculatorHiddenFields(values: CalculatorFormValues): Array<{ name: string; value: string }> {
  return [
    { name: 'hours', value: values.hours },
    { name: 'pay', value: values.pay },
    ...values.benefits.map((value) => ({ name: 'benefits', value })),
    { name: 'housing', value: values.housing },
    { name: 'award', value: values.award },
    { name: 'startsOn-day', value: values.startsOn.day },
    { name: 'startsOn-month', value: values.startsOn.month },
    { name: 'startsOn-year', value: values.startsOn.year },
  ];
}
