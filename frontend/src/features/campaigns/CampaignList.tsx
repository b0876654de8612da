import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDate } from '../../lib/dates';
import { canWrite, useSession } from '../auth';
import { type Campaign, useCampaignList, useCampaignStats } from './api';
import { CampaignFormModal } from './CampaignFormModal';
import { CampaignStatusTag } from './CampaignStatusTag';
import { conversionRate, formatMoney } from './money';

/** Leads and conversions of one row, loaded with the row (a workspace has tens of campaigns). */
function StatsCell({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const stats = useCampaignStats(campaignId);
  if (!stats.data) return <Typography.Text type="secondary">…</Typography.Text>;
  const { leads, converted } = stats.data;
  return (
    <span>
      {t('campaigns.leadsConverted', { leads, converted })}
      {leads > 0 && (
        <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
          {conversionRate(converted, leads)}%
        </Typography.Text>
      )}
    </span>
  );
}

/** 市场活动: where leads come from, what they cost, how many became customers. */
export default function CampaignList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSession();
  const writable = canWrite(me, 'leads');
  const list = useCampaignList();
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title={t('campaigns.title')}
        description={t('campaigns.description')}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="campaign-create">
              {t('campaigns.create')}
            </Button>
          )
        }
      />
      <Card>
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Campaign>
          rowKey="id"
          size="middle"
          loading={list.isPending}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('campaigns.empty') }}
          data-testid="campaigns-table"
          columns={[
            {
              key: 'name',
              title: t('campaigns.fields.name'),
              dataIndex: 'name',
              width: 260,
              render: (name: string, c) => (
                <Link to={`/campaigns/${c.id}`}>
                  <Typography.Text strong style={{ color: 'inherit' }}>
                    {name}
                  </Typography.Text>
                </Link>
              ),
            },
            { key: 'channel', title: t('campaigns.fields.channel'), dataIndex: 'channel', width: 100 },
            {
              key: 'status',
              title: t('campaigns.fields.status'),
              dataIndex: 'status',
              width: 90,
              render: (status: string) => <CampaignStatusTag status={status} />,
            },
            {
              key: 'dates',
              title: t('campaigns.fields.dates'),
              width: 200,
              render: (_: unknown, c) =>
                c.start_date || c.end_date ? `${formatDate(c.start_date) ?? '…'} ~ ${formatDate(c.end_date) ?? '…'}` : null,
            },
            {
              key: 'budget',
              title: t('campaigns.fields.budget'),
              dataIndex: 'budget',
              width: 120,
              align: 'right',
              render: (v: string | null, c) => formatMoney(v, c.currency),
            },
            {
              key: 'actual_cost',
              title: t('campaigns.fields.actual_cost'),
              dataIndex: 'actual_cost',
              width: 120,
              align: 'right',
              render: (v: string | null, c) => formatMoney(v, c.currency),
            },
            {
              key: 'stats',
              title: t('campaigns.results'),
              width: 170,
              render: (_: unknown, c) => <StatsCell campaignId={c.id} />,
            },
          ]}
        />
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={rows.length}
        />
      </Card>
      {creating && (
        <CampaignFormModal onClose={() => setCreating(false)} onSaved={(c) => void navigate(`/campaigns/${c.id}`)} />
      )}
    </>
  );
}
