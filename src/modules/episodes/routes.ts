import type { FastifyInstance, FastifyReply } from 'fastify';
import { can } from '../../platform/auth/permissions.ts';
import type { Principal } from '../../platform/http/context.ts';
import { readDateParts } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { episodeApiRoutes } from './api.ts';
import { referralRoutes } from './referral-routes.ts';
import * as episodes from './service.ts';

type Params = { id: string };

const DONE: Record<string, string> = {
  accepted: 'Referral accepted',
  declined: 'Referral declined',
  withdrawn: 'Referral withdrawn',
  allocated: 'Key worker changed',
  exited: 'Episode closed',
  reopened: 'Episode reopened',
  'custody-event': 'Return to custody recorded',
};

/** A stale form gets the conflict page (409); everything else goes to the error handler. */
async function orConflict(reply: FastifyReply, episodeId: string, run: () => Promise<unknown>) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof episodes.StaleEpisode) {
      return reply.code(409).view('episodes/views/conflict.njk', { pageTitle: 'This episode was changed by someone else', episodeId });
    }
    throw error;
  }
}

/** The episode page and the changes made from it. The referral journey and intake are in referral-routes.ts. */
export async function episodeRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: Params }>('/episodes/:id', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const episode = await episodes.viewEpisode(db, principal, request.params.id);
    const done = DONE[String((request.query as Record<string, unknown>).done)];
    return reply.view('episodes/views/episode.njk', {
      pageTitle: `Episode of support: ${episode.person.name}`,
      episode,
      flash: done,
      actions: {
        decide: can(principal.role, 'referrals:decide'),
        allocate: can(principal.role, 'episodes:allocate'),
        edit: can(principal.role, 'people:edit'),
      },
    });
  });

  app.post<{ Params: Params }>('/episodes/:id/accept', async (request, reply) => {
    const principal = requirePermission(request, 'referrals:decide');
    const id = request.params.id;
    return orConflict(reply, id, async () => {
      await episodes.decideReferral(db, principal, id, 'accept', { reasonCode: '', note: '', version: formString(request.body, 'version') });
      return reply.redirect(`/episodes/${id}?done=accepted`);
    });
  });

  const decisionLists = { decline: 'referral_decline_reason', withdraw: 'referral_withdrawal_reason' } as const;
  const decisionTitles = { decline: 'Decline the referral', withdraw: 'Withdraw the referral' };

  for (const decision of ['decline', 'withdraw'] as const) {
    const formPage = async (reply: FastifyReply, principal: Principal, id: string, context: Record<string, unknown> = {}) => {
      const header = await episodes.getEpisodeHeader(db, principal, id);
      const values = (context.values ?? { version: String(await referralVersion(principal, id)) }) as { reasonCode?: string };
      const reference = await loadReferenceData(db, principal.organisationId, [decisionLists[decision]]);
      return reply.view('episodes/views/decision.njk', {
        pageTitle: decisionTitles[decision],
        decision,
        header,
        values,
        reasons: reference.options(decisionLists[decision], values.reasonCode),
        ...context,
      });
    };
    const referralVersion = async (principal: Principal, id: string) => (await episodes.viewReferralVersion(db, principal, id)) ?? '';

    app.get<{ Params: Params }>(`/episodes/:id/${decision}`, async (request, reply) => {
      const principal = requirePermission(request, 'referrals:decide');
      return formPage(reply, principal, request.params.id);
    });

    app.post<{ Params: Params }>(`/episodes/:id/${decision}`, async (request, reply) => {
      const principal = requirePermission(request, 'referrals:decide');
      const id = request.params.id;
      const values = {
        reasonCode: formString(request.body, 'reasonCode'),
        note: formString(request.body, 'note'),
        version: formString(request.body, 'version'),
      };
      try {
        const checked = await episodes.checkDecision(db, principal, decision, values);
        if (formString(request.body, 'confirm') !== 'yes') {
          const header = await episodes.getEpisodeHeader(db, principal, id);
          const list = decisionLists[decision];
          const label = (await loadReferenceData(db, principal.organisationId, [list])).label(list, checked.reasonCode);
          return reply.view('accounts/views/confirm.njk', {
            pageTitle: `${decisionTitles[decision]}: are you sure?`,
            question: decision === 'decline' ? `Decline the referral for ${header.personName}?` : `Withdraw the referral for ${header.personName}?`,
            explanation: `Reason: ${label}. ${checked.note} ${decision === 'decline' ? 'Declines should be rare: anyone who wants to work is eligible. This decline will be reported.' : 'Support will not start.'}`,
            action: `/episodes/${id}/${decision}`,
            hidden: { ...values, confirm: 'yes' },
            confirmText: decision === 'decline' ? 'Yes, decline the referral' : 'Yes, withdraw the referral',
            cancelHref: `/episodes/${id}`,
            warning: true,
          });
        }
      } catch (error) {
        if (error instanceof ValidationFailed) return formPage(reply.code(400), principal, id, { values, errors: error.errors });
        throw error;
      }
      return orConflict(reply, id, async () => {
        await episodes.decideReferral(db, principal, id, decision, values);
        return reply.redirect(`/episodes/${id}?done=${decision === 'decline' ? 'declined' : 'withdrawn'}`);
      });
    });
  }

  const allocatePage = async (reply: FastifyReply, principal: Principal, id: string, context: Record<string, unknown> = {}) => {
    const header = await episodes.getEpisodeHeader(db, principal, id);
    return reply.view('episodes/views/allocate.njk', {
      pageTitle: header.keyWorkerName ? 'Change the key worker' : 'Allocate a key worker',
      header,
      workers: await episodes.workerChoices(db, principal),
      values: { version: header.version },
      ...context,
    });
  };

  app.get<{ Params: Params }>('/episodes/:id/allocate', async (request, reply) => {
    const principal = requirePermission(request, 'episodes:allocate');
    return allocatePage(reply, principal, request.params.id);
  });

  app.post<{ Params: Params }>('/episodes/:id/allocate', async (request, reply) => {
    const principal = requirePermission(request, 'episodes:allocate');
    const id = request.params.id;
    const values = {
      workerId: formString(request.body, 'workerId'),
      handoverNote: formString(request.body, 'handoverNote'),
      version: formString(request.body, 'version'),
    };
    return orConflict(reply, id, async () => {
      try {
        await episodes.allocate(db, principal, id, values);
      } catch (error) {
        if (error instanceof ValidationFailed) return allocatePage(reply.code(400), principal, id, { values, errors: error.errors });
        throw error;
      }
      return reply.redirect(`/episodes/${id}?done=allocated`);
    });
  });

  const exitPage = async (reply: FastifyReply, principal: Principal, id: string, context: Record<string, unknown> = {}) => {
    const header = await episodes.getEpisodeHeader(db, principal, id);
    const values = (context.values ?? { version: header.version }) as { reasonCode?: string };
    const reference = await loadReferenceData(db, principal.organisationId, ['exit_reason']);
    return reply.view('episodes/views/exit.njk', {
      pageTitle: 'Close this episode of support',
      header,
      values,
      reasons: reference.options('exit_reason', values.reasonCode),
      ...context,
    });
  };

  app.get<{ Params: Params }>('/episodes/:id/exit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    return exitPage(reply, principal, request.params.id);
  });

  app.post<{ Params: Params }>('/episodes/:id/exit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const id = request.params.id;
    const values = {
      reasonCode: formString(request.body, 'reasonCode'),
      note: formString(request.body, 'note'),
      exitedOn: readDateParts(request.body, 'exitedOn'),
      version: formString(request.body, 'version'),
    };
    try {
      const checked = await episodes.checkExit(db, principal, id, values);
      if (formString(request.body, 'confirm') !== 'yes') {
        const header = await episodes.getEpisodeHeader(db, principal, id);
        return reply.view('accounts/views/confirm.njk', {
          pageTitle: 'Close this episode: are you sure?',
          question: `Close ${header.personName}’s episode of support?`,
          explanation: `Reason: ${checked.reasonLabel}. Exit date: ${checked.exitedOn}. The episode can be reopened later if this was a mistake.`,
          action: `/episodes/${id}/exit`,
          hidden: {
            reasonCode: values.reasonCode,
            note: values.note,
            'exitedOn-day': values.exitedOn.day,
            'exitedOn-month': values.exitedOn.month,
            'exitedOn-year': values.exitedOn.year,
            version: values.version,
            confirm: 'yes',
          },
          confirmText: 'Yes, close the episode',
          cancelHref: `/episodes/${id}`,
          warning: true,
        });
      }
    } catch (error) {
      if (error instanceof ValidationFailed) return exitPage(reply.code(400), principal, id, { values, errors: error.errors });
      throw error;
    }
    return orConflict(reply, id, async () => {
      await episodes.exitEpisode(db, principal, id, values);
      return reply.redirect(`/episodes/${id}?done=exited`);
    });
  });

  app.get<{ Params: Params }>('/episodes/:id/reopen', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const header = await episodes.getEpisodeHeader(db, principal, request.params.id);
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: 'Reopen this episode',
      question: `Reopen ${header.personName}’s episode of support?`,
      explanation: 'The exit reason and date will be cleared and the stage worked out again from the records.',
      action: `/episodes/${header.id}/reopen`,
      hidden: { version: header.version, confirm: 'yes' },
      confirmText: 'Yes, reopen the episode',
      cancelHref: `/episodes/${header.id}`,
    });
  });

  app.post<{ Params: Params }>('/episodes/:id/reopen', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const id = request.params.id;
    if (formString(request.body, 'confirm') !== 'yes') return reply.redirect(`/episodes/${id}/reopen`);
    return orConflict(reply, id, async () => {
      await episodes.reopenEpisode(db, principal, id, formString(request.body, 'version'));
      return reply.redirect(`/episodes/${id}?done=reopened`);
    });
  });

  const custodyEventPage = async (reply: FastifyReply, principal: Principal, id: string, context: Record<string, unknown> = {}) => {
    const header = await episodes.getEpisodeHeader(db, principal, id);
    const values = (context.values ?? {}) as { kindCode?: string; reasonCode?: string };
    const reference = await loadReferenceData(db, principal.organisationId, episodes.CUSTODY_EVENT_LISTS);
    return reply.view('episodes/views/custody-event.njk', {
      pageTitle: 'Record a return to custody',
      header,
      values,
      kinds: reference.options('custody_event_kind', values.kindCode),
      reasons: reference.options('custody_event_reason', values.reasonCode),
      ...context,
    });
  };

  app.get<{ Params: Params }>('/episodes/:id/custody-events', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    return custodyEventPage(reply, principal, request.params.id);
  });

  app.post<{ Params: Params }>('/episodes/:id/custody-events', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const id = request.params.id;
    const values = {
      kindCode: formString(request.body, 'kindCode'),
      reasonCode: formString(request.body, 'reasonCode'),
      occurredOn: readDateParts(request.body, 'occurredOn'),
      note: formString(request.body, 'note'),
    };
    try {
      await episodes.recordCustodyEvent(db, principal, id, values);
    } catch (error) {
      if (error instanceof ValidationFailed) return custodyEventPage(reply.code(400), principal, id, { values, errors: error.errors });
      throw error;
    }
    return reply.redirect(`/episodes/${id}?done=custody-event`);
  });

  await referralRoutes(app, deps);
  await episodeApiRoutes(app, deps);
}
