import path from 'node:path';
import nunjucks from 'nunjucks';

const ROOT = path.resolve(import.meta.dirname, '../../..');

const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** Templates resolve from the platform views, then module folders ("accounts/views/x.njk"), then GOV.UK Frontend. */
export function createViewEnvironment(options: { watch?: boolean } = {}): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [
        path.join(ROOT, 'src/platform/views'),
        path.join(ROOT, 'src/modules'),
        path.join(ROOT, 'node_modules/govuk-frontend/dist'),
      ],
      { watch: options.watch ?? false, noCache: false },
    ),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addFilter('dateTime', (value: Date | string | null | undefined) =>
    value ? londonDateTime.format(new Date(value)) : '',
  );
  env.addFilter('date', (value: Date | string | null | undefined) => {
    if (!value) return '';
    // A calendar date string has no time zone; read it as noon UTC so no zone moves it a day.
    const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
    return londonDate.format(date);
  });
  /** Maps field errors to the shape GOV.UK components take: errorMessage: { text }. */
  env.addFilter('errorFor', (errors: { field: string; text: string }[] | undefined, field: string) => {
    const match = errors?.find((error) => error.field === field);
    return match ? { text: match.text } : undefined;
  });
  /** The first error of a date input: its field is PREFIX-day, PREFIX-month or PREFIX-year. */
  env.addFilter('dateErrorFor', (errors: { field: string; text: string }[] | undefined, prefix: string) =>
    errors?.find((error) => error.field.startsWith(`${prefix}-`)),
  );
  env.addFilter('errorSummaryList', (errors: { field: string; text: string }[] | undefined) =>
    (errors ?? []).map((error) => ({ text: error.text, href: `#${error.field}` })),
  );
  return env;
}
