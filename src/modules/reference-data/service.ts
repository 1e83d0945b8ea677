import type { Db } from '../../platform/db/database.ts';
import type { FieldError } from '../../platform/http/errors.ts';
import * as queries from './queries.ts';

export interface ReferenceItem {
  code: string;
  label: string;
  active: boolean;
  own: boolean;
  attributes: Record<string, unknown>;
}

/**
 * The reference lists one organisation sees, loaded once for a request or a
 * job: seeded items plus the organisation's own. Records store codes; this
 * turns them into labels and checks that a submitted code exists.
 */
export class ReferenceData {
  readonly #lists: Map<string, ReferenceItem[]>;

  constructor(lists: Map<string, ReferenceItem[]>) {
    this.#lists = lists;
  }

  /** Items to offer in a form: active ones only. */
  choices(list: string): ReferenceItem[] {
    return this.items(list).filter((item) => item.active);
  }

  items(list: string): ReferenceItem[] {
    const items = this.#lists.get(list);
    if (!items) throw new Error(`Reference list "${list}" was not loaded`);
    return items;
  }

  /** A code is valid if it exists on the list, even if no longer offered: old records stay valid. */
  has(list: string, code: string): boolean {
    return this.items(list).some((item) => item.code === code);
  }

  /** Active codes only: for new input. */
  offers(list: string, code: string): boolean {
    return this.choices(list).some((item) => item.code === code);
  }

  label(list: string, code: string | null | undefined): string {
    if (!code) return '';
    return this.items(list).find((item) => item.code === code)?.label ?? code;
  }

  /** For GOV.UK radios and selects: [{ value, text, checked|selected }]. */
  options(list: string, current?: string | null, mark: 'checked' | 'selected' = 'checked') {
    return this.choices(list).map((item) => ({ value: item.code, text: item.label, [mark]: item.code === current }));
  }

  /** Checks an optional code: empty is fine; anything else must be an active item. */
  check(list: string, code: string, field: string, errors: FieldError[], message: string): string | null {
    if (!code) return null;
    if (!this.offers(list, code)) {
      errors.push({ field, text: message });
      return null;
    }
    return code;
  }
}

export async function loadReferenceData(db: Db, organisationId: string, listCodes: readonly string[]): Promise<ReferenceData> {
  const rows = await queries.itemsForLists(db, organisationId, listCodes);
  const lists = new Map<string, ReferenceItem[]>(listCodes.map((code) => [code, []]));
  for (const row of rows) {
    lists.get(row.list_code)!.push({
      code: row.code,
      label: row.label,
      active: row.active,
      own: row.organisation_id !== null,
      attributes: row.attributes,
    });
  }
  return new ReferenceData(lists);
}

export const listDefinitions = queries.listDefinitions;
