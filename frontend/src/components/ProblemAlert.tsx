import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';

import { isApiProblem } from '../api/problem';
import { problemMessage } from '../lib/problems';

/** A failed load, in the user's language, with the request id support will ask for. */
export function ProblemAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const requestId = isApiProblem(error) ? error.request_id : null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={problemMessage(error)}
      description={requestId ? t('errors.requestId', { id: requestId }) : undefined}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
      style={{ marginBottom: 16 }}
    />
  );
}
