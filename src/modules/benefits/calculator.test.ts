import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FieldError } from '../../platform/http/errors.ts';
import { type BenefitRates, type CalculatorFields, calculate, checkCalculatorInput, missingRatesMessage, pounds, summarise, taxYearOf } from './calculator.ts';

/** The 2025-26 row of benefit_rate, as migration 0006 seeds it. */
const RATES_2025_26: BenefitRates = {
  taxYear: '2025-26',
  startsOn: '2025-04-06',
  endsOn: '2026-04-05',
  esaPermittedWorkWeeklyLimit: 195.5,
  esaPermittedWorkMaxHours: 16,
  ucWorkAllowanceWithHousing: 411,
  ucWorkAllowanceWithoutHousing: 684,
  ucTaperRate: 0.55,
  source: 'DWP benefit and pension rates 2025 to 2026',
};

const pence = (amount: number | null | undefined) => (amount === null || amount === undefined ? amount : Math.round(amount * 100) / 100);

function offer(overrides: Partial<Parameters<typeof calculate>[0]> = {}) {
  return {
    hoursPerWeek: 16,
    hourlyPay: 12.21,
    onEsa: true,
    onUniversalCredit: false,
    ucIncludesHousingCosts: false,
    ucMonthlyAward: null,
    startsOn: '2025-06-02',
    ...overrides,
  };
}

describe('better-off-in-work calculator', () => {
  test('the tax year runs from 6 April to 5 April', () => {
    assert.equal(taxYearOf('2025-04-05'), '2024-25');
    assert.equal(taxYearOf('2025-04-06'), '2025-26');
    assert.equal(taxYearOf('2026-01-31'), '2025-26');
    assert.equal(taxYearOf('2099-12-31'), '2099-00');
    assert.match(missingRatesMessage('2030-05-01'), /No benefit rates are recorded for the 2030-31 tax year \(6 April 2030 to 5 April 2031\)/);
  });

  test('ESA permitted work: 16 hours is not under 16, even though the pay is within the limit', () => {
    // 16 h × £12.21 = £195.36 a week. £195.36 ≤ £195.50, so the earnings pass;
    // but permitted work must be UNDER 16 hours, and 16 is not under 16.
    const result = calculate(offer({ hoursPerWeek: 16 }), RATES_2025_26);
    assert.equal(pence(result.weeklyEarnings), 195.36);
    assert.deepEqual({ ...result.esa, failures: undefined }, { allowed: false, hoursUnderLimit: false, earningsWithinLimit: true, failures: undefined });
    assert.deepEqual(result.esa?.failures, ['16 hours a week is not under the limit of 16 hours']);
    assert.equal(result.universalCredit, null);
  });

  test('ESA permitted work: 15 hours at £12.21 is allowed', () => {
    // 15 h × £12.21 = £183.15 a week; 15 < 16 and £183.15 ≤ £195.50: allowed.
    const result = calculate(offer({ hoursPerWeek: 15 }), RATES_2025_26);
    assert.equal(pence(result.weeklyEarnings), 183.15);
    assert.equal(result.esa?.allowed, true);
    assert.deepEqual(result.esa?.failures, []);
  });

  test('ESA permitted work: 15 hours at £13.50 earns too much', () => {
    // 15 h × £13.50 = £202.50 a week; 15 < 16 passes, but £202.50 > £195.50 fails.
    const result = calculate(offer({ hoursPerWeek: 15, hourlyPay: 13.5 }), RATES_2025_26);
    assert.equal(result.esa?.allowed, false);
    assert.equal(result.esa?.hoursUnderLimit, true);
    assert.deepEqual(result.esa?.failures, ['weekly earnings of £202.50 are over the permitted work limit of £195.50']);
  });

  test('Universal Credit without housing costs: 20 hours at £12.21 with an £800 award', () => {
    // Weekly: 20 × £12.21 = £244.20. Monthly: £244.20 × 52 ÷ 12 = £12,698.40 ÷ 12 = £1,058.20.
    // Above the £684 work allowance: £1,058.20 − £684 = £374.20.
    // Reduction: £374.20 × 0.55 = £205.81.
    // UC in work: £800 − £205.81 = £594.19.
    // Income in work: £1,058.20 + £594.19 = £1,652.39, against £800 out of work: better off by £852.39.
    const result = calculate(offer({ hoursPerWeek: 20, onEsa: false, onUniversalCredit: true, ucMonthlyAward: 800 }), RATES_2025_26);
    const uc = result.universalCredit!;
    assert.equal(pence(result.weeklyEarnings), 244.2);
    assert.equal(pence(result.monthlyEarnings), 1058.2);
    assert.equal(uc.workAllowance, 684);
    assert.equal(pence(uc.earningsAboveAllowance), 374.2);
    assert.equal(pence(uc.reduction), 205.81);
    assert.equal(pence(uc.awardInWork), 594.19);
    assert.equal(pence(uc.incomeInWork), 1652.39);
    assert.equal(uc.incomeOutOfWork, 800);
    assert.equal(pence(uc.betterOffBy), 852.39);
    assert.equal(result.esa, null);
  });

  test('Universal Credit with housing costs uses the lower work allowance', () => {
    // Monthly earnings as above: £1,058.20. Allowance with housing: £411.
    // £1,058.20 − £411 = £647.20; × 0.55 = £355.96 reduction.
    // UC in work: £1,200 − £355.96 = £844.04; income in work £1,058.20 + £844.04 = £1,902.24; better off by £702.24.
    const result = calculate(
      offer({ hoursPerWeek: 20, onEsa: false, onUniversalCredit: true, ucIncludesHousingCosts: true, ucMonthlyAward: 1200 }),
      RATES_2025_26,
    );
    const uc = result.universalCredit!;
    assert.equal(uc.workAllowance, 411);
    assert.equal(pence(uc.reduction), 355.96);
    assert.equal(pence(uc.awardInWork), 844.04);
    assert.equal(pence(uc.betterOffBy), 702.24);
  });

  test('earnings under the work allowance leave the award untouched', () => {
    // 10 h × £12.21 = £122.10 a week; × 52 ÷ 12 = £529.10 a month, under £684: no reduction.
    const result = calculate(offer({ hoursPerWeek: 10, onEsa: false, onUniversalCredit: true, ucMonthlyAward: 500 }), RATES_2025_26);
    assert.equal(pence(result.monthlyEarnings), 529.1);
    assert.equal(result.universalCredit?.reduction, 0);
    assert.equal(result.universalCredit?.awardInWork, 500);
    assert.equal(pence(result.universalCredit?.betterOffBy), 529.1);
  });

  test('the award never goes below nothing', () => {
    // 37.5 h × £15 = £562.50 a week; × 52 ÷ 12 = £2,437.50 a month.
    // (£2,437.50 − £684) × 0.55 = £1,753.50 × 0.55 = £964.43 (to the penny), more than a £400 award: UC in work £0.
    // Better off: £2,437.50 + £0 − £400 = £2,037.50.
    const result = calculate(offer({ hoursPerWeek: 37.5, hourlyPay: 15, onEsa: false, onUniversalCredit: true, ucMonthlyAward: 400 }), RATES_2025_26);
    assert.equal(pence(result.monthlyEarnings), 2437.5);
    assert.equal(pence(result.universalCredit?.reduction), 964.43);
    assert.equal(result.universalCredit?.awardInWork, 0);
    assert.equal(pence(result.universalCredit?.betterOffBy), 2037.5);
  });

  test('without the current award, the reduction is shown but no totals', () => {
    const result = calculate(offer({ hoursPerWeek: 20, onEsa: true, onUniversalCredit: true }), RATES_2025_26);
    assert.equal(pence(result.universalCredit?.reduction), 205.81);
    assert.equal(result.universalCredit?.betterOffBy, null);
    assert.equal(result.esa?.allowed, false);
    assert.match(summarise(result), /20 hours a week at £12.21 an hour \(£244.20 a week\), 2025-26 rates; ESA permitted work: not allowed; Universal Credit reduced by £205.81 a month/);
  });

  test('pounds are shown to the penny with thousands separated', () => {
    assert.equal(pounds(1058.2), '£1,058.20');
    assert.equal(pounds(0), '£0.00');
    assert.equal(pounds(205.8100000001), '£205.81');
  });

  describe('checking the input', () => {
    const names = { hours: 'hours', pay: 'pay', benefits: 'benefits', award: 'award', startsOn: 'startsOn' };
    const fields = (overrides: Partial<CalculatorFields> = {}): CalculatorFields => ({
      hoursPerWeek: '20',
      hourlyPay: '12.21',
      onEsa: false,
      onUniversalCredit: true,
      ucIncludesHousingCosts: true,
      ucMonthlyAward: '£1,200.50',
      startsOn: '2025-06-02',
      ...overrides,
    });

    test('good input is read into numbers', () => {
      const errors: FieldError[] = [];
      assert.deepEqual(checkCalculatorInput(fields(), names, errors), {
        hoursPerWeek: 20,
        hourlyPay: 12.21,
        onEsa: false,
        onUniversalCredit: true,
        ucIncludesHousingCosts: true,
        ucMonthlyAward: 1200.5,
        startsOn: '2025-06-02',
      });
      assert.deepEqual(errors, []);
    });

    for (const [hoursPerWeek, why] of [
      ['0', 'zero'],
      ['-5', 'negative'],
      ['100.5', 'over 100'],
      ['1e2', 'not written as a number'],
      ['lots', 'words'],
    ]) {
      test(`hours that are ${why} are refused`, () => {
        const errors: FieldError[] = [];
        assert.equal(checkCalculatorInput(fields({ hoursPerWeek }), names, errors), undefined);
        assert.deepEqual(errors, [{ field: 'hours', text: 'Hours a week must be a number more than 0 and no more than 100' }]);
      });
    }

    test('100 hours is the most allowed, and pay of £0 is allowed', () => {
      const errors: FieldError[] = [];
      assert.equal(checkCalculatorInput(fields({ hoursPerWeek: '100', hourlyPay: '0' }), names, errors)?.hoursPerWeek, 100);
      assert.deepEqual(errors, []);
    });

    for (const hourlyPay of ['-1', '1000.01', '12.345', 'twelve']) {
      test(`pay of "${hourlyPay}" is refused`, () => {
        const errors: FieldError[] = [];
        assert.equal(checkCalculatorInput(fields({ hourlyPay }), names, errors), undefined);
        assert.deepEqual(errors.map((error) => error.field), ['pay']);
      });
    }

    test('no benefit chosen, a negative award and no start date are each named', () => {
      const errors: FieldError[] = [];
      const input = checkCalculatorInput(fields({ onEsa: false, onUniversalCredit: false, ucMonthlyAward: '-20', startsOn: undefined }), names, errors);
      assert.equal(input, undefined);
      assert.deepEqual(errors.map((error) => error.field), ['benefits', 'award', 'startsOn']);
    });

    test('housing costs and the award are ignored when the person is not on Universal Credit', () => {
      const input = checkCalculatorInput(fields({ onEsa: true, onUniversalCredit: false }), names, []);
      assert.equal(input?.ucIncludesHousingCosts, false);
      assert.equal(input?.ucMonthlyAward, null);
    });
  });
});
