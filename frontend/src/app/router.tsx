import { lazy, Suspense } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';

import { FullPageSpin } from '../components/FullPageSpin';
import LoginPage from '../features/auth/LoginPage';
import { AppLayout } from './AppLayout';
import { navPages, type SubRoute } from './nav';
import NotFoundPage from './NotFoundPage';
import { RequireAuth } from './RequireAuth';

function pageRoute(path: string, load: SubRoute['page']): RouteObject {
  const Page = lazy(load);
  const element = (
    <Suspense fallback={<FullPageSpin />}>
      <Page />
    </Suspense>
  );
  return path === '/' ? { index: true, element } : { path: path.replace(/^\//, ''), element };
}

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  // Pages for people without an account (a customer rating a ticket): outside RequireAuth.
  pageRoute('/public/csat/:token', () => import('../features/tickets/CsatPage')),
  {
    path: '/',
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          ...navPages().map((route) => pageRoute(route.path, route.page)),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
