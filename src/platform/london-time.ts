/**
 * Wall-clock time in the UK (Europe/London) and the instants it names.
 * Practitioners enter a contact's date and time as the clock on the wall
 * showed it; the database stores the instant (timestamptz, UTC). Twice a year
 * the clocks change, so the offset depends on the date, and one hour each
 * spring never happens and one hour each autumn happens twice.
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function londonFields(instant: number) {
  return Object.fromEntries(londonFormat.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)])) as Record<
    'year' | 'month' | 'day' | 'hour' | 'minute' | 'second',
    number
  >;
}

/** How far London's clocks are ahead of UTC at an instant, in milliseconds (0 in winter, an hour in summer). */
function londonOffsetMs(instant: number): number {
  const f = londonFields(instant);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - (instant - (instant % 1000));
}

/** What a London clock showed at an instant. */
export function londonWallClock(instant: Date): WallClock {
  const f = londonFields(instant.getTime());
  return { year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute };
}

/** Today's date in the UK, as YYYY-MM-DD. */
export function londonToday(now: Date = new Date()): string {
  const clock = londonWallClock(now);
  return `${clock.year}-${String(clock.month).padStart(2, '0')}-${String(clock.day).padStart(2, '0')}`;
}

/**
 * The instant a London wall-clock time names. Returns undefined for a time
 * that never happened (the hour skipped when the clocks go forward). A time
 * that happened twice (the hour repeated when they go back) is read as the
 * first of the two, in summer time.
 */
export function londonInstant(clock: WallClock): Date | undefined {
  const asIfUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
  const dayMs = 12 * 60 * 60 * 1000;
  // The offsets in force half a day either side cover both sides of any clock change on this date.
  const offsets = [...new Set([londonOffsetMs(asIfUtc - dayMs), londonOffsetMs(asIfUtc + dayMs)])].sort((a, b) => b - a);
  for (const offset of offsets) {
    const instant = asIfUtc - offset;
    if (londonOffsetMs(instant) === offset) return new Date(instant);
  }
  return undefined;
}

/** Reads a 24-hour time typed as 14:30, 14.30, 9:05 or 0905; undefined if it is not a real time. */
export function parseTime(text: string): { hour: number; minute: number } | undefined {
  const match = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim().replace(/\s+/g, ''));
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

/** HH:MM, as the time box shows it. */
export function formatTime(clock: { hour: number; minute: number }): string {
  return `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
}
