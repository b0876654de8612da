import { createContext, useContext } from 'react';

import type { Me } from '../../api/types';

/** Filled by the route guard once GET /me succeeded; pages below the guard can rely on it. */
export const SessionContext = createContext<Me | null>(null);

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession() used outside the authenticated layout');
  return me;
}

/** Where the login page should go after signing in: an in-app path only, never another site. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) {
    return '/';
  }
  return next;
}

export function loginPathFor(pathname: string, search = '', hash = ''): string {
  const target = `${pathname}${search}${hash}`;
  if (target === '/' || pathname === '/login') return '/login';
  return `/login?next=${encodeURIComponent(target)}`;
}
