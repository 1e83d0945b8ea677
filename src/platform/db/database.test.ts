import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PGLITE_SHARED_BUFFERS_MB } from '../config.ts';
import { openPGlite } from './database.ts';

async function sharedBuffers(sharedBuffersMb?: number): Promise<string> {
  const database = await openPGlite(undefined, { sharedBuffersMb });
  try {
    return await database.withSession(async (session) => (await session.query<{ shared_buffers: string }>('show shared_buffers'))[0].shared_buffers);
  } finally {
    await database.close();
  }
}

test('PGlite starts with the configured shared_buffers, and the default one when none is given', async () => {
  assert.equal(await sharedBuffers(8), '8MB');
  assert.equal(await sharedBuffers(), `${DEFAULT_PGLITE_SHARED_BUFFERS_MB}MB`);
});
