import type { FastifyInstance, FastifyReply } from 'fastify';
import { lineChart } from '../../platform/charts/svg.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { fidelityApiRoutes } from './api.ts';
import { formPageContext } from './form-view.ts';
import * as fidelity from './service.ts';

type ReviewParams = { reviewId: string };

/** Items charted when none are chosen: three the records inform. */
const DEFAULT_CHART_ITEMS = ['caseload_size', 'rapid_job_search', 'competitive_jobs'];
/** One line per colour and dash style the chart has. */
const MAX_CHART_ITEMS = 6;

/** The items chosen for the trend chart, from ?items=CODE (repeated), in scale order. */
export function chosenItems(query: unknown): { codes: string[]; tooMany: boolean } {
  const raw = (query as Record<string, unknown> | undefined)?.items;
  const asked = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
  if (asked.length === 0) return { codes: DEFAULT_CHART_ITEMS, tooMany: false };
  const codes = fidelity.FIDELITY_ITEMS.map((item) => item.code).filter((code) => asked.includes(code));
  return { codes: codes.slice(0, MAX_CHART_ITEMS), tooMany: codes.length > MAX_CHART_ITEMS };
}

export async function fidelityRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/fidelity-reviews', async (request, reply) => {
    const principal = requirePermission(request, 'reports:view-aggregate');
    const { reviews, scores } = await fidelity.listReviews(db, principal);
    const chosen = chosenItems(request.query);
    const oldestFirst = [...reviews].reverse();
    const categories = oldestFirst.map((review) => fidelity.longDate(review.reviewedOn));
    const itemSeries = chosen.codes.map((code) => {
      const item = fidelity.fidelityItem(code);
      return { code, name: `${item?.number}. ${item?.title}`, values: oldestFirst.map((review) => scores.get(review.id)?.get(code) ?? null) };
    });
    const dateRange = oldestFirst.length > 0 ? ` from ${categories[0]} to ${categories[categories.length - 1]}` : '';
    return reply.view('fidelity/views/list.njk', {
      pageTitle: 'IPS fidelity reviews',
      reviews,
      canRecord: fidelity.canRecord(principal),
      chart: {
        total:
          oldestFirst.length > 0
            ? lineChart({
                id: 'fidelity-total',
                title: 'Total fidelity score by review',
                description: `The total score (25 to 125) of each of ${oldestFirst.length} reviews${dateRange}. The figures are in the table beside the chart.`,
                categories,
                series: [{ name: 'Total score', values: oldestFirst.map((review) => review.total) }],
                valueLabel: 'Total score',
                max: 125,
              })
            : null,
        items:
          oldestFirst.length > 0 && itemSeries.length > 0
            ? lineChart({
                id: 'fidelity-items',
                title: 'Chosen item scores by review',
                description: `Scores (1 to 5) of ${itemSeries.map((series) => series.name).join('; ')} in each review${dateRange}. The figures are in the table beside the chart.`,
                categories,
                series: itemSeries.map(({ name, values }) => ({ name, values })),
                valueLabel: 'Score',
                max: 5,
              })
            : null,
      },
      oldestFirst,
      itemSeries,
      itemChoices: fidelity.FIDELITY_ITEMS.map((item) => ({ value: item.code, text: `${item.number}. ${item.title}`, checked: chosen.codes.includes(item.code) })),
      tooMany: chosen.tooMany,
      maxChartItems: MAX_CHART_ITEMS,
    });
  });

  async function formPage(reply: FastifyReply, context: Parameters<typeof formPageContext>[0]) {
    return reply.view('fidelity/views/form.njk', { pageTitle: 'Record an IPS fidelity review', ...formPageContext(context) });
  }

  app.get('/fidelity-reviews/new', async (request, reply) => {
    const principal = requirePermission(request, 'fidelity:manage');
    const form = await fidelity.newReview(db, principal, request.query);
    return formPage(form.errors.length > 0 ? reply.code(400) : reply, form);
  });

  app.post('/fidelity-reviews', async (request, reply) => {
    const principal = requirePermission(request, 'fidelity:manage');
    const values = fidelity.readReviewForm(request.body);
    const result = await fidelity.createReview(db, principal, values);
    if (result.outcome === 'saved') return reply.redirect(`/fidelity-reviews/${result.reviewId}?done=created`);
    return formPage(reply.code(400), { values, ...result });
  });

  app.get<{ Params: ReviewParams }>('/fidelity-reviews/:reviewId', async (request, reply) => {
    const principal = requirePermission(request, 'reports:view-aggregate');
    const { review, items } = await fidelity.getReview(db, principal, request.params.reviewId);
    return reply.view('fidelity/views/review.njk', {
      pageTitle: `IPS fidelity review, ${fidelity.longDate(review.reviewedOn)}`,
      flash: (request.query as Record<string, unknown>).done === 'created' ? 'Fidelity review saved' : undefined,
      review,
      sections: (['staffing', 'organisation', 'services'] as const).map((section) => ({
        label: fidelity.SECTION_LABELS[section],
        items: items.filter((entry) => entry.item.section === section),
      })),
    });
  });

  await fidelityApiRoutes(app, deps);
}
