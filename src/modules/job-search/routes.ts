import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/http/context.ts';
import { parseDateInput, readDateParts, type DateFieldError, type DateParts, isoDate } from '../../platform/http/date-input.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { Conflict, ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import { parseVersion } from '../custody/episode-access.ts';
import type { EpisodeHeader } from '../episodes/service.ts';
import { type ActivityFormValues, activityInputFrom, blankActivityForm, placeErrors, readActivityForm } from './activity-form.ts';
import { jobSearchApiRoutes } from './api.ts';
import { attachmentDisposition, MAX_CV_BYTES } from './file-type.ts';
import * as jobSearch from './service.ts';
import { ACTIVITY_KINDS, type ActivityKind } from './tables.ts';

const PAGE_SIZE = 25;
type EpisodeParams = { id: string };
type ActivityParams = { id: string; activityId: string };

// The CV of a request, read by the multipart parser before the route runs.
const uploads = new WeakMap<FastifyRequest, jobSearch.UploadedFile>();

/** The list's address: the kind filter and the page are kept in every link. */
export function jobSearchHref(episodeId: string, kind: ActivityKind | '', page = 1): string {
  const params = new URLSearchParams();
  if (kind) params.set('kind', kind);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/episodes/${episodeId}/job-search${query ? `?${query}` : ''}`;
}

const DONE_MESSAGES: Record<string, string> = {
  saved: 'Activity saved',
  deleted: 'Activity deleted',
  dates: 'Job search dates saved',
};

const kindChoices = (current: string) => ACTIVITY_KINDS.map((kind) => ({ value: kind, text: jobSearch.KIND_LABELS[kind], checked: kind === current }));

export async function jobSearchRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: EpisodeParams }>('/episodes/:id/job-search', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const query = request.query as Record<string, unknown>;
    const kind = jobSearch.isActivityKind(query.kind) ? query.kind : '';
    const page = pageNumber(query.page);
    const result = await jobSearch.getJobSearch(db, principal, request.params.id, { kind, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = pageCount(result.total, PAGE_SIZE);
    if (page > pages) return reply.redirect(jobSearchHref(result.episode.id, kind, pages));
    return reply.view('job-search/views/list.njk', {
      pageTitle: `Job search: ${result.episode.personName}${pages > 1 ? ` (page ${page} of ${pages})` : ''}`,
      ...result,
      kind,
      kindLabel: kind ? jobSearch.KIND_LABELS[kind] : '',
      kindFilter: [{ value: '', text: 'All kinds' }, ...ACTIVITY_KINDS.map((value) => ({ value, text: jobSearch.KIND_LABELS[value], selected: value === kind }))],
      rapidLimit: jobSearch.RAPID_JOB_SEARCH_DAYS,
      firstShown: (page - 1) * PAGE_SIZE + 1,
      lastShown: (page - 1) * PAGE_SIZE + result.activities.length,
      pagination: pagination(page, pages, (n) => jobSearchHref(result.episode.id, kind, n)),
      canEdit: jobSearch.canEdit(principal),
      flash: typeof query.done === 'string' ? DONE_MESSAGES[query.done] : undefined,
    });
  });

  async function formPage(reply: FastifyReply, principal: Principal, episode: EpisodeHeader, values: ActivityFormValues, errors?: unknown[]) {
    const { reference, employers } = await jobSearch.formChoices(db, principal);
    const kind = values.kind as ActivityKind;
    return reply.view('job-search/views/form.njk', {
      pageTitle: `Record: ${jobSearch.KIND_LABELS[kind].toLowerCase()}`,
      episode,
      kind,
      kindLabel: jobSearch.KIND_LABELS[kind],
      action: `/episodes/${episode.id}/job-search/new?kind=${kind}`,
      cancelHref: `/episodes/${episode.id}/job-search`,
      values,
      errors,
      mayBeFuture: kind === 'interview' || kind === 'training_course',
      maxMegabytes: MAX_CV_BYTES / 1024 / 1024,
      employers: [{ value: '', text: 'Not in the list' }, ...employers.map((employer) => ({ value: employer.id, text: employer.name, selected: employer.id === values.employerId }))],
      outcomes: [{ value: '', text: 'Not known yet' }, ...reference.options('job_search_outcome', values.outcome, 'selected')],
    });
  }

  app.get<{ Params: EpisodeParams }>('/episodes/:id/job-search/new', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const episode = await jobSearch.episodeFor(db, principal, request.params.id);
    const kind = (request.query as Record<string, unknown>).kind;
    if (!jobSearch.isActivityKind(kind)) {
      return reply.view('job-search/views/choose-kind.njk', { pageTitle: 'What kind of activity?', episode, kinds: kindChoices(''), errors: kind === undefined ? undefined : [{ field: 'kind', text: 'Select the kind of activity' }] });
    }
    return formPage(reply, principal, episode, blankActivityForm(kind));
  });

  // Multipart (for the CV) is accepted by this one route only, with its own size limit; other forms stay URL-encoded.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      // Past the limit the file is cut short and flagged, so the form can say so rather than answer 413.
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_CV_BYTES, files: 1, fields: 30, fieldSize: 20_000, parts: 32 },
      async onFile(this: FastifyRequest, part: MultipartFile) {
        const content = await part.toBuffer();
        if (part.fieldname === 'file') uploads.set(this, { fileName: part.filename ?? '', content, tooLarge: part.file.truncated });
      },
    });

    scope.post<{ Params: EpisodeParams }>('/episodes/:id/job-search/new', async (request, reply) => {
      const principal = requirePermission(request, 'people:edit');
      const episode = await jobSearch.episodeFor(db, principal, request.params.id);
      const queryKind = (request.query as Record<string, unknown>).kind;
      const kind = jobSearch.isActivityKind(queryKind) ? queryKind : formString(request.body, 'kind');
      if (!jobSearch.isActivityKind(kind)) {
        return reply.code(400).view('job-search/views/choose-kind.njk', { pageTitle: 'What kind of activity?', episode, kinds: kindChoices(''), errors: [{ field: 'kind', text: 'Select the kind of activity' }] });
      }
      const values = readActivityForm(request.body, kind);
      try {
        await jobSearch.createActivity(db, principal, episode.id, activityInputFrom(values, uploads.get(request) ?? null));
        return reply.redirect(`${jobSearchHref(episode.id, '')}?done=saved`);
      } catch (error) {
        if (error instanceof ValidationFailed) return formPage(reply.code(400), principal, episode, values, placeErrors(error.errors));
        throw error;
      }
    });
  });

  function datesPage(reply: FastifyReply, episode: EpisodeHeader, values: { startedOn: DateParts; version: string }, errors?: unknown[]) {
    return reply.view('job-search/views/dates.njk', { pageTitle: 'When the job search started', episode, values, errors });
  }

  app.get<{ Params: EpisodeParams }>('/episodes/:id/job-search/dates', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { episode, startedOn, version } = await jobSearch.getDates(db, principal, request.params.id);
    const [year, month, day] = startedOn ? startedOn.split('-') : ['', '', ''];
    const parts = startedOn ? { day: String(Number(day)), month: String(Number(month)), year } : { day: '', month: '', year: '' };
    return datesPage(reply, episode, { startedOn: parts, version: version === null ? '' : String(version) });
  });

  app.post<{ Params: EpisodeParams }>('/episodes/:id/job-search/dates', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const episode = await jobSearch.episodeFor(db, principal, request.params.id);
    const values = { startedOn: readDateParts(request.body, 'startedOn'), version: formString(request.body, 'version') };
    const errors: DateFieldError[] = [];
    const date = parseDateInput(values.startedOn, 'The date the job search started', 'startedOn', errors);
    try {
      await jobSearch.saveDates(db, principal, episode.id, { startedOn: date ? isoDate(date) : null, version: parseVersion(values.version), errors });
      return reply.redirect(`${jobSearchHref(episode.id, '')}?done=dates`);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        const placed = error.errors.map((e) => (e.field === 'startedOn' ? { ...e, field: 'startedOn-day', parts: ['day', 'month', 'year'] } : e));
        return datesPage(reply.code(400), episode, values, placed);
      }
      if (error instanceof Conflict) {
        return reply.code(409).view('job-search/views/conflict.njk', { pageTitle: 'The dates were changed by someone else', episode, message: error.detail });
      }
      throw error;
    }
  });

  app.get<{ Params: ActivityParams }>('/episodes/:id/job-search/:activityId', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const { episode, activity } = await jobSearch.getActivity(db, principal, request.params.id, request.params.activityId);
    return reply.view('job-search/views/activity.njk', {
      pageTitle: `${activity.kindLabel}: ${episode.personName}`,
      episode,
      activity,
      canEdit: jobSearch.canEdit(principal) && !activity.deleted,
    });
  });

  app.get<{ Params: ActivityParams }>('/episodes/:id/job-search/:activityId/delete', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const { episode, activity } = await jobSearch.getActivityToDelete(db, principal, request.params.id, request.params.activityId);
    const activityHref = `/episodes/${episode.id}/job-search/${activity.id}`;
    if (activity.deleted) return reply.redirect(activityHref);
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: 'Delete this activity',
      question: `Delete this activity: ${activity.kindLabel.toLowerCase()} on ${activity.occurredOn}?`,
      explanation: 'It will no longer show or count in the job search. It is kept in the record’s history, and any CV stays on the person’s record.',
      warning: true,
      action: `${activityHref}/delete`,
      confirmText: 'Delete activity',
      cancelHref: activityHref,
      hidden: {},
    });
  });

  app.post<{ Params: ActivityParams }>('/episodes/:id/job-search/:activityId/delete', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    await jobSearch.deleteActivity(db, principal, request.params.id, request.params.activityId);
    return reply.redirect(`${jobSearchHref(request.params.id, '')}?done=deleted`);
  });

  app.get<{ Params: { fileId: string } }>('/files/:fileId', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const file = await jobSearch.downloadFile(db, principal, request.params.fileId);
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', attachmentDisposition(file.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(file.content);
  });

  await jobSearchApiRoutes(app, deps);
}
