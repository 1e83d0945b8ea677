import type { OutcomesReport } from '../report-table.ts';

const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** "1 April 2025" from "2025-04-01". */
export function longDateOf(date: string): string {
  return longDate.format(new Date(`${date}T12:00:00Z`));
}

/** When the report was made, on the UK wall clock: "1 October 2025 at 09:30". */
export function generatedAtText(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return londonDateTime.format(date).replace(', ', ' at ');
}

export function reportTitle(report: OutcomesReport): string {
  const who = report.scope.commission?.name ?? report.scope.organisations.map((organisation) => organisation.name).join(', ');
  return who ? `Outcomes report: ${who}` : 'Outcomes report';
}

/** What a download says about itself before its figures: what was counted, for whom, and how it was protected. */
export function aboutRows(report: OutcomesReport): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['Title', reportTitle(report)],
    ['Referral period', `${longDateOf(report.request.from)} to ${longDateOf(report.request.to)}`],
    ['As at', longDateOf(report.request.asAt)],
    [report.scope.organisations.length === 1 ? 'Organisation' : 'Organisations', report.scope.organisations.map((organisation) => organisation.name).join('; ') || 'None'],
  ];
  if (report.scope.commission) rows.push(['Commission', report.scope.commission.name]);
  for (const [label, value] of Object.entries(report.scope.filterLabels)) if (label !== 'Commission') rows.push([label, value]);
  rows.push(['Generated at', generatedAtText(report.generatedAt)]);
  rows.push(['Disclosure control', report.disclosure.method]);
  if (report.disclosure.applied) rows.push(['[c]', 'Confidential: hidden by disclosure control']);
  return rows;
}
