/**
 * The only place in the SPA that talks to the network. Every call goes through the typed
 * openapi-fetch client below, whose middleware adds the CSRF header, sends the user to the
 * login page when the session has ended, and turns every error response into an ApiProblem.
 */
import createClient, { type Middleware } from 'openapi-fetch';

import { networkProblem, problemFromResponse } from './problem';
import type { paths } from './schema';

export const API_BASE_URL = '/api/v1';
export const CSRF_COOKIE = 'rapport_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
export const LOGIN_PATH = '/auth/login';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}

/** Unsafe methods authenticated by the session cookie must echo the CSRF cookie in a header. */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (!UNSAFE_METHODS.has(request.method.toUpperCase())) return undefined;
    const token = readCookie(CSRF_COOKIE);
    if (token) request.headers.set(CSRF_HEADER, token);
    return request;
  },
};

export type UnauthorizedHandler = () => void;

/** Used until the router registers its own handler: a full page load of the login page. */
function redirectToLogin(): void {
  const { pathname, search, hash } = window.location;
  if (pathname === '/login') return;
  const next = encodeURIComponent(`${pathname}${search}${hash}`);
  window.location.assign(`/login?next=${next}`);
}

let unauthorizedHandler: UnauthorizedHandler = redirectToLogin;

/** Lets the app replace the 401 reaction (client-side navigation); returns an undo function. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = redirectToLogin;
  };
}

/**
 * Error responses become thrown ApiProblems, so a resolved call always carries data and
 * TanStack Query sees failures as errors. A 401 anywhere but the login call itself means the
 * session is gone: hand over to the login page.
 */
export const problemMiddleware: Middleware = {
  async onResponse({ response, schemaPath }) {
    if (response.ok) return undefined;
    const problem = await problemFromResponse(response);
    if (response.status === 401 && schemaPath !== LOGIN_PATH) unauthorizedHandler();
    throw problem;
  },
  onError({ error }) {
    return networkProblem(error);
  },
};

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: (input: Request) => Promise<Response>;
}

export function createApiClient(options: ApiClientOptions = {}) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? API_BASE_URL,
    credentials: 'include',
    headers: { Accept: 'application/json, application/problem+json' },
    // Looked up on each call rather than captured once, so tests can stub the global.
    fetch: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
  });
  client.use(csrfMiddleware, problemMiddleware);
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export const api: ApiClient = createApiClient();

/**
 * Narrows an openapi-fetch result to its data. The middleware already threw for error
 * responses; this only guards against a middleware-less client.
 */
export function unwrap<D>(result: { data?: D; error?: unknown; response: Response }): D {
  if (!result.response.ok) {
    throw new Error(`Unexpected HTTP ${result.response.status}`);
  }
  return result.data as D;
}

/** The `If-Match` value for a row read at `version`: a stale write then fails with 412. */
export function ifMatch(version: number): string {
  return `W/"${version}"`;
}
