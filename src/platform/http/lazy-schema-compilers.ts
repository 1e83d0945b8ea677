import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorBuilder = NonNullable<CompilersFactory['buildValidator']>;
type SerializerBuilder = NonNullable<CompilersFactory['buildSerializer']>;
type Validator = ((data: unknown) => unknown) & { errors?: unknown };
/** The shape of @fastify/ajv-compiler's builder, without its ajv/JTD option unions. */
type PlainValidatorBuilder = (externalSchemas: unknown, ajvOptions: unknown) => (routeSchema: unknown) => Validator;

// Fastify's own default compilers (ajv and fast-json-stringify), resolved through fastify so that they are
// the versions it was released with; required at the first compile rather than at start-up.
const fromFastify = createRequire(import.meta.resolve('fastify'));
let defaultValidatorBuilder: PlainValidatorBuilder | undefined;
let defaultSerializerBuilder: SerializerBuilder | undefined;

/**
 * Fastify's default compilers, deferred: each route's request validator and
 * response serializer is compiled the first time that route needs it, not
 * at start-up. Compiling every schema of every route eagerly was about a
 * second of each start, for routes most runs never call (decision 23). The
 * functions compiled are Fastify's own, so validation is unchanged. (Given a
 * compilers factory, Fastify leaves header schemas' keys as written instead of
 * lower-casing them; no route has a header schema.)
 */
export interface LazySchemaCompilers extends Required<CompilersFactory> {
  /**
   * Compiles every schema no request has needed yet, one at a time, letting
   * requests in between: called once the server is listening, so that the
   * first requests after a restart do not each wait for a compile.
   */
  compileRemaining(): Promise<void>;
}

export function lazySchemaCompilers(): LazySchemaCompilers {
  const uncompiled = new Set<() => void>();

  const buildValidator: PlainValidatorBuilder = (externalSchemas, ajvOptions) => {
    let compile: ReturnType<PlainValidatorBuilder> | undefined;
    return (routeSchema) => {
      let validate: Validator | undefined;
      const compiled = (): Validator => {
        if (!validate) {
          defaultValidatorBuilder ??= fromFastify('@fastify/ajv-compiler')() as PlainValidatorBuilder;
          compile ??= defaultValidatorBuilder(externalSchemas, ajvOptions);
          validate = compile(routeSchema);
          uncompiled.delete(compiled);
        }
        return validate;
      };
      uncompiled.add(compiled);
      const lazy: Validator = (data) => {
        const validate = compiled();
        const result = validate(data);
        // Fastify reads a failed validation's errors from the validator it was given.
        lazy.errors = validate.errors;
        return result;
      };
      return lazy;
    };
  };

  const buildSerializer: SerializerBuilder = (externalSchemas, serializerOptions) => {
    let compile: ReturnType<SerializerBuilder> | undefined;
    return (routeSchema) => {
      let serialize: ((data: unknown) => string) | undefined;
      const compiled = () => {
        if (!serialize) {
          defaultSerializerBuilder ??= fromFastify('@fastify/fast-json-stringify-compiler')() as SerializerBuilder;
          compile ??= defaultSerializerBuilder(externalSchemas, serializerOptions);
          serialize = compile(routeSchema);
          uncompiled.delete(compiled);
        }
        return serialize;
      };
      uncompiled.add(compiled);
      return (data: unknown) => compiled()(data);
    };
  };

  async function compileRemaining(): Promise<void> {
    for (const compiled of [...uncompiled]) {
      try {
        compiled();
      } catch {
        // A schema that cannot compile fails its route's requests, where the error is reported.
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return { buildValidator: buildValidator as ValidatorBuilder, buildSerializer, compileRemaining };
}
