import { afterEach, describe, expect, it, vi } from 'vitest';

import { json, problem } from '../test/fetchMock';
import { createApiClient, CSRF_HEADER, readCookie, setUnauthorizedHandler } from './client';
import { ApiProblem } from './problem';

function recordingClient(respond: (request: Request) => Response = () => json({ ok: true })) {
  const requests: Request[] = [];
  const client = createApiClient({
    baseUrl: 'http://rapport.test/api/v1',
    fetch: (request) => {
      requests.push(request);
      return Promise.resolve(respond(request));
    },
  });
  return { client, requests };
}

const user = {
  email: 'a@b.cn',
  name: 'A',
  password: 'secret-123',
  role: 'sales' as const,
  team_id: null,
};

describe('readCookie', () => {
  it('finds one cookie among many and decodes it', () => {
    expect(readCookie('rapport_csrf', 'a=1; rapport_csrf=x%2By; b=2')).toBe('x+y');
    expect(readCookie('rapport_csrf', 'a=1')).toBeNull();
  });
});

describe('CSRF middleware', () => {
  afterEach(() => {
    document.cookie = 'rapport_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
  });

  it('sends the rapport_csrf cookie as X-CSRF-Token on unsafe methods', async () => {
    document.cookie = 'rapport_csrf=tok-123; path=/';
    const { client, requests } = recordingClient((request) =>
      request.method === 'DELETE' ? new Response(null, { status: 204 }) : json({}),
    );
    await client.POST('/users', { body: user });
    await client.PATCH('/users/{user_id}', { params: { path: { user_id: 'u1' } }, body: { name: 'B' } });
    await client.DELETE('/teams/{team_id}', { params: { path: { team_id: 't1' } } });
    expect(requests.map((r) => [r.method, r.headers.get(CSRF_HEADER)])).toEqual([
      ['POST', 'tok-123'],
      ['PATCH', 'tok-123'],
      ['DELETE', 'tok-123'],
    ]);
  });

  it('does not send it on GET', async () => {
    document.cookie = 'rapport_csrf=tok-123; path=/';
    const { client, requests } = recordingClient(() => json({ data: [], next_cursor: null, has_more: false }));
    await client.GET('/users');
    expect(requests[0].headers.has(CSRF_HEADER)).toBe(false);
  });

  it('sends no header when there is no cookie', async () => {
    const { client, requests } = recordingClient();
    await client.POST('/auth/login', { body: { email: 'a@b.cn', password: 'x' } });
    expect(requests[0].headers.has(CSRF_HEADER)).toBe(false);
  });

  it('sends cookies with every request', async () => {
    const { client, requests } = recordingClient();
    await client.GET('/me');
    expect(requests[0].credentials).toBe('include');
  });
});

describe('problem middleware', () => {
  it('throws an ApiProblem for a problem+json answer', async () => {
    const { client } = recordingClient(() => problem(409, 'email_taken', 'Email taken'));
    const error: unknown = await client.POST('/users', { body: user }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect((error as ApiProblem).code).toBe('email_taken');
    expect((error as ApiProblem).status).toBe(409);
  });

  it('hands a 401 to the unauthorized handler', async () => {
    const handler = vi.fn();
    const undo = setUnauthorizedHandler(handler);
    try {
      const { client } = recordingClient(() => problem(401, 'not_authenticated', 'Not authenticated'));
      await expect(client.GET('/me')).rejects.toBeInstanceOf(ApiProblem);
      expect(handler).toHaveBeenCalledTimes(1);
    } finally {
      undo();
    }
  });

  it('leaves a 401 from the login call itself to the login form', async () => {
    const handler = vi.fn();
    const undo = setUnauthorizedHandler(handler);
    try {
      const { client } = recordingClient(() => problem(401, 'invalid_credentials', 'Invalid credentials'));
      await expect(client.POST('/auth/login', { body: { email: 'a@b.cn', password: 'x' } })).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      expect(handler).not.toHaveBeenCalled();
    } finally {
      undo();
    }
  });

  it('turns a network failure into a network_error problem', async () => {
    const client = createApiClient({
      baseUrl: 'http://rapport.test/api/v1',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    await expect(client.GET('/me')).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });
});
