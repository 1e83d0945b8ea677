import type { FastifyReply } from 'fastify';
import { can } from '../../platform/auth/permissions.ts';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import type { Conflict } from '../../platform/http/errors.ts';
import { getEpisodeHeader } from '../episodes/service.ts';

const DONE_MESSAGES: Record<string, string> = {
  details: 'Custody details saved',
  prison: 'Prison recorded',
  dates: 'Release dates saved',
  release: 'Release recorded',
  plan: 'Release plan saved',
  task: 'Task marked as done',
};

export function doneMessage(query: unknown): string | undefined {
  const done = (query as Record<string, unknown>)?.done;
  return typeof done === 'string' ? DONE_MESSAGES[done] : undefined;
}

/** Renders one of the episode's custody pages, under the episode header and its section links. */
export async function episodePage(
  deps: Deps,
  reply: FastifyReply,
  principal: Principal,
  episodeId: string,
  template: string,
  context: Record<string, unknown>,
) {
  const header = await getEpisodeHeader(deps.db, principal, episodeId);
  return reply.view(`custody/views/${template}`, {
    header,
    canEdit: can(principal.role, 'people:edit'),
    ...context,
    heading: context.pageTitle,
    pageTitle: `${context.pageTitle} – ${header.personName}`,
  });
}


/** The "changed by someone else" page: nothing was saved, and the way back shows the record as it is now. */
export function conflictPage(deps: Deps, reply: FastifyReply, principal: Principal, episodeId: string, error: Conflict, back: { href: string; text: string }) {
  return episodePage(deps, reply.code(409), principal, episodeId, 'conflict.njk', {
    pageTitle: 'This was changed by someone else',
    section: '',
    message: error.detail,
    backHref: back.href,
    backText: back.text,
  });
}

/** Where the conflict page sends someone: the form again, showing what is saved now. */
export const back = (id: string, page: string) => ({ href: `/episodes/${id}/${page}`, text: 'Start again from what is saved now' });
