/**
 * The "better off in work" calculator: pure functions over one tax year's
 * rates (a benefit_rate row). Amounts are pounds as plain numbers; only the
 * pages round them, to pence, for display.
 *
 * Simplification, stated on the result page: earnings are treated as gross.
 * Universal Credit really tapers net earnings (after tax, National Insurance
 * and half of pension contributions), so for most offers the real reduction
 * is a little smaller and the person a little better off than shown.
 */
import { pounds } from '../../platform/calendar.ts';
import type { FieldError } from '../../platform/http/errors.ts';

export interface BenefitRates {
  taxYear: string;
  startsOn: string;
  endsOn: string;
  esaPermittedWorkWeeklyLimit: number;
  esaPermittedWorkMaxHours: number;
  ucWorkAllowanceWithHousing: number;
  ucWorkAllowanceWithoutHousing: number;
  ucTaperRate: number;
  source: string;
}

export interface CalculatorInput {
  hoursPerWeek: number;
  hourlyPay: number;
  onEsa: boolean;
  onUniversalCredit: boolean;
  ucIncludesHousingCosts: boolean;
  /** The current monthly Universal Credit award, when known. */
  ucMonthlyAward: number | null;
  /** The date work would start: picks the tax year whose rates apply. */
  startsOn: string;
}

export interface EsaResult {
  allowed: boolean;
  hoursUnderLimit: boolean;
  earningsWithinLimit: boolean;
  /** Which conditions fail, in words; empty when allowed. */
  failures: string[];
}

export interface UniversalCreditResult {
  workAllowance: number;
  includesHousingCosts: boolean;
  earningsAboveAllowance: number;
  reduction: number;
  awardOutOfWork: number | null;
  awardInWork: number | null;
  incomeInWork: number | null;
  incomeOutOfWork: number | null;
  betterOffBy: number | null;
}

export interface CalculationResult {
  input: CalculatorInput;
  rates: BenefitRates;
  weeklyEarnings: number;
  monthlyEarnings: number;
  esa: EsaResult | null;
  universalCredit: UniversalCreditResult | null;
}

export const MAX_HOURS_PER_WEEK = 100;
export const MAX_HOURLY_PAY = 1000;
export const MAX_MONTHLY_AWARD = 10_000;

/** UK tax years run from 6 April to 5 April; '2025-06-01' is in '2025-26'. */
export function taxYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const first = date.slice(5) >= '04-06' ? year : year - 1;
  return `${first}-${String((first + 1) % 100).padStart(2, '0')}`;
}

/** Weekly pay for the hours and hourly rate. */
export function weeklyEarnings(hoursPerWeek: number, hourlyPay: number): number {
  return hoursPerWeek * hourlyPay;
}

/** Universal Credit is assessed monthly: a week's pay × 52 ÷ 12. */
export function monthlyFromWeekly(weekly: number): number {
  return (weekly * 52) / 12;
}

/** ESA permitted work: under the maximum hours AND earning no more than the weekly limit. */
export function esaPermittedWork(hoursPerWeek: number, weekly: number, rates: BenefitRates): EsaResult {
  const hoursUnderLimit = hoursPerWeek < rates.esaPermittedWorkMaxHours;
  const earningsWithinLimit = weekly <= rates.esaPermittedWorkWeeklyLimit;
  const failures: string[] = [];
  if (!hoursUnderLimit) failures.push(`${hoursPerWeek} hours a week is not under the limit of ${rates.esaPermittedWorkMaxHours} hours`);
  if (!earningsWithinLimit) {
    failures.push(`weekly earnings of ${pounds(weekly)} are over the permitted work limit of ${pounds(rates.esaPermittedWorkWeeklyLimit)}`);
  }
  return { allowed: hoursUnderLimit && earningsWithinLimit, hoursUnderLimit, earningsWithinLimit, failures };
}

/** The Universal Credit taper: the award falls by the taper rate for each pound earned above the work allowance. */
export function universalCredit(monthly: number, includesHousingCosts: boolean, award: number | null, rates: BenefitRates): UniversalCreditResult {
  const workAllowance = includesHousingCosts ? rates.ucWorkAllowanceWithHousing : rates.ucWorkAllowanceWithoutHousing;
  const earningsAboveAllowance = Math.max(0, monthly - workAllowance);
  const reduction = earningsAboveAllowance * rates.ucTaperRate;
  if (award === null) {
    return { workAllowance, includesHousingCosts, earningsAboveAllowance, reduction, awardOutOfWork: null, awardInWork: null, incomeInWork: null, incomeOutOfWork: null, betterOffBy: null };
  }
  const awardInWork = Math.max(0, award - reduction);
  const incomeInWork = monthly + awardInWork;
  return {
    workAllowance,
    includesHousingCosts,
    earningsAboveAllowance,
    reduction,
    awardOutOfWork: award,
    awardInWork,
    incomeInWork,
    incomeOutOfWork: award,
    betterOffBy: incomeInWork - award,
  };
}

/** The whole calculation for one offer, with the rates it used. The caller checked the input and picked the rates for input.startsOn. */
export function calculate(input: CalculatorInput, rates: BenefitRates): CalculationResult {
  const weekly = weeklyEarnings(input.hoursPerWeek, input.hourlyPay);
  const monthly = monthlyFromWeekly(weekly);
  return {
    input,
    rates,
    weeklyEarnings: weekly,
    monthlyEarnings: monthly,
    esa: input.onEsa ? esaPermittedWork(input.hoursPerWeek, weekly, rates) : null,
    universalCredit: input.onUniversalCredit ? universalCredit(monthly, input.ucIncludesHousingCosts, input.ucMonthlyAward, rates) : null,
  };
}

export { pounds };

/** One line for a saved session: the offer and what it means. */
export function summarise(result: CalculationResult): string {
  const { input } = result;
  const parts = [`${input.hoursPerWeek} hours a week at ${pounds(input.hourlyPay)} an hour (${pounds(result.weeklyEarnings)} a week), ${result.rates.taxYear} rates`];
  if (result.esa) parts.push(result.esa.allowed ? 'ESA permitted work: allowed' : 'ESA permitted work: not allowed');
  const uc = result.universalCredit;
  if (uc) {
    parts.push(
      uc.betterOffBy === null
        ? `Universal Credit reduced by ${pounds(uc.reduction)} a month`
        : `better off by ${pounds(uc.betterOffBy)} a month on Universal Credit`,
    );
  }
  return parts.join('; ');
}

/** The calculator's boxes as typed, from a form or the API. */
export interface CalculatorFields {
  hoursPerWeek: string;
  hourlyPay: string;
  onEsa: boolean;
  onUniversalCredit: boolean;
  ucIncludesHousingCosts: boolean;
  ucMonthlyAward: string;
  /** YYYY-MM-DD, or undefined when the date could not be read (its error is already in dateErrors). */
  startsOn: string | undefined;
}

const MONEY = /^£?\s*\d{1,7}(\.\d{1,2})?$/;

/** "£1,058.2" or "12.21" as pounds; NaN for anything else, including a minus sign. */
function readPounds(text: string): number {
  const plain = text.replace(/,/g, '');
  return MONEY.test(plain) ? Number(plain.replace(/^£\s*/, '')) : Number.NaN;
}
const HOURS = /^\d{1,3}(\.\d{1,2})?$/;

/** Checks the boxes; `fields` names where each error goes (the page's ids or the API's properties). */
export function checkCalculatorInput(
  fields: CalculatorFields,
  names: { hours: string; pay: string; benefits: string; award: string; startsOn: string },
  errors: FieldError[],
): CalculatorInput | undefined {
  const before = errors.length;
  const hours = HOURS.test(fields.hoursPerWeek) ? Number(fields.hoursPerWeek) : Number.NaN;
  if (!fields.hoursPerWeek) errors.push({ field: names.hours, text: 'Enter the hours a week' });
  else if (!(hours > 0 && hours <= MAX_HOURS_PER_WEEK)) {
    errors.push({ field: names.hours, text: `Hours a week must be a number more than 0 and no more than ${MAX_HOURS_PER_WEEK}` });
  }
  const pay = readPounds(fields.hourlyPay);
  if (!fields.hourlyPay) errors.push({ field: names.pay, text: 'Enter the hourly pay' });
  else if (!(pay >= 0 && pay <= MAX_HOURLY_PAY)) {
    errors.push({ field: names.pay, text: `Hourly pay must be an amount in pounds from £0 to £${MAX_HOURLY_PAY}, like 12.21` });
  }
  if (!fields.onEsa && !fields.onUniversalCredit) errors.push({ field: names.benefits, text: 'Select ESA, Universal Credit or both' });
  const award = fields.ucMonthlyAward ? readPounds(fields.ucMonthlyAward) : null;
  if (award !== null && !(award >= 0 && award <= MAX_MONTHLY_AWARD)) {
    errors.push({ field: names.award, text: `The monthly award must be an amount in pounds from £0 to £${MAX_MONTHLY_AWARD.toLocaleString('en-GB')}` });
  }
  if (fields.startsOn === undefined) {
    if (!errors.some((error) => error.field.startsWith(names.startsOn))) errors.push({ field: names.startsOn, text: 'Enter the date work would start' });
  }
  if (errors.length > before || fields.startsOn === undefined) return undefined;
  return {
    hoursPerWeek: hours,
    hourlyPay: pay,
    onEsa: fields.onEsa,
    onUniversalCredit: fields.onUniversalCredit,
    ucIncludesHousingCosts: fields.onUniversalCredit && fields.ucIncludesHousingCosts,
    ucMonthlyAward: fields.onUniversalCredit ? award : null,
    startsOn: fields.startsOn,
  };
}

/** The message when no rates row covers the start date: names the tax year so an administrator knows what to add. */
export function missingRatesMessage(startsOn: string): string {
  const year = taxYearOf(startsOn);
  const first = Number(year.slice(0, 4));
  return `No benefit rates are recorded for the ${year} tax year (6 April ${first} to 5 April ${first + 1}). Choose a start date in a tax year with rates, or ask an administrator to add them`;
}
