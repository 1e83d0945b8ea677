/**
 * The cost period form: reading it, checking it, and filling it again.
 * Money is typed as people write it ("£1,234.50"); FTE as a decimal.
 */
import { type DateFieldError, type DateParts, readDateParts, requiredPeriodDate } from '../../platform/http/date-input.ts';
import { formString } from '../../platform/http/forms.ts';
import { COST_HEADS, type CostHead } from './figures.ts';
import type { CostPeriodValues } from './queries.ts';

export interface CostFormValues extends Record<CostHead, string> {
  startsOn: DateParts;
  endsOn: DateParts;
  teamId: string;
  staffFte: string;
  specialistFte: string;
  note: string;
  confirmOverlap: boolean;
  version: string;
}

export const COST_HEAD_LABELS: Record<CostHead, string> = {
  salaries: 'Salaries',
  overheads: 'Overheads',
  management: 'Management',
  travel: 'Travel',
  other: 'Other costs',
};

const NOTE_MAX = 2000;
const FTE_MAX = 9999.99;

export function readCostForm(body: unknown): CostFormValues {
  const money = Object.fromEntries(COST_HEADS.map((head) => [head, formString(body, head).slice(0, 30)])) as Record<CostHead, string>;
  return {
    startsOn: readDateParts(body, 'startsOn'),
    endsOn: readDateParts(body, 'endsOn'),
    teamId: formString(body, 'teamId').slice(0, 60),
    staffFte: formString(body, 'staffFte').slice(0, 20),
    specialistFte: formString(body, 'specialistFte').slice(0, 20),
    ...money,
    note: formString(body, 'note'),
    confirmOverlap: formString(body, 'confirmOverlap') === 'yes',
    version: formString(body, 'version').slice(0, 12),
  };
}

export function blankCostForm(): CostFormValues {
  return readCostForm({});
}

function datePartsOf(iso: string): DateParts {
  const [year, month, day] = iso.split('-');
  return { year, month: String(Number(month)), day: String(Number(day)) };
}

type StoredPeriod = Pick<CostPeriodValues, 'starts_on' | 'ends_on' | 'team_id' | 'note'> & Record<CostHead | 'staff_fte' | 'specialist_fte', string | number> & { version: number };

export function costFormFrom(row: StoredPeriod): CostFormValues {
  const money = Object.fromEntries(COST_HEADS.map((head) => [head, Number(row[head]).toFixed(2)])) as Record<CostHead, string>;
  return {
    startsOn: datePartsOf(row.starts_on),
    endsOn: datePartsOf(row.ends_on),
    teamId: row.team_id ?? '',
    staffFte: String(Number(row.staff_fte)),
    specialistFte: String(Number(row.specialist_fte)),
    ...money,
    note: row.note ?? '',
    confirmOverlap: false,
    version: String(row.version),
  };
}

/** "£1,234.50", "1234.5", "1 234": pounds with at most two decimal places. Blank is £0. */
export function parseMoney(text: string, label: string, field: string, errors: DateFieldError[]): number | undefined {
  const cleaned = text.replace(/[£,\s]/g, '');
  if (cleaned === '') return 0;
  if (/^-/.test(cleaned)) {
    errors.push({ field, text: `${label} must be £0 or more` });
    return undefined;
  }
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(cleaned)) {
    errors.push({ field, text: `${label} must be an amount in pounds, like 1,234.50` });
    return undefined;
  }
  return Number(cleaned);
}

function parseFte(text: string, label: string, field: string, errors: DateFieldError[], required: boolean): number | undefined {
  if (text === '') {
    if (!required) return 0;
    errors.push({ field, text: `Enter the ${label.toLowerCase()}` });
    return undefined;
  }
  if (/^-/.test(text)) {
    errors.push({ field, text: `${label} must be 0 or more` });
    return undefined;
  }
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(text) || Number(text) > FTE_MAX) {
    errors.push({ field, text: `${label} must be a number like 2.5, with at most two decimal places` });
    return undefined;
  }
  return Number(text);
}

/** Checks the form against the organisation's teams; on success, the values to store. */
export function checkCostForm(values: CostFormValues, teamIds: readonly string[]): { values?: CostPeriodValues; errors: DateFieldError[] } {
  const errors: DateFieldError[] = [];
  const startsOn = requiredPeriodDate(values.startsOn, 'Start date', 'startsOn', errors);
  const endsOn = requiredPeriodDate(values.endsOn, 'End date', 'endsOn', errors);
  if (startsOn && endsOn && endsOn < startsOn) {
    errors.push({ field: 'endsOn-day', text: 'End date must be the same as or after the start date', parts: ['day', 'month', 'year'] });
  }
  if (values.teamId && !teamIds.includes(values.teamId)) errors.push({ field: 'teamId', text: 'Select a team from the list, or the whole organisation' });
  const staffFte = parseFte(values.staffFte, 'Staff FTE', 'staffFte', errors, true);
  const specialistFte = parseFte(values.specialistFte, 'Employment specialist FTE', 'specialistFte', errors, false);
  if (staffFte !== undefined && specialistFte !== undefined && specialistFte > staffFte) {
    errors.push({ field: 'specialistFte', text: 'Employment specialist FTE must not be more than the staff FTE' });
  }
  const money = {} as Record<CostHead, number>;
  for (const head of COST_HEADS) {
    const amount = parseMoney(values[head], COST_HEAD_LABELS[head], head, errors);
    if (amount !== undefined) money[head] = amount;
  }
  if (values.note.length > NOTE_MAX) errors.push({ field: 'note', text: `Note must be ${NOTE_MAX} characters or fewer` });
  if (errors.length > 0 || !startsOn || !endsOn || staffFte === undefined || specialistFte === undefined) return { errors };
  return {
    errors,
    values: {
      starts_on: startsOn,
      ends_on: endsOn,
      team_id: values.teamId || null,
      staff_fte: staffFte,
      specialist_fte: specialistFte,
      ...money,
      note: values.note || null,
    },
  };
}
