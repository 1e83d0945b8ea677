import { can } from '../../platform/auth/permissions.ts';
import * as audit from '../../platform/audit/service.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { NotFound } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { IPS_CASELOAD_MAXIMUM } from '../caseload/service.ts';
import { EMPLOYMENT_STAGE_LABELS, EMPLOYMENT_STAGES, employmentStages, WEEKLY_FACE_TO_FACE_STANDARD } from '../employment-metrics/service.ts';
import * as queries from './queries.ts';

/** Whose board: the signed-in worker's own (no choice), another worker's, or the whole organisation's. */
export interface BoardChoice {
  worker: string;
  scope: '' | 'team';
}

export function readBoardChoice(raw: Record<string, unknown>): BoardChoice {
  const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
  // The board's one select sends worker=team for everyone; links carry scope=team.
  const team = text('scope') === 'team' || text('worker') === 'team';
  return team ? { worker: '', scope: 'team' } : { worker: text('worker'), scope: '' };
}

/** The board's address with the choice kept, so links and the form return to the same view. */
export function boardHref(choice: BoardChoice): string {
  const params = new URLSearchParams();
  if (choice.scope) params.set('scope', choice.scope);
  else if (choice.worker) params.set('worker', choice.worker);
  const query = params.toString();
  return query ? `/employment-board?${query}` : '/employment-board';
}

function summaryOf(row: queries.WorkerRow) {
  return {
    id: row.id,
    name: row.display_name,
    caseload: row.caseload,
    overCaseload: row.caseload > IPS_CASELOAD_MAXIMUM,
    faceToFaceThisWeek: row.face_to_face_this_week,
    meetsFaceToFace: row.face_to_face_this_week >= WEEKLY_FACE_TO_FACE_STANDARD,
  };
}

/**
 * The employment specialist's board: open episodes grouped by IPS employment
 * stage, with days since the last employer contact on each person's behalf,
 * and the caseload and job-development standards. Choosing another worker or
 * the whole organisation needs caseload:view-team. Each view is audited once,
 * without names.
 */
export async function getEmploymentBoard(db: Db, principal: Principal, choice: BoardChoice, today: string) {
  assertCan(principal, 'people:view');
  const choosing = choice.scope === 'team' || (choice.worker !== '' && choice.worker !== principal.userId);
  if (choosing) assertCan(principal, 'caseload:view-team');
  if (choice.scope !== 'team' && choice.worker !== '' && !isUuid(choice.worker)) throw new NotFound();
  const workerId = choice.scope === 'team' ? null : choice.worker || principal.userId;

  return inTransaction(db, async (trx) => {
    const worker = workerId ? (await queries.workers(trx, principal.organisationId, today, workerId))[0] : undefined;
    if (choice.worker && choice.scope !== 'team' && !worker) throw new NotFound();
    const rows = workerId || choice.scope === 'team' ? await queries.boardEpisodes(trx, principal.organisationId, workerId, today) : [];
    const stages = await employmentStages(trx, [principal.organisationId], rows.map((row) => row.episode_id), today);
    const workers = can(principal.role, 'caseload:view-team') ? (await queries.workers(trx, principal.organisationId, today)).map(summaryOf) : [];
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'employment-board.viewed',
      subjectType: workerId ? 'user' : 'organisation',
      subjectId: workerId ?? principal.organisationId,
      detail: { scope: choice.scope === 'team' ? 'organisation' : 'worker', people: rows.length },
    });
    const groups = EMPLOYMENT_STAGES.map((stage) => ({
      stage,
      label: EMPLOYMENT_STAGE_LABELS[stage],
      people: rows
        .filter((row) => stages.get(row.episode_id) === stage)
        .map((row) => ({
          episodeId: row.episode_id,
          name: `${row.preferred_name || row.given_name} ${row.family_name}`,
          keyWorkerName: row.key_worker_name,
          daysSinceEmployerContact: row.days_since_employer_contact,
        })),
    }));
    return {
      scope: choice.scope === 'team' ? ('organisation' as const) : ('worker' as const),
      own: workerId !== null && workerId === principal.userId,
      worker: worker ? summaryOf(worker) : null,
      workers,
      groups,
      total: rows.length,
      caseloadMaximum: IPS_CASELOAD_MAXIMUM,
      faceToFaceStandard: WEEKLY_FACE_TO_FACE_STANDARD,
    };
  });
}
