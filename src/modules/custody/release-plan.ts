import { can, ROLES } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/http/context.ts';
import { Conflict, type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { auditEpisode, episodeOr404 } from './episode-access.ts';
import * as queries from './queries.ts';

export const CHECKLIST_STATES = ['to_do', 'done', 'not_needed', 'declined'] as const;
export type ChecklistState = (typeof CHECKLIST_STATES)[number];
export const CHECKLIST_STATE_LABELS: Record<ChecklistState, string> = {
  to_do: 'To do',
  done: 'Done',
  not_needed: 'Not needed',
  declined: 'Declined by the person',
};

/** Who may be named to meet someone at the gate: active users who may edit people's records. */
function gateWorkers(db: Db, organisationId: string) {
  const roles = ROLES.filter((role) => can(role, 'people:edit'));
  return queries.activeUsersWithRoles(db, organisationId, roles);
}

export async function getReleasePlan(db: Db, principal: Principal, episodeId: string) {
  assertCan(principal, 'people:view');
  return db.transaction().execute(async (trx) => {
    const episode = await episodeOr404(trx, principal, episodeId);
    const plan = await queries.findPlan(trx, principal.organisationId, episode.id);
    const rows = await queries.checklist(trx, principal.organisationId, episode.id);
    const workers = await gateWorkers(trx, principal.organisationId);
    const reference = await loadReferenceData(trx, principal.organisationId, ['release_checklist_item']);
    await auditEpisode(trx, principal, episode.id, 'release_plan.viewed');
    // Items no longer offered still show while a record has them.
    const items = reference.items('release_checklist_item').filter((item) => item.active || rows.some((row) => row.item_code === item.code));
    return {
      plan: {
        meetAtGate: plan?.meet_at_gate ?? null,
        gateWorkerId: plan?.gate_worker_id ?? null,
        gateWorkerName: workers.find((worker) => worker.id === plan?.gate_worker_id)?.display_name ?? null,
        meetingPoint: plan?.meeting_point ?? null,
        meetingTime: plan?.meeting_time ?? null,
        note: plan?.note ?? null,
        version: plan?.version ?? null,
      },
      checklist: items.map((item) => {
        const row = rows.find((candidate) => candidate.item_code === item.code);
        const state = (row?.state ?? 'to_do') as ChecklistState;
        return { code: item.code, label: item.label, state, stateLabel: CHECKLIST_STATE_LABELS[state], note: row?.note ?? null };
      }),
      workers: workers.map((worker) => ({ id: worker.id, name: worker.display_name })),
    };
  });
}

export type ReleasePlanView = Awaited<ReturnType<typeof getReleasePlan>>;

export interface ReleasePlanInput {
  meetAtGate: string;
  gateWorkerId: string;
  meetingPoint: string;
  meetingTime: string;
  note: string;
  items: Record<string, { state: string; note: string }>;
  /** The plan's version the form showed; null when there was no plan yet. */
  version: number | null;
}

export async function saveReleasePlan(db: Db, principal: Principal, episodeId: string, input: ReleasePlanInput) {
  assertCan(principal, 'people:edit');
  const errors: FieldError[] = [];
  const reference = await loadReferenceData(db, principal.organisationId, ['release_checklist_item']);
  const workers = await gateWorkers(db, principal.organisationId);
  if (input.meetAtGate !== 'yes' && input.meetAtGate !== 'no') errors.push({ field: 'meetAtGate', text: 'Select yes if someone will meet them at the gate' });
  const meet = input.meetAtGate === 'yes';
  if (meet && !input.gateWorkerId) errors.push({ field: 'gateWorkerId', text: 'Select who will meet them at the gate' });
  else if (meet && !workers.some((worker) => worker.id === input.gateWorkerId)) {
    errors.push({ field: 'gateWorkerId', text: 'Select a worker from the list' });
  }
  const time = input.meetingTime.trim();
  if (meet && time && !/^([01]?\d|2[0-3])[:.][0-5]\d$/.test(time)) {
    errors.push({ field: 'meetingTime', text: 'Enter the time in the 24-hour format, like 08:30 or 14:00' });
  }
  const meetingPoint = input.meetingPoint.trim();
  if (meetingPoint.length > 200) errors.push({ field: 'meetingPoint', text: 'The meeting point must be 200 characters or fewer' });
  const note = input.note.trim();
  if (note.length > 2000) errors.push({ field: 'note', text: 'The note must be 2,000 characters or fewer' });
  const items = reference.choices('release_checklist_item').map((item) => {
    const given = input.items[item.code] ?? { state: 'to_do', note: '' };
    const state = (CHECKLIST_STATES as readonly string[]).includes(given.state) ? (given.state as ChecklistState) : null;
    if (!state) errors.push({ field: `item-${item.code}`, text: `Select a status for ${item.label.toLowerCase()}` });
    const itemNote = given.note.trim();
    if (itemNote.length > 500) errors.push({ field: `note-${item.code}`, text: `The note for ${item.label.toLowerCase()} must be 500 characters or fewer` });
    return { code: item.code, state: state ?? 'to_do', note: itemNote || null };
  });
  // An item the list never had is a mistake to report, not to drop; retired items are still accepted (and left as they are).
  for (const code of Object.keys(input.items)) {
    if (!reference.has('release_checklist_item', code)) errors.push({ field: `item-${code}`, text: `There is no checklist item “${code}”` });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);

  const values = {
    meet_at_gate: meet,
    gate_worker_id: meet ? input.gateWorkerId : null,
    meeting_point: meet ? meetingPoint || null : null,
    meeting_time: meet ? time.replace('.', ':') || null : null,
    note: note || null,
  };
  return db.transaction().execute(async (trx) => {
    const episode = await episodeOr404(trx, principal, episodeId, { forUpdate: true });
    const stale = () => new Conflict('The release plan was changed by someone else. Check it and try again.');
    const existing = await queries.findPlan(trx, principal.organisationId, episode.id);
    if (existing) {
      if (input.version === null || !(await queries.updatePlan(trx, principal.organisationId, episode.id, input.version, values))) throw stale();
    } else {
      if (input.version !== null) throw stale();
      await queries.insertPlan(trx, principal.organisationId, episode.id, values);
    }
    const before = await queries.checklist(trx, principal.organisationId, episode.id);
    const changedItems: Array<{ code: string; from: string; to: string }> = [];
    for (const item of items) {
      const previous = before.find((row) => row.item_code === item.code);
      if ((previous?.state ?? 'to_do') === item.state && (previous?.note ?? null) === item.note) continue;
      await queries.setChecklistItem(trx, principal.organisationId, episode.id, principal.userId, item);
      changedItems.push({ code: item.code, from: previous?.state ?? 'to_do', to: item.state });
    }
    await auditEpisode(trx, principal, episode.id, 'release_plan.saved', {
      meetAtGate: values.meet_at_gate,
      gateWorkerId: values.gate_worker_id,
      checklist: changedItems,
    });
  });
}
