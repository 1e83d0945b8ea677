import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { lazySchemaCompilers } from './lazy-schema-compilers.ts';

const AJV_OPTIONS = { customOptions: { allErrors: true, coerceTypes: 'array' as const } };

test('a route’s validator is compiled at its first use, not when the route is registered', () => {
  const { buildValidator } = lazySchemaCompilers();
  const compile = buildValidator({}, AJV_OPTIONS);
  const broken = compile({ schema: { type: 'not a JSON Schema type' }, method: 'GET', url: '/', httpPart: 'querystring' }) as (data: unknown) => unknown;
  assert.throws(() => broken({}), /schema is invalid|type/, 'the bad schema is found only when the validator first runs');
});

test('compileRemaining compiles, between requests, what no request has needed, and survives a broken schema', async () => {
  const compilers = lazySchemaCompilers();
  const compile = compilers.buildValidator({}, AJV_OPTIONS);
  let read = false;
  const schema = {
    type: 'object',
    get properties() {
      read = true;
      return { name: { type: 'string' } };
    },
  };
  compile({ schema, method: 'POST', url: '/a', httpPart: 'body' });
  compile({ schema: { type: 'not a JSON Schema type' }, method: 'POST', url: '/b', httpPart: 'body' });
  assert.equal(read, false, 'nothing is compiled when the route is registered');
  await compilers.compileRemaining();
  assert.equal(read, true, 'the schema was compiled in the background');
});

test('validators keep ajv’s coercion and errors, and serializers their schema', async () => {
  const app = Fastify({ ajv: AJV_OPTIONS, schemaController: { compilersFactory: lazySchemaCompilers() } });
  app.post(
    '/echo',
    {
      schema: {
        body: { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } },
        response: { 200: { type: 'object', properties: { count: { type: 'integer' } } } },
      },
    },
    async (request) => ({ ...(request.body as object), secret: 'not in the response schema' }),
  );
  try {
    const ok = await app.inject({ method: 'POST', url: '/echo', payload: { count: '3' } });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { count: 3 }, 'the body was coerced and the response serialised by its schema');
    const bad = await app.inject({ method: 'POST', url: '/echo', payload: { count: 'three' } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /body\/count must be integer/);
    const again = await app.inject({ method: 'POST', url: '/echo', payload: {} });
    assert.equal(again.statusCode, 400);
    assert.match(again.json().message, /must have required property 'count'/, 'each failure reports its own errors');
  } finally {
    await app.close();
  }
});
