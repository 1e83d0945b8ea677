/**
 * Errors services throw on purpose. The error handler turns each into a page
 * for browsers or an RFC 9457 problem for the API; anything else is a 500.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly title: string;
  readonly detail?: string;
  readonly extra?: Record<string, unknown>;

  constructor(statusCode: number, title: string, detail?: string, extra?: Record<string, unknown>) {
    super(detail ?? title);
    this.statusCode = statusCode;
    this.title = title;
    this.detail = detail;
    this.extra = extra;
  }
}

/** Also used when a record belongs to another organisation: we never confirm that it exists. */
export class NotFound extends HttpError {
  constructor(detail = 'The page or record was not found.') {
    super(404, 'Not found', detail);
  }
}

export class Forbidden extends HttpError {
  constructor(detail = 'You do not have permission to do this.') {
    super(403, 'Forbidden', detail);
  }
}

export class Conflict extends HttpError {
  constructor(detail = 'This record was changed by someone else.') {
    super(409, 'Conflict', detail);
  }
}

export interface FieldError {
  field: string;
  text: string;
}

/** Bad input in a form or API body; carries field errors for the error summary or the problem document. */
export class ValidationFailed extends HttpError {
  readonly errors: FieldError[];

  constructor(errors: FieldError[]) {
    super(400, 'There is a problem', errors.map((error) => error.text).join('. '));
    this.errors = errors;
  }
}
