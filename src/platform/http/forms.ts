/** Reads a form field as a trimmed string; anything that is not a string (missing, repeated) reads as ''. */
export function formString(body: unknown, name: string, options: { trim?: boolean } = {}): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string') return '';
  return options.trim === false ? value : value.trim();
}

/** Only same-site paths, so a crafted link cannot bounce a user to another site after sign-in. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checked before an id from a URL reaches a query: PostgreSQL rejects a malformed uuid with an error, not an empty result. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
