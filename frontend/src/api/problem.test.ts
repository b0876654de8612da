import { describe, expect, it } from 'vitest';

import { ApiProblem, isApiProblem, networkProblem, problemFromBody, problemFromResponse } from './problem';

describe('problemFromBody', () => {
  it('keeps every field of a problem+json body', () => {
    const problem = problemFromBody(409, 'Conflict', {
      type: 'https://rapport.dev/problems/email-taken',
      title: 'Email taken',
      status: 409,
      detail: 'A user with this email exists',
      code: 'email_taken',
      request_id: 'req-42',
      errors: [{ field: 'email', message: 'already used' }],
    });
    expect(problem).toBeInstanceOf(ApiProblem);
    expect(problem).toBeInstanceOf(Error);
    expect(isApiProblem(problem)).toBe(true);
    expect({ ...problem, message: problem.message }).toEqual({
      name: 'ApiProblem',
      type: 'https://rapport.dev/problems/email-taken',
      title: 'Email taken',
      status: 409,
      detail: 'A user with this email exists',
      code: 'email_taken',
      request_id: 'req-42',
      errors: [{ field: 'email', message: 'already used' }],
      extensions: {},
      message: 'A user with this email exists',
    });
  });

  it('keeps extension members such as duplicate candidates', () => {
    const candidates = [{ customer_id: 'c1', name: '星辰贸易', owner_name: '李雷' }];
    const problem = problemFromBody(409, 'Conflict', {
      type: 'https://rapport.dev/problems/duplicate-customer',
      title: 'Possible duplicate customer',
      status: 409,
      detail: 'Looks like an existing customer',
      code: 'duplicate_customer',
      request_id: null,
      errors: [],
      candidates,
    });
    expect(problem.extensions).toEqual({ candidates });
    expect(problem.code).toBe('duplicate_customer');
  });

  it('turns a non-problem body into an http_error with the HTTP status', () => {
    const problem = problemFromBody(502, 'Bad Gateway', '<html>oops</html>');
    expect(problem.code).toBe('http_error');
    expect(problem.status).toBe(502);
    expect(problem.title).toBe('Bad Gateway');
    expect(problem.detail).toBeNull();
    expect(problem.errors).toEqual([]);
  });

  it('drops malformed field errors', () => {
    const problem = problemFromBody(422, '', {
      code: 'validation_error',
      title: 'Invalid',
      errors: [{ field: 'name', message: 'required' }, { field: 3 }, 'nonsense', null],
    });
    expect(problem.errors).toEqual([{ field: 'name', message: 'required' }]);
    expect(problem.title).toBe('Invalid');
  });
});

describe('problemFromResponse', () => {
  it('parses a problem+json response without consuming the original body', async () => {
    const response = new Response(JSON.stringify({ code: 'not_found', title: 'Not found', status: 404 }), {
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
    });
    const problem = await problemFromResponse(response);
    expect(problem.code).toBe('not_found');
    expect(problem.status).toBe(404);
    expect(response.bodyUsed).toBe(false);
  });

  it('survives an empty body', async () => {
    const problem = await problemFromResponse(new Response(null, { status: 500, statusText: 'Server Error' }));
    expect(problem.code).toBe('http_error');
    expect(problem.status).toBe(500);
  });
});

describe('networkProblem', () => {
  it('has status 0 and the network_error code', () => {
    const problem = networkProblem(new TypeError('Failed to fetch'));
    expect(problem.status).toBe(0);
    expect(problem.code).toBe('network_error');
  });
});
