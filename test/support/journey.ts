import { recomputeEpisodes } from '../../src/modules/engagement/service.ts';
import type { TestApp } from './app.ts';

let counter = 0;

/**
 * A person with one episode, inserted directly: a fixture for tests of
 * modules that build on people and episodes, so they do not depend on the
 * forms that create them.
 */
export async function personWithEpisode(
  t: TestApp,
  organisationId: string,
  options: { referredOn?: string; keyWorkerId?: string | null; teamId?: string | null; givenName?: string; familyName?: string } = {},
): Promise<{ personId: string; episodeId: string }> {
  counter += 1;
  const db = t.deps.db;
  const person = await db
    .insertInto('person')
    .values({
      organisation_id: organisationId,
      given_name: options.givenName ?? `Given${counter}`,
      family_name: options.familyName ?? `Family${counter}`,
      date_of_birth: '1990-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const referredOn = options.referredOn ?? '2026-01-05';
  const episode = await db
    .insertInto('episode')
    .values({
      organisation_id: organisationId,
      person_id: person.id,
      referred_on: referredOn,
      key_worker_id: options.keyWorkerId ?? null,
      team_id: options.teamId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('referral')
    .values({ episode_id: episode.id, organisation_id: organisationId, received_on: referredOn, status: 'accepted', source_code: 'probation' })
    .execute();
  return { personId: person.id, episodeId: episode.id };
}

/** A contact inserted directly, then the episode's stage recomputed, as the contacts service would. */
export async function contactFor(
  t: TestApp,
  organisationId: string,
  episodeId: string,
  contact: { at: string; type?: string; setting?: string; with?: string; attended?: boolean; deleted?: boolean },
): Promise<string> {
  const row = await t.deps.db
    .insertInto('contact')
    .values({
      organisation_id: organisationId,
      episode_id: episodeId,
      occurred_at: new Date(contact.at),
      type_code: contact.type ?? 'face_to_face',
      setting_code: contact.setting ?? 'community',
      with_code: contact.with ?? 'person',
      attended: contact.attended ?? true,
      deleted_at: contact.deleted ? new Date() : null,
      delete_reason: contact.deleted ? 'entered in error' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recomputeEpisodes(t.deps.db, organisationId, [episodeId]);
  return row.id;
}

export async function episodeRow(t: TestApp, episodeId: string) {
  return t.deps.db.selectFrom('episode').selectAll().where('id', '=', episodeId).executeTakeFirstOrThrow();
}
