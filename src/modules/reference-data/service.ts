import * as audit from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { type FieldError, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { forget, lookUp } from './cache.ts';
import * as queries from './queries.ts';

export { getOrganisationSettings, getSettingsForEdit, type SettingsInput, updateSettings } from './settings.ts';

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

/** Each list from the per-process cache (cache.ts) when it is fresh; the rest in one query. */
export async function loadReferenceData(db: Db, organisationId: string, listCodes: readonly string[]): Promise<ReferenceData> {
  const { hits, keep } = lookUp<ReferenceItem[]>(db, organisationId, listCodes);
  const missing = listCodes.filter((code) => !hits.has(code));
  if (missing.length > 0) {
    const loaded = new Map<string, ReferenceItem[]>(missing.map((code) => [code, []]));
    for (const row of await queries.itemsForLists(db, organisationId, missing)) {
      loaded.get(row.list_code)!.push({ code: row.code, label: row.label, active: row.active, own: row.organisation_id !== null, attributes: row.attributes });
    }
    keep(loaded);
    for (const [code, items] of loaded) hits.set(code, items);
  }
  return new ReferenceData(new Map(listCodes.map((code) => [code, hits.get(code)!])));
}

export const listDefinitions = queries.listDefinitions;

/** A change to an organisation's lists, then the cache told, after the commit so no read that began before it is kept. */
async function inTransactionThenForget<T>(db: Db, organisationId: string, change: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(change);
  } finally {
    forget(organisationId);
  }
}

// Administration of the lists: an organisation adds its own items to extendable lists and retires them.
// Seeded items (organisation_id null) are shared by every organisation and never change here.

const LIST_CODE = /^[a-z0-9_]{1,60}$/;

export interface ListSummary {
  code: string;
  label: string;
  description: string;
  extendable: boolean;
  seededCount: number;
  ownCount: number;
}

export async function listLists(db: Db, principal: Principal): Promise<ListSummary[]> {
  assertCan(principal, 'reference-data:manage');
  const [lists, counts] = await Promise.all([queries.listDefinitions(db), queries.itemCounts(db, principal.organisationId)]);
  return lists.map((list) => {
    const count = counts.find((row) => row.list_code === list.code);
    return {
      code: list.code,
      label: list.label,
      description: list.description,
      extendable: list.extendable,
      seededCount: Number(count?.seeded ?? 0),
      ownCount: Number(count?.own ?? 0),
    };
  });
}

async function findListOr404(db: Db, code: string) {
  const list = LIST_CODE.test(code) ? await queries.findList(db, code) : undefined;
  if (!list) throw new NotFound();
  return list;
}

/** One list with every item the organisation sees, including those no longer offered. */
export async function getList(db: Db, principal: Principal, code: string) {
  assertCan(principal, 'reference-data:manage');
  const list = await findListOr404(db, code);
  const rows = await queries.itemsForLists(db, principal.organisationId, [list.code]);
  return {
    code: list.code,
    label: list.label,
    description: list.description,
    extendable: list.extendable,
    items: rows.map((row) => ({ id: row.id, code: row.code, label: row.label, active: row.active, own: row.organisation_id !== null })),
  };
}

/** "Housing association (local)" → "housing_association_local": the stable code records will store. */
export function codeFromLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
    .replace(/_+$/, '');
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

const DUPLICATE = 'An item with this name is already on the list';

export async function addItem(db: Db, principal: Principal, listCode: string, rawLabel: string) {
  assertCan(principal, 'reference-data:manage');
  const list = await findListOr404(db, listCode);
  const label = rawLabel.trim().replace(/\s+/g, ' ');
  const code = codeFromLabel(label);
  const errors: FieldError[] = [];
  if (!list.extendable) errors.push({ field: 'label', text: `Organisations cannot add items to the ${list.label.toLowerCase()} list` });
  else if (!label) errors.push({ field: 'label', text: 'Enter a name for the new item' });
  else if (label.length > 100) errors.push({ field: 'label', text: 'Name must be 100 characters or fewer' });
  else if (!code) errors.push({ field: 'label', text: 'Name must include letters or numbers' });
  else {
    const existing = await queries.itemsForLists(db, principal.organisationId, [list.code]);
    if (existing.some((item) => item.code === code || item.label.toLowerCase() === label.toLowerCase())) {
      errors.push({ field: 'label', text: DUPLICATE });
    }
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  try {
    return await inTransactionThenForget(db, principal.organisationId, async (trx) => {
      const item = await queries.insertItem(trx, { organisation_id: principal.organisationId, list_code: list.code, code, label });
      await audit.record(trx, {
        organisationId: principal.organisationId,
        actor: actorOf(principal),
        action: 'reference-data.item-added',
        subjectType: 'reference_item',
        subjectId: item.id,
        detail: { list: list.code, code, label },
      });
      return item;
    });
  } catch (error) {
    // Two administrators adding the same item at once: the unique index keeps one.
    if (isUniqueViolation(error)) throw new ValidationFailed([{ field: 'label', text: DUPLICATE }]);
    throw error;
  }
}

/** The organisation's own item; a seeded item, another organisation's or a malformed id is not found. */
export async function getOwnItem(db: Db, principal: Principal, listCode: string, itemId: string) {
  assertCan(principal, 'reference-data:manage');
  const list = await findListOr404(db, listCode);
  const item = isUuid(itemId) ? await queries.findOwnItem(db, principal.organisationId, list.code, itemId) : undefined;
  if (!item) throw new NotFound();
  return { list, item };
}

/** Stops offering an own item in forms (or offers it again). Old records keep its code and label. */
export async function setItemActive(db: Db, principal: Principal, listCode: string, itemId: string, active: boolean) {
  const { list, item } = await getOwnItem(db, principal, listCode, itemId);
  if (item.active === active) return item;
  await inTransactionThenForget(db, principal.organisationId, async (trx) => {
    await queries.setItemActive(trx, principal.organisationId, item.id, active);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: active ? 'reference-data.item-reactivated' : 'reference-data.item-deactivated',
      subjectType: 'reference_item',
      subjectId: item.id,
      detail: { list: list.code, code: item.code },
    });
  });
  return { ...item, active };
}
