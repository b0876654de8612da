/** RFC 9457 problem details as Rapport's API sends them, as a throwable error. */

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string | null;
  code: string;
  request_id: string | null;
  errors: FieldError[];
  /** RFC 9457 extension members the server added (duplicate `candidates`, `owned`, ...). */
  extensions?: Record<string, unknown>;
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code', 'request_id', 'errors']);

/** Codes the SPA makes up itself, for failures that never reached the API's error handler. */
export const CLIENT_CODES = {
  network: 'network_error',
  http: 'http_error',
} as const;

export class ApiProblem extends Error implements ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string | null;
  readonly code: string;
  readonly request_id: string | null;
  readonly errors: FieldError[];
  readonly extensions: Record<string, unknown>;

  constructor(body: ProblemBody) {
    super(body.detail ?? body.title);
    this.name = 'ApiProblem';
    this.type = body.type;
    this.title = body.title;
    this.status = body.status;
    this.detail = body.detail;
    this.code = body.code;
    this.request_id = body.request_id;
    this.errors = body.errors;
    this.extensions = body.extensions ?? {};
  }
}

export function isApiProblem(value: unknown): value is ApiProblem {
  return value instanceof ApiProblem;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function fieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const out: FieldError[] = [];
  for (const item of value) {
    if (item && typeof item === 'object') {
      const rec = item as Record<string, unknown>;
      const field = str(rec.field);
      const message = str(rec.message);
      if (field !== null && message !== null) out.push({ field, message });
    }
  }
  return out;
}

/**
 * Builds an ApiProblem from whatever an error response carried. A well-formed problem body
 * keeps its own values; anything else (an HTML page from a proxy, an empty body) becomes an
 * `http_error` problem with the HTTP status, so callers handle one error type only.
 */
export function problemFromBody(status: number, statusText: string, body: unknown): ApiProblem {
  const rec = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const bodyStatus = typeof rec.status === 'number' ? rec.status : null;
  return new ApiProblem({
    type: str(rec.type) ?? 'about:blank',
    title: str(rec.title) ?? (statusText || `HTTP ${status}`),
    status: bodyStatus ?? status,
    detail: str(rec.detail),
    code: str(rec.code) ?? CLIENT_CODES.http,
    request_id: str(rec.request_id),
    errors: fieldErrors(rec.errors),
    extensions: Object.fromEntries(Object.entries(rec).filter(([key]) => !STANDARD_MEMBERS.has(key))),
  });
}

/** Reads a failed Response (without consuming the caller's copy) into an ApiProblem. */
export async function problemFromResponse(response: Response): Promise<ApiProblem> {
  let body: unknown = null;
  const text = await response
    .clone()
    .text()
    .catch(() => '');
  const type = response.headers.get('content-type') ?? '';
  if (text && (type.includes('json') || text.trimStart().startsWith('{'))) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  return problemFromBody(response.status, response.statusText, body);
}

export function networkProblem(cause: unknown): ApiProblem {
  const problem = new ApiProblem({
    type: 'about:blank',
    title: cause instanceof Error ? cause.message : 'Network error',
    status: 0,
    detail: null,
    code: CLIENT_CODES.network,
    request_id: null,
    errors: [],
  });
  return problem;
}
