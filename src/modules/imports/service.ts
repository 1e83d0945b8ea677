import { createHash } from 'node:crypto';
import * as audit from '../../platform/audit/service.ts';
import type { Db } from '../../platform/db/database.ts';
import { actorOf, type Principal } from '../../platform/http/context.ts';
import { Conflict, NotFound, ValidationFailed } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/http/forms.ts';
import { assertCan } from '../../platform/http/guards.ts';
import { loadReferenceData } from '../reference-data/service.ts';
import { FileRejected, type FileRow, readReferralsFile } from './format.ts';
import { type CheckedRow, type ChunkRetried, importChunk } from './import-chunk.ts';
import * as queries from './queries.ts';
import { discardUpload, loadUpload, storeUpload, sweepOldUploads } from './upload-store.ts';
import { checkRow, IMPORT_LISTS } from './validate.ts';

export { COLUMNS } from './format.ts';

/** The largest file the importer takes: about 50,000 referrals. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Rows a run writes per transaction (and per progress update): see docs/decisions/0020. */
const CHUNK_ROWS = 2000;
const PREVIEW_ROWS = 10;
const ERRORS_SHOWN = 1000;

export const STATUS_LABELS = { previewed: 'Waiting to import', running: 'Importing', finished: 'Finished', failed: 'Failed' } as const;

export interface Upload {
  fileName: string;
  content: Buffer;
  /** Used for rows with no source_system of their own. */
  defaultSourceSystem?: string;
}

/** London calendar date: "received in the future" is judged by the local calendar. */
function londonToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

function uploadErrors(upload: Upload): { fileName: string; defaultSourceSystem: string } {
  const fileName = upload.fileName.trim().split(/[\\/]/).pop() ?? '';
  const defaultSourceSystem = (upload.defaultSourceSystem ?? '').trim();
  const errors = [];
  if (!fileName || upload.content.length === 0) errors.push({ field: 'file', text: 'Select a CSV or JSON Lines file of referrals' });
  if (defaultSourceSystem.length > 100) errors.push({ field: 'sourceSystem', text: 'Source system must be 100 characters or fewer' });
  if (errors.length > 0) throw new ValidationFailed(errors);
  return { fileName: fileName.slice(0, 200), defaultSourceSystem };
}

function readOrReject(fileName: string, content: Buffer, defaultSourceSystem: string) {
  try {
    return readReferralsFile(fileName, content, { defaultSourceSystem });
  } catch (error) {
    if (error instanceof FileRejected) throw new ValidationFailed([{ field: 'file', text: error.message }]);
    throw error;
  }
}

interface Analysis {
  errors: Array<{ line: number; reason: string }>;
  wouldSkip: number;
  wouldImport: number;
}

const pairKey = (source: string, id: string) => `${source}\u0000${id}`;

/** Checks every row without writing: which would import, which would be skipped as already imported, which are wrong. */
async function analyse(db: Db, organisationId: string, rows: FileRow[]): Promise<Analysis> {
  const reference = await loadReferenceData(db, organisationId, IMPORT_LISTS);
  const today = londonToday();
  const errors: Analysis['errors'] = [];
  const good: Array<{ source: string; id: string }> = [];
  for (const row of rows) {
    if (row.problems.length > 0) {
      errors.push({ line: row.line, reason: row.problems.join('; ') });
      continue;
    }
    const check = checkRow(row.values, reference, today);
    if (check.ok) good.push({ source: check.row.sourceSystem, id: check.row.externalId });
    else errors.push({ line: row.line, reason: check.problems.join('; ') });
  }
  const existing = await queries.existingExternalIds(db, organisationId, good);
  const seen = new Set<string>();
  let wouldSkip = 0;
  for (const pair of good) {
    const key = pairKey(pair.source, pair.id);
    // A row repeated within the file is skipped the second time, like one imported before.
    if (existing.has(key) || seen.has(key)) wouldSkip += 1;
    seen.add(key);
  }
  return { errors, wouldSkip, wouldImport: good.length - wouldSkip };
}

/**
 * Step one: reads and checks an uploaded file, records a batch waiting to be
 * confirmed (with its row errors), and keeps the file on the server for the
 * run. Nothing about people or referrals is written yet.
 */
export async function previewImport(db: Db, principal: Principal, upload: Upload) {
  assertCan(principal, 'imports:run');
  const { fileName, defaultSourceSystem } = uploadErrors(upload);
  const parsed = readOrReject(fileName, upload.content, defaultSourceSystem);
  const analysis = await analyse(db, principal.organisationId, parsed.rows);
  await sweepOldUploads();
  const batch = await db.transaction().execute(async (trx) => {
    const created = await queries.insertBatch(trx, {
      organisation_id: principal.organisationId,
      file_name: fileName,
      file_sha256: createHash('sha256').update(upload.content).digest('hex'),
      created_by: principal.userId,
    });
    await queries.updateBatch(trx, principal.organisationId, created.id, {
      total_rows: parsed.rows.length,
      skipped_rows: analysis.wouldSkip,
      error_rows: analysis.errors.length,
    });
    await queries.replaceRowErrors(trx, principal.organisationId, created.id, analysis.errors);
    await audit.record(trx, {
      organisationId: principal.organisationId,
      actor: actorOf(principal),
      action: 'import.previewed',
      subjectType: 'import_batch',
      subjectId: created.id,
      detail: { fileName, rows: parsed.rows.length, errors: analysis.errors.length },
    });
    // Written inside the transaction: if the file cannot be kept, no batch is left waiting for it.
    await storeUpload(created.id, { content: upload.content, defaultSourceSystem });
    return created;
  });
  return { id: batch.id, wouldImport: analysis.wouldImport, wouldSkip: analysis.wouldSkip, errors: analysis.errors.length };
}

async function findBatchRow(db: Db, principal: Principal, id: string) {
  const row = isUuid(id) ? await queries.findBatch(db, principal.organisationId, id) : undefined;
  if (!row) throw new NotFound();
  return row;
}

export interface BatchView {
  id: string;
  fileName: string;
  status: keyof typeof STATUS_LABELS;
  statusLabel: string;
  totalRows: number;
  importedRows: number;
  skippedRows: number;
  errorRows: number;
  /** Rows a confirmed run would import (for a preview), or still to go (while running). */
  wouldImport: number;
  createdAt: Date;
  createdByName: string;
  finishedAt: Date | null;
}

function toView(row: Awaited<ReturnType<typeof queries.findBatch>> & object): BatchView {
  return {
    id: row.id,
    fileName: row.file_name,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    totalRows: row.total_rows,
    importedRows: row.imported_rows,
    skippedRows: row.skipped_rows,
    errorRows: row.error_rows,
    wouldImport: Math.max(0, row.total_rows - row.skipped_rows - row.error_rows - row.imported_rows),
    createdAt: row.created_at,
    createdByName: row.created_by_name ?? 'System (command line)',
    finishedAt: row.finished_at,
  };
}

export async function listBatches(db: Db, principal: Principal, page: { limit: number; offset: number }) {
  assertCan(principal, 'imports:run');
  const { rows, total } = await queries.listBatches(db, principal.organisationId, page.limit, page.offset);
  return { batches: rows.map(toView), total };
}

/** A batch with its row errors and, while it waits for confirmation, its first rows as the file gives them. */
export async function getBatch(db: Db, principal: Principal, id: string) {
  assertCan(principal, 'imports:run');
  const batch = toView(await findBatchRow(db, principal, id));
  const errors = await queries.rowErrors(db, principal.organisationId, batch.id, ERRORS_SHOWN);
  let previewRows: FileRow[] | null = null;
  if (batch.status === 'previewed') {
    const stored = await loadUpload(batch.id);
    previewRows = stored
      ? readOrReject(batch.fileName, stored.content, stored.defaultSourceSystem)
          .rows.filter((row) => !errors.some((error) => error.line === row.line))
          .slice(0, PREVIEW_ROWS)
      : null;
  }
  return { batch, errors, errorsTruncated: batch.errorRows > errors.length, previewRows };
}

export interface RunOptions {
  /** Called after every chunk of rows with the counts so far (the CLI's progress bar). */
  onProgress?: (progress: { done: number; total: number; imported: number; skipped: number; errors: number }) => void;
  /**
   * Return as soon as the batch is claimed and import in the background: for
   * files too big to import within one web request. The batch page shows the
   * progress; a failure marks the batch failed and is passed to onError.
   */
  detach?: { onError: (error: unknown) => void };
  /** Rows per transaction; tests make it small to cross chunk boundaries. */
  chunkSize?: number;
  /** Told when a chunk could not be written in bulk and was imported row by row instead. */
  onChunkRetried?: ChunkRetried;
}

/** Files with more rows than this are imported in the background from the web page. */
export const INLINE_ROWS = 300;

/**
 * Step two: imports a previewed batch. Each row is checked in full; the good
 * rows are written a chunk at a time, each chunk one transaction of
 * set-based statements (people, episodes, referrals, prison stays, release
 * dates, stages, audit), with the same outcome for every row as writing it on
 * its own (import-chunk.ts). A chunk that fails is rolled back and retried
 * row by row, so a bad row leaves nothing behind and costs no other row. A
 * row whose (source_system, external_id) already has a referral is skipped:
 * re-importing a file is safe.
 */
export async function runImport(db: Db, principal: Principal, id: string, options: RunOptions = {}) {
  assertCan(principal, 'imports:run');
  const batch = await findBatchRow(db, principal, id);
  const stored = await loadUpload(batch.id);
  if (batch.status !== 'previewed') throw new Conflict('This import has already been run.');
  if (!stored || createHash('sha256').update(stored.content).digest('hex') !== batch.file_sha256) {
    throw new Conflict('The uploaded file is no longer available. Upload it again.');
  }
  if (!(await queries.claimBatch(db, principal.organisationId, batch.id))) throw new Conflict('This import has already been run.');
  const run = finishRun(db, principal, batch.id, batch.file_name, stored, options);
  if (options.detach) {
    run.catch(options.detach.onError);
    return null;
  }
  return run;
}

async function finishRun(
  db: Db,
  principal: Principal,
  batchId: string,
  fileName: string,
  stored: { content: Buffer; defaultSourceSystem: string },
  options: RunOptions,
) {
  const organisationId = principal.organisationId;
  const counts = { imported: 0, skipped: 0 };
  const errors: Array<{ line: number; reason: string }> = [];
  try {
    const { rows } = readReferralsFile(fileName, stored.content, { defaultSourceSystem: stored.defaultSourceSystem });
    const reference = await loadReferenceData(db, organisationId, IMPORT_LISTS);
    const today = londonToday();
    const progress = async (done: number) => {
      await queries.updateBatch(db, organisationId, batchId, {
        total_rows: rows.length,
        imported_rows: counts.imported,
        skipped_rows: counts.skipped,
        error_rows: errors.length,
      });
      options.onProgress?.({ done, total: rows.length, imported: counts.imported, skipped: counts.skipped, errors: errors.length });
    };
    const chunkRows = options.chunkSize ?? CHUNK_ROWS;
    // Statistics are refreshed each time the import has added as many episodes as the planner last knew of.
    let plannedEpisodes = await queries.plannedEpisodeRows(db);
    let importedSinceAnalyse = 0;
    for (let start = 0; start < rows.length; start += chunkRows) {
      const checked: CheckedRow[] = [];
      for (const row of rows.slice(start, start + chunkRows)) {
        const check = row.problems.length > 0 ? { ok: false as const, problems: row.problems } : checkRow(row.values, reference, today);
        if (check.ok) checked.push({ line: row.line, row: check.row });
        else errors.push({ line: row.line, reason: check.problems.join('; ') });
      }
      for (const { line, outcome } of await importChunk(db, principal, batchId, checked, options.onChunkRetried)) {
        if (outcome.outcome === 'error') errors.push({ line, reason: outcome.problems.join('; ') });
        else counts[outcome.outcome] += 1;
        if (outcome.outcome === 'imported') importedSinceAnalyse += 1;
      }
      if (importedSinceAnalyse >= Math.max(chunkRows, plannedEpisodes)) {
        await queries.analyseImportedTables(db);
        plannedEpisodes += importedSinceAnalyse;
        importedSinceAnalyse = 0;
      }
      await progress(Math.min(start + chunkRows, rows.length));
    }
    // Row errors in file order, as a row-by-row run gives them.
    errors.sort((a, b) => a.line - b.line);
    await db.transaction().execute(async (trx) => {
      await queries.replaceRowErrors(trx, organisationId, batchId, errors);
      await queries.updateBatch(trx, organisationId, batchId, {
        status: 'finished',
        total_rows: rows.length,
        imported_rows: counts.imported,
        skipped_rows: counts.skipped,
        error_rows: errors.length,
        finished_at: new Date(),
      });
      await audit.record(trx, {
        organisationId,
        actor: actorOf(principal),
        action: 'import.finished',
        subjectType: 'import_batch',
        subjectId: batchId,
        detail: { fileName, rows: rows.length, imported: counts.imported, skipped: counts.skipped, errors: errors.length },
      });
    });
    await discardUpload(batchId);
    return { total: rows.length, imported: counts.imported, skipped: counts.skipped, errors };
  } catch (error) {
    // The rows imported so far stay (each committed on its own); the batch says the run stopped.
    await queries.updateBatch(db, organisationId, batchId, { status: 'failed', finished_at: new Date() });
    throw error;
  }
}

/** The row errors of a finished batch, for the CLI's report. */
export async function batchErrors(db: Db, principal: Principal, id: string) {
  assertCan(principal, 'imports:run');
  const batch = await findBatchRow(db, principal, id);
  return queries.rowErrors(db, principal.organisationId, batch.id, Number.MAX_SAFE_INTEGER);
}
