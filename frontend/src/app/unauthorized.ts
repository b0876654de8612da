import { setUnauthorizedHandler } from '../api/client';
import { loginPathFor } from '../features/auth';

interface NavigatingRouter {
  state: { location: { pathname: string; search: string; hash: string } };
  navigate: (to: string, options?: { replace?: boolean }) => Promise<void>;
}

/**
 * A 401 from any call means the session ended (or never existed): go to the login page with
 * client-side navigation, remembering where the user was. Returns the undo function.
 */
export function redirectToLoginOnUnauthorized(router: NavigatingRouter): () => void {
  return setUnauthorizedHandler(() => {
    const { pathname, search, hash } = router.state.location;
    if (pathname === '/login') return;
    void router.navigate(loginPathFor(pathname, search, hash), { replace: true });
  });
}
