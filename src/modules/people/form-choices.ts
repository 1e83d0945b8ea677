import { can } from '../../platform/auth/permissions.ts';
import type { Principal } from '../../platform/http/context.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import * as people from './service.ts';

/** Reference lists as the form's radios, selects and checkboxes want them. */
export async function formChoices(deps: Deps, principal: Principal, values: Omit<people.PersonInput, 'dateOfBirth'>) {
  const reference = await loadReferenceData(deps.db, principal.organisationId, people.PERSON_LISTS);
  const blank = (text: string) => [{ value: '', text }];
  return {
    sexItems: reference.options('sex', values.sex),
    ethnicityItems: [...blank('Not known'), ...reference.options('ethnicity', values.ethnicity, 'selected')],
    rightToWorkItems: [...blank('Not known'), ...reference.options('right_to_work', values.rightToWork, 'selected')],
    primaryDiagnosisItems: [...blank('None or not known'), ...reference.options('diagnosis', values.primaryDiagnosis, 'selected')],
    secondaryDiagnosisItems: reference
      .choices('diagnosis')
      .map((item) => ({ value: item.code, text: item.label, checked: (values.secondaryDiagnoses ?? []).includes(item.code) })),
    offenceItems: [...blank('Not known'), ...reference.options('offence_category', values.offenceCategory, 'selected')],
    includeRestricted: can(principal.role, 'people:view-restricted'),
  };
}

