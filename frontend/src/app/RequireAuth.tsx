import { Button, Flex, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';

import { isApiProblem } from '../api/problem';
import { FullPageSpin } from '../components/FullPageSpin';
import { loginPathFor, SessionContext, useMe } from '../features/auth';
import { problemMessage } from '../lib/problems';

/** Asks GET /me once; not signed in → the login page, remembering where the user wanted to go. */
export function RequireAuth() {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();

  if (me.isPending) return <FullPageSpin />;
  if (me.isError) {
    if (isApiProblem(me.error) && me.error.status === 401) {
      return <Navigate to={loginPathFor(location.pathname, location.search, location.hash)} replace />;
    }
    return (
      <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
        <Result
          status="error"
          title={t('errors.title')}
          subTitle={problemMessage(me.error)}
          extra={
            <Button type="primary" onClick={() => void me.refetch()}>
              {t('common.retry')}
            </Button>
          }
        />
      </Flex>
    );
  }
  return (
    <SessionContext.Provider value={me.data}>
      <Outlet />
    </SessionContext.Provider>
  );
}
