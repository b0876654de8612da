import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { RfmRun } from './api';

const COLORS: Record<RfmRun['status'], string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

/** A recompute's state as a tag (with the reason when it failed). */
export function RunStatus({ run }: { run: Pick<RfmRun, 'status' | 'error'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[run.status]} title={run.error ?? undefined} data-testid="rfm-run-status">
      {t(`customerValue.runs.statuses.${run.status}`)}
    </Tag>
  );
}
