/**
 * The API contract as TypeScript, from the generated `schema.gen.ts` (never edit that file:
 * `npm run gen:api` rewrites it from ../openapi/openapi.json).
 *
 * The spec's paths carry the `/api/v1` prefix; the client's baseUrl already does, so the SPA
 * sees the versioned paths without it (`/users`, not `/api/v1/users`). Unversioned operational
 * endpoints (/healthz, /metrics) are not for the SPA and drop out here.
 */
import type { paths as SpecPaths } from './schema.gen';

export type { components, operations } from './schema.gen';

export const API_PREFIX = '/api/v1';

export type paths = {
  [P in keyof SpecPaths as P extends `${typeof API_PREFIX}${infer Rest}` ? Rest : never]: SpecPaths[P];
};
