import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Keeps an uploaded file between its preview and the confirmed import, on the
 * server (outside the web root), keyed by batch id, so the browser never has
 * to send it twice and cannot swap it in between. Files of previews nobody
 * confirmed are swept after a day.
 */
const DIRECTORY = path.join(os.tmpdir(), 'throughgate-imports');
const KEEP_MS = 24 * 60 * 60 * 1000;

export interface StoredUpload {
  content: Buffer;
  defaultSourceSystem: string;
}

function fileFor(batchId: string, suffix: 'upload' | 'json'): string {
  // batchId is a UUID checked by the caller; path.basename is a second guard against a path in it.
  return path.join(DIRECTORY, `${path.basename(batchId)}.${suffix}`);
}

export async function storeUpload(batchId: string, upload: StoredUpload): Promise<void> {
  await mkdir(DIRECTORY, { recursive: true, mode: 0o700 });
  await writeFile(fileFor(batchId, 'upload'), upload.content, { mode: 0o600 });
  await writeFile(fileFor(batchId, 'json'), JSON.stringify({ defaultSourceSystem: upload.defaultSourceSystem }), { mode: 0o600 });
}

export async function loadUpload(batchId: string): Promise<StoredUpload | null> {
  try {
    const content = await readFile(fileFor(batchId, 'upload'));
    const meta = JSON.parse(await readFile(fileFor(batchId, 'json'), 'utf8')) as { defaultSourceSystem?: string };
    return { content, defaultSourceSystem: meta.defaultSourceSystem ?? '' };
  } catch {
    return null;
  }
}

export async function discardUpload(batchId: string): Promise<void> {
  await rm(fileFor(batchId, 'upload'), { force: true });
  await rm(fileFor(batchId, 'json'), { force: true });
}

/** Removes uploads older than a day: previews that were never confirmed. */
export async function sweepOldUploads(now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await readdir(DIRECTORY);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(DIRECTORY, name);
    try {
      if (now - (await stat(file)).mtimeMs > KEEP_MS) await rm(file, { force: true });
    } catch {
      // Another process swept it first.
    }
  }
}
