import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A cookie-keeping client over app.inject, for integration tests of pages:
 * it remembers Set-Cookie like a browser and finds the CSRF token in a form.
 */
export class Browser {
  readonly #app: FastifyInstance;
  readonly cookies = new Map<string, string>();
  totpSecret: string | undefined;

  constructor(app: FastifyInstance) {
    this.#app = app;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  #remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      const expired = (cookie.expires && cookie.expires.getTime() <= Date.now()) || cookie.maxAge === 0 || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  async request(options: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    form?: Record<string, string | string[]>;
    headers?: Record<string, string>;
  }): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    let payload: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(options.form)) {
        for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
      }
      payload = params.toString();
    }
    const response = await this.#app.inject({ method: options.method, url: options.url, headers, payload });
    this.#remember(response);
    return response;
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.request({ method: 'GET', url });
  }

  /** The CSRF token from the first form on a page. */
  async csrfFrom(pageUrl: string): Promise<string> {
    const page = await this.get(pageUrl);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`No CSRF token on ${pageUrl} (status ${page.statusCode})`);
    return token;
  }

  /** Loads the form page for its CSRF token, then posts the fields to the action, as a person would. */
  async submit(pageUrl: string, action: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const csrf = await this.csrfFrom(pageUrl);
    return this.request({ method: 'POST', url: action, form: { _csrf: csrf, ...fields } });
  }
}
