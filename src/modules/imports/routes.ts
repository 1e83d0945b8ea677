import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString } from '../../platform/http/forms.ts';
import { requirePermission } from '../../platform/http/guards.ts';
import { pageCount, pageNumber, pagination } from '../../platform/http/paging.ts';
import * as imports from './service.ts';

const PAGE_SIZE = 25;
type Params = { id: string };

// The uploaded file of a request, read by the multipart parser before the route runs.
const uploads = new WeakMap<FastifyRequest, { fileName: string; content: Buffer }>();

const listHref = (page: number) => (page > 1 ? `/imports?page=${page}` : '/imports');

/** Bulk import of referrals: upload, preview with row errors, confirm, progress. */
export async function importRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/imports', async (request, reply) => {
    const principal = requirePermission(request, 'imports:run');
    const page = pageNumber((request.query as Record<string, unknown>).page);
    const { batches, total } = await imports.listBatches(db, principal, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = pageCount(total, PAGE_SIZE);
    if (page > pages) return reply.redirect(listHref(pages));
    return reply.view('imports/views/list.njk', {
      pageTitle: pages > 1 ? `Imports (page ${page} of ${pages})` : 'Imports',
      batches,
      total,
      firstShown: (page - 1) * PAGE_SIZE + 1,
      lastShown: (page - 1) * PAGE_SIZE + batches.length,
      pagination: pagination(page, pages, listHref),
    });
  });

  function uploadPage(reply: FastifyReply, context: Record<string, unknown> = {}) {
    return reply.view('imports/views/new.njk', {
      pageTitle: 'Import referrals',
      maxMegabytes: imports.MAX_UPLOAD_BYTES / 1024 / 1024,
      values: {},
      ...context,
    });
  }

  app.get('/imports/new', async (request, reply) => {
    requirePermission(request, 'imports:run');
    return uploadPage(reply);
  });

  app.get<{ Params: Params }>('/imports/:id', async (request, reply) => {
    const principal = requirePermission(request, 'imports:run');
    const { batch, errors, errorsTruncated, previewRows } = await imports.getBatch(db, principal, request.params.id);
    return reply.view('imports/views/batch.njk', {
      pageTitle: batch.status === 'previewed' ? `Check the import of ${batch.fileName}` : `Import of ${batch.fileName}`,
      batch,
      errors: [],
      rowErrors: errors,
      errorsTruncated,
      previewRows: previewRows ?? [],
      fileMissing: batch.status === 'previewed' && previewRows === null,
      refresh: batch.status === 'running',
      progressPercent: batch.totalRows ? Math.floor(((batch.importedRows + batch.skippedRows + batch.errorRows) / batch.totalRows) * 100) : 0,
    });
  });

  app.post<{ Params: Params }>('/imports/:id/run', async (request, reply) => {
    const principal = requirePermission(request, 'imports:run');
    const { batch } = await imports.getBatch(db, principal, request.params.id);
    await imports.runImport(db, principal, batch.id, {
      detach:
        batch.totalRows > imports.INLINE_ROWS
          ? { onError: (error) => request.log.error({ err: error, batchId: batch.id }, 'import failed') }
          : undefined,
    });
    return reply.redirect(`/imports/${batch.id}`);
  });

  // Multipart is accepted by this one route only, with its own size limit; every other form stays URL-encoded.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: imports.MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
      async onFile(this: FastifyRequest, part: MultipartFile) {
        const content = await part.toBuffer();
        if (part.fieldname === 'file') uploads.set(this, { fileName: part.filename, content });
      },
    });

    scope.post('/imports/new', async (request, reply) => {
      const principal = requirePermission(request, 'imports:run');
      const upload = uploads.get(request) ?? { fileName: '', content: Buffer.alloc(0) };
      const sourceSystem = formString(request.body, 'sourceSystem');
      try {
        const preview = await imports.previewImport(db, principal, { ...upload, defaultSourceSystem: sourceSystem });
        return reply.redirect(`/imports/${preview.id}`);
      } catch (error) {
        if (error instanceof ValidationFailed) return uploadPage(reply.code(400), { errors: error.errors, values: { sourceSystem } });
        throw error;
      }
    });
  });
}
