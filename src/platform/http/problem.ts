import type { FastifyReply } from 'fastify';

/** RFC 9457 problem details, the only error shape the API returns. */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), instance: reply.request.url.split('?')[0], ...extra });
}
