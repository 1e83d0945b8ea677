import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { STAGE_LABELS } from '../engagement/service.ts';
import type { EpisodeHeader } from '../episodes/service.ts';
import { jobApiRoutes } from './api.ts';
import {
  blankJobForm,
  type CheckpointFormValues,
  checkpointInputFrom,
  type EndFormValues,
  endFormFrom,
  endInputFrom,
  type JobFormValues,
  jobFormFrom,
  jobInputFrom,
  placeErrors,
  readCheckpointForm,
  readEndForm,
  readJobForm,
} from './job-form.ts';
import * as jobs from './service.ts';

type EpisodeParams = { id: string };
type JobParams = { id: string; jobId: string };
type CheckpointParams = JobParams & { weeks: string };

const DONE_MESSAGES: Record<string, string> = {
  created: 'Job recorded',
  updated: 'Job updated',
  ended: 'Job ending recorded',
  checkpoint: 'Checkpoint confirmed',
};

function weeksOf(value: string): jobs.Weeks {
  const weeks = /^\d{2}$/.test(value) ? Number(value) : 0;
  if (!jobs.isCheckpointWeeks(weeks)) throw new NotFound();
  return weeks;
}

function doneHref(episodeId: string, done: string, stage: string): string {
  return `/episodes/${episodeId}/jobs?done=${done}&stage=${stage}`;
}

export async function jobRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: EpisodeParams }>('/episodes/:id/jobs', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = request.query as Record<string, unknown>;
    const { episode, jobs: list } = await jobs.listJobs(db, principal, request.params.id);
    const done = typeof query.done === 'string' ? DONE_MESSAGES[query.done] : undefined;
    const stage = typeof query.stage === 'string' && query.stage in STAGE_LABELS ? STAGE_LABELS[query.stage as keyof typeof STAGE_LABELS] : undefined;
    return reply.view('jobs/views/list.njk', {
      pageTitle: `Jobs: ${episode.personName}`,
      episode,
      jobs: list,
      canEdit: jobs.canEdit(principal),
      flash: done ? `${done}${stage ? `. Stage: ${stage}` : ''}` : undefined,
      notYetCounted: jobs.NOT_YET_COUNTED,
    });
  });

  async function formPage(
    reply: FastifyReply,
    principal: Principal,
    episode: EpisodeHeader,
    context: { values: JobFormValues; errors?: unknown[]; jobId?: string },
  ) {
    const { reference, employers } = await jobs.formChoices(db, principal);
    const { values } = context;
    return reply.view('jobs/views/form.njk', {
      pageTitle: context.jobId ? 'Change job' : 'Record a job',
      episode,
      action: context.jobId ? `/episodes/${episode.id}/jobs/${context.jobId}/edit` : `/episodes/${episode.id}/jobs/new`,
      cancelHref: `/episodes/${episode.id}/jobs`,
      values,
      errors: context.errors,
      employers: [
        { value: '', text: 'Select an employer', selected: !values.employerId },
        ...employers.map((employer) => ({ value: employer.id, text: employer.name, selected: employer.id === values.employerId })),
      ],
      jobTypes: reference.options('soc_major_group', values.jobType),
    });
  }

  app.get<{ Params: EpisodeParams }>('/episodes/:id/jobs/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const episode = await jobs.episodeFor(db, principal, request.params.id);
    return formPage(reply, principal, episode, { values: blankJobForm() });
  });

  app.post<{ Params: EpisodeParams }>('/episodes/:id/jobs/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const episode = await jobs.episodeFor(db, principal, request.params.id);
    const values = readJobForm(request.body);
    try {
      const saved = await jobs.createJob(db, principal, episode.id, jobInputFrom(values));
      return reply.redirect(doneHref(episode.id, 'created', saved.stage));
    } catch (error) {
      if (error instanceof ValidationFailed) return formPage(reply.code(400), principal, episode, { values, errors: placeErrors(error.errors) });
      throw error;
    }
  });

  app.get<{ Params: JobParams }>('/episodes/:id/jobs/:jobId/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { episode, job } = await jobs.getJob(db, principal, request.params.id, request.params.jobId);
    return formPage(reply, principal, episode, { values: jobFormFrom(job), jobId: job.id });
  });

  function conflictPage(reply: FastifyReply, episode: EpisodeHeader, current: jobs.JobView) {
    return reply.code(409).view('jobs/views/conflict.njk', { pageTitle: 'This job was changed by someone else', episode, current });
  }

  app.post<{ Params: JobParams }>('/episodes/:id/jobs/:jobId/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { id, jobId } = request.params;
    const episode = await jobs.episodeFor(db, principal, id);
    const values = readJobForm(request.body);
    try {
      const result = await jobs.updateJob(db, principal, episode.id, jobId, { ...jobInputFrom(values), version: values.version ?? '' });
      if (result.outcome === 'conflict') return conflictPage(reply, episode, result.current);
      return reply.redirect(doneHref(episode.id, 'updated', result.saved.stage));
    } catch (error) {
      if (error instanceof ValidationFailed) return formPage(reply.code(400), principal, episode, { values, errors: placeErrors(error.errors), jobId });
      throw error;
    }
  });

  async function endPage(reply: FastifyReply, principal: Principal, params: JobParams, context: { values?: EndFormValues; errors?: unknown[] } = {}) {
    const { episode, job } = await jobs.getJob(db, principal, params.id, params.jobId);
    const { reference } = await jobs.formChoices(db, principal);
    const values = context.values ?? endFormFrom(job);
    return reply.view('jobs/views/end.njk', {
      pageTitle: 'Record the job ending',
      episode,
      job,
      values,
      errors: context.errors,
      reasons: reference.options('job_end_reason', values.endReason),
    });
  }

  app.get<{ Params: JobParams }>('/episodes/:id/jobs/:jobId/end', async (request, reply) =>
    endPage(reply, requirePermission(request, 'people:edit'), request.params),
  );

  app.post<{ Params: JobParams }>('/episodes/:id/jobs/:jobId/end', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { id, jobId } = request.params;
    const episode = await jobs.episodeFor(db, principal, id);
    const values = readEndForm(request.body);
    try {
      const result = await jobs.endJob(db, principal, episode.id, jobId, { ...endInputFrom(values), version: values.version ?? '' });
      if (result.outcome === 'conflict') return conflictPage(reply, episode, result.current);
      return reply.redirect(doneHref(episode.id, 'ended', result.saved.stage));
    } catch (error) {
      if (error instanceof ValidationFailed) return endPage(reply.code(400), principal, request.params, { values, errors: placeErrors(error.errors) });
      throw error;
    }
  });

  async function checkpointPage(reply: FastifyReply, principal: Principal, params: CheckpointParams, context: { values?: CheckpointFormValues; errors?: unknown[] } = {}) {
    const weeks = weeksOf(params.weeks);
    const { episode, job } = await jobs.getJob(db, principal, params.id, params.jobId);
    const checkpoint = job.checkpoints.find((c) => c.weeks === weeks)!;
    const confirmed = checkpoint.confirmation;
    return reply.view('jobs/views/checkpoint.njk', {
      pageTitle: `Confirm ${weeks}-week checkpoint`,
      episode,
      job,
      checkpoint,
      canConfirm: checkpoint.dueOn !== null && checkpoint.status !== 'upcoming' && !checkpoint.reason,
      values: context.values ?? {
        stillInWork: confirmed ? (confirmed.stillInWork ? 'yes' : 'no') : '',
        confirmedOn: confirmed ? { day: String(Number(confirmed.confirmedOn.slice(8))), month: String(Number(confirmed.confirmedOn.slice(5, 7))), year: confirmed.confirmedOn.slice(0, 4) } : { day: '', month: '', year: '' },
      },
      errors: context.errors,
    });
  }

  app.get<{ Params: CheckpointParams }>('/episodes/:id/jobs/:jobId/checkpoints/:weeks', async (request, reply) =>
    checkpointPage(reply, requirePermission(request, 'people:edit'), request.params),
  );

  app.post<{ Params: CheckpointParams }>('/episodes/:id/jobs/:jobId/checkpoints/:weeks', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const weeks = weeksOf(request.params.weeks);
    const values = readCheckpointForm(request.body);
    try {
      const saved = await jobs.confirmCheckpoint(db, principal, request.params.id, request.params.jobId, weeks, checkpointInputFrom(values));
      return reply.redirect(doneHref(request.params.id, 'checkpoint', saved.stage));
    } catch (error) {
      if (error instanceof ValidationFailed) return checkpointPage(reply.code(400), principal, request.params, { values, errors: placeErrors(error.errors) });
      throw error;
    }
  });

  await jobApiRoutes(app, deps);
}
