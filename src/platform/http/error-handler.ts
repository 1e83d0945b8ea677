import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomToken } from '../auth/secrets.ts';
import { isApiRequest } from './authenticate.ts';
import { HttpError, ValidationFailed } from './errors.ts';
import { SecondFactorRequired, SignInRequired } from './guards.ts';
import { sendProblem } from './problem.ts';

const PAGE_TEXT: Record<number, { heading: string; paragraphs: string[] }> = {
  400: { heading: 'There is a problem with the request', paragraphs: ['Go back and check what you entered.'] },
  403: {
    heading: 'You do not have permission to see this page',
    paragraphs: ['If you think you should, ask your organisation administrator.'],
  },
  404: {
    heading: 'Page not found',
    paragraphs: ['If you typed the web address, check it is correct.', 'If you pasted the web address, check you copied the entire address.'],
  },
  413: { heading: 'The file or form was too large', paragraphs: ['Go back and send something smaller.'] },
  429: { heading: 'Too many attempts', paragraphs: ['Wait a minute, then try again.'] },
  500: {
    heading: 'Sorry, there is a problem with the service',
    paragraphs: ['Try again later. What you entered has not been saved.'],
  },
};

function pageFor(status: number) {
  return PAGE_TEXT[status] ?? PAGE_TEXT[status >= 500 ? 500 : 400];
}

function statusOf(error: FastifyError | HttpError): number {
  if (error instanceof HttpError) return error.statusCode;
  const status = (error as FastifyError).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    if (isApiRequest(request.url)) {
      return sendProblem(reply, 404, 'Not found', `No API route matches ${request.method} ${request.url.split('?')[0]}.`);
    }
    return reply.code(404).view('error.njk', { pageTitle: 'Page not found', ...pageFor(404) });
  });

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const api = isApiRequest(request.url);
    if (error instanceof SignInRequired && !api) {
      const returnTo = request.method === 'GET' ? `?returnTo=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/sign-in${returnTo}`);
    }
    if (error instanceof SecondFactorRequired && !api) {
      return reply.redirect(error.enrolled ? '/sign-in/two-factor' : '/account/two-factor/setup');
    }
    const status = statusOf(error);
    let reference: string | undefined;
    if (status >= 500) {
      reference = randomToken(6);
      request.log.error({ err: error, reference }, 'request failed');
    } else {
      request.log.info({ statusCode: status, code: error.code }, error.message);
    }

    if (api) {
      if (error.validation) {
        return sendProblem(reply, 400, 'Invalid request', 'The request did not match the schema.', {
          errors: error.validation.map((issue) => ({
            pointer: `${issue.instancePath || '/'}`,
            detail: issue.message,
            ...(issue.params && 'additionalProperty' in issue.params
              ? { detail: `unknown field "${issue.params.additionalProperty}"` }
              : {}),
          })),
        });
      }
      if (error instanceof ValidationFailed) {
        return sendProblem(reply, 400, 'Invalid request', error.detail, {
          errors: error.errors.map((e) => ({ pointer: `/${e.field}`, detail: e.text })),
        });
      }
      if (error instanceof SignInRequired) reply.header('www-authenticate', 'Bearer realm="throughgate"');
      if (error instanceof HttpError) {
        return sendProblem(reply, status, error.title, error.detail, error.extra);
      }
      const title = status >= 500 ? 'Internal error' : (PAGE_TEXT[status]?.heading ?? 'Bad request');
      const detail = status >= 500 ? `Something went wrong on our side. Reference ${reference}.` : error.message;
      return sendProblem(reply, status, title, detail);
    }

    const page = pageFor(status);
    const paragraphs = error instanceof HttpError && error.detail && status < 500 ? [error.detail] : page.paragraphs;
    return reply.code(status).view('error.njk', {
      pageTitle: page.heading,
      heading: page.heading,
      paragraphs,
      reference,
    });
  });
}
