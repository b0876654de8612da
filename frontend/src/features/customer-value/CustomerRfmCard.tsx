/**
 * 客户价值 on a customer's profile: R, F, M and the total as of the last run, the tier, the
 * purchase facts behind them, and the history of the customer's tier.
 */
import { ArrowRightOutlined } from '@ant-design/icons';
import { Card, Flex, Progress, Skeleton, Statistic, Timeline, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDate, formatDateTime } from '../../lib/dates';
import { formatMoney } from '../contracts/money';
import { type CustomerRfm, useRfmHistory, useRfmSettings } from './api';
import { tierColor } from './options';
import { RfmTierTag } from './RfmTierTag';

function History({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const history = useRfmHistory(customerId);
  if (history.isLoading) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (history.isError) return <ProblemAlert error={history.error} onRetry={() => void history.refetch()} />;
  const rows = history.data?.data ?? [];
  if (rows.length === 0) return <Typography.Text type="secondary">{t('customerValue.history.none')}</Typography.Text>;
  return (
    <Timeline
      data-testid="rfm-history"
      items={rows.map((row) => ({
        key: row.id,
        children: (
          <Flex vertical gap={2}>
            <Flex align="center" gap={4} wrap>
              {row.from_tier ? <RfmTierTag tier={row.from_tier} /> : <Typography.Text type="secondary">{t('customerValue.history.new')}</Typography.Text>}
              <ArrowRightOutlined style={{ color: '#8c8c8c', fontSize: 11 }} />
              {row.to_tier ? <RfmTierTag tier={row.to_tier} /> : <Typography.Text type="secondary">{t('customerValue.history.left')}</Typography.Text>}
              {row.score !== null && <Typography.Text type="secondary">{t('customerValue.history.score', { score: row.score })}</Typography.Text>}
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(row.changed_at)}
            </Typography.Text>
          </Flex>
        ),
      }))}
    />
  );
}

export function CustomerRfmCard({ customerId, rfm }: { customerId: string; rfm: CustomerRfm | null }) {
  const { t } = useTranslation();
  const settings = useRfmSettings();
  const tiers = settings.data?.tiers ?? [];
  const max = settings.data?.score_max ?? 100;
  return (
    <Card size="small" title={t('customerValue.card.title')} extra={rfm && <RfmTierTag tier={rfm.tier} />} data-testid="customer-rfm">
      {rfm ? (
        <Flex vertical gap={12}>
          <Flex align="center" gap={16}>
            <Tooltip title={t('customerValue.card.scoreOf', { max })}>
              <Progress
                type="dashboard"
                size={92}
                percent={Math.round((rfm.score / max) * 100)}
                format={() => rfm.score}
                strokeColor={tierColor(rfm.tier, tiers)}
                data-testid="rfm-score"
              />
            </Tooltip>
            <Flex gap={16}>
              <Statistic title={t('customerValue.r')} value={rfm.r} suffix="/5" />
              <Statistic title={t('customerValue.f')} value={rfm.f} suffix="/5" />
              <Statistic title={t('customerValue.m')} value={rfm.m} suffix="/5" />
            </Flex>
          </Flex>
          <Typography.Text type="secondary">
            {t('customerValue.card.facts', {
              last: formatDate(rfm.last_purchase_on),
              purchases: rfm.purchases,
              amount: formatMoney(rfm.amount, rfm.currency),
            })}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('customerValue.computedAtValue', { at: formatDateTime(rfm.computed_at) })}
          </Typography.Text>
          <Typography.Text strong>{t('customerValue.history.title')}</Typography.Text>
          <History customerId={customerId} />
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('customerValue.card.none')}</Typography.Text>
      )}
    </Card>
  );
}
