import type { DateFieldError, DateParts } from '../../platform/http/date-input.ts';
import type { ComputedFigure } from './computed.ts';
import { longDate } from './computed.ts';
import { FIDELITY_ITEMS, type FidelitySection, SECTION_LABELS } from './items.ts';
import type { ReviewFormValues } from './review-form.ts';

/** What the form page shows: the review's boxes, then the 25 items by section, each with its figure from the records where there is one. */
export function formPageContext(
  context: {
    values: ReviewFormValues;
    figures: Record<string, ComputedFigure>;
    figuresOn: string;
    teams: Array<{ id: string; name: string }>;
    errors?: DateFieldError[];
    on?: DateParts;
  },
) {
  const { values, figures } = context;
  return {
    values,
    errors: context.errors,
    on: context.on ?? { day: '', month: '', year: '' },
    figuresOn: longDate(context.figuresOn),
    teams: [{ value: '', text: 'The whole organisation', selected: !values.teamId }, ...context.teams.map((team) => ({ value: team.id, text: team.name, selected: values.teamId === team.id }))],
    sections: (Object.keys(SECTION_LABELS) as FidelitySection[]).map((section) => ({
      label: SECTION_LABELS[section],
      items: FIDELITY_ITEMS.filter((item) => item.section === section).map((item) => {
        const entered = values.items[item.code];
        const figure = figures[item.code];
        return {
          item,
          entered,
          figure: figure ?? null,
          scores: item.anchors.map((anchor, index) => ({
            value: String(index + 1),
            text: `${index + 1}${figure?.value && figure.score === index + 1 ? ' (implied by the records)' : ''}`,
            hint: { text: anchor },
            checked: entered.score === String(index + 1),
          })),
        };
      }),
    })),
  };
}
