import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import type { PersonSummary } from '../people/service.ts';
import type { ReferenceData } from '../reference-data/service.ts';
import { vocationalProfileApiRoutes } from './api.ts';
import { type ProfileFormValues, profileFormFrom, profileInputFrom, readProfileForm, withBlankRows } from './profile-form.ts';
import * as profiles from './service.ts';

type PersonParams = { personId: string };
type VersionParams = { personId: string; profileVersion: string };

const personName = (person: PersonSummary) => `${person.preferredName || person.givenName} ${person.familyName}`;

export async function vocationalProfileRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: PersonParams }>('/people/:personId/vocational-profile', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const page = await profiles.viewProfile(db, principal, request.params.personId);
    const saved = (request.query as Record<string, unknown>).saved;
    return reply.view('vocational-profile/views/profile.njk', {
      pageTitle: `Vocational profile: ${personName(page.person)}`,
      person: page.person,
      personName: personName(page.person),
      profile: page.current,
      versions: page.versions,
      canEdit: profiles.canEdit(principal),
      flash: typeof saved === 'string' && /^\d{1,9}$/.test(saved) ? `Vocational profile saved as version ${saved}` : undefined,
    });
  });

  app.get<{ Params: VersionParams }>('/people/:personId/vocational-profile/versions/:profileVersion', async (request, reply) => {
    const principal = requirePermission(request, 'people:view');
    const page = await profiles.viewVersion(db, principal, request.params.personId, request.params.profileVersion);
    return reply.view('vocational-profile/views/version.njk', {
      pageTitle: `Vocational profile version ${page.profile.version}: ${personName(page.person)}`,
      personName: personName(page.person),
      ...page,
    });
  });

  function formPage(reply: FastifyReply, person: PersonSummary, reference: ReferenceData, values: ProfileFormValues, errors?: unknown[]) {
    const checkboxes = (list: string, chosen: string[]) =>
      reference.choices(list).map((item) => ({ value: item.code, text: item.label, checked: chosen.includes(item.code) }));
    return reply.view('vocational-profile/views/form.njk', {
      pageTitle: values.basedOnVersion === '0' ? 'Start the vocational profile' : 'Update the vocational profile',
      person,
      personName: personName(person),
      values,
      errors,
      jobTypes: checkboxes('soc_major_group', values.preferredJobTypes),
      licenceConditions: checkboxes('licence_condition', values.licenceConditions),
      identityDocuments: checkboxes('identity_document', values.identityDocuments),
      disclosureDecisions: [{ value: '', text: 'Not recorded', checked: !values.disclosureDecision }, ...reference.options('disclosure_decision', values.disclosureDecision)],
      qualificationKinds: (current: string) => [{ value: '', text: 'Choose a kind' }, ...reference.options('qualification_kind', current, 'selected')],
    });
  }

  app.get<{ Params: PersonParams }>('/people/:personId/vocational-profile/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const page = await profiles.viewProfile(db, principal, request.params.personId, 'vocational-profile.edit-viewed');
    return formPage(reply, page.person, page.reference, profileFormFrom(page.current));
  });

  app.post<{ Params: PersonParams }>('/people/:personId/vocational-profile/edit', async (request, reply) => {
    const principal = requirePermission(request, 'people:edit');
    const values = readProfileForm(request.body);
    try {
      const result = await profiles.saveProfile(db, principal, request.params.personId, profileInputFrom(values));
      if (result.outcome === 'conflict') {
        const page = await profiles.viewProfile(db, principal, request.params.personId, 'vocational-profile.conflict-viewed');
        return reply.code(409).view('vocational-profile/views/conflict.njk', {
          pageTitle: 'The vocational profile was changed by someone else',
          person: page.person,
          personName: personName(page.person),
          profile: result.current,
        });
      }
      return reply.redirect(`/people/${request.params.personId}/vocational-profile?saved=${result.version}`);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        const page = await profiles.viewProfile(db, principal, request.params.personId, 'vocational-profile.edit-viewed');
        return formPage(reply.code(400), page.person, page.reference, withBlankRows(values), error.errors);
      }
      throw error;
    }
  });

  await vocationalProfileApiRoutes(app, deps);
}
