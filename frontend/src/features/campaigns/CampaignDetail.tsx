import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import { isApiProblem } from '../../api/problem';
import { LoadMore } from '../../components/LoadMore';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDate } from '../../lib/dates';
import { canWrite, useSession } from '../auth';
import { useLeadList } from '../leads/api';
import { LeadTable } from '../leads/LeadTable';
import { useCampaign, useCampaignStats } from './api';
import { CampaignFormModal } from './CampaignFormModal';
import { CampaignStatusTag } from './CampaignStatusTag';
import { conversionRate, costPerLead, formatMoney } from './money';

function CampaignLeads({ campaignId }: { campaignId: string }) {
  const list = useLeadList({ campaign_id: campaignId });
  const leads = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  return (
    <>
      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      <LeadTable leads={leads} loading={list.isPending} showCampaign={false} />
      <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => void list.fetchNextPage()} shown={leads.length} />
    </>
  );
}

export default function CampaignDetail() {
  const { campaignId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSession();
  const query = useCampaign(campaignId);
  const stats = useCampaignStats(campaignId);
  const [editing, setEditing] = useState(false);

  if (query.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  }
  if (query.isError) {
    if (isApiProblem(query.error) && query.error.status === 404) {
      return (
        <Result
          status="404"
          title={t('campaigns.notFound')}
          extra={<Button onClick={() => void navigate('/campaigns')}>{t('campaigns.backToList')}</Button>}
        />
      );
    }
    return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  const campaign = query.data;
  const s = stats.data;
  const money = (v: string | null) => formatMoney(v, campaign.currency) ?? '—';

  return (
    <>
      <Flex vertical gap={4} style={{ marginBottom: 16 }}>
        <Link to="/campaigns" style={{ fontSize: 13 }}>
          <ArrowLeftOutlined /> {t('campaigns.backToList')}
        </Link>
        <Flex justify="space-between" align="center" gap={16} wrap>
          <Space size={8} wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="campaign-name">
              {campaign.name}
            </Typography.Title>
            <CampaignStatusTag status={campaign.status} />
          </Space>
          {canWrite(me, 'leads') && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="campaign-edit">
              {t('common.edit')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('campaigns.stats.leads')} value={s?.leads ?? '—'} loading={stats.isPending} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('campaigns.stats.converted')}
              value={s?.converted ?? '—'}
              suffix={s && s.leads > 0 ? <Typography.Text type="secondary" style={{ fontSize: 14 }}>{`(${conversionRate(s.converted, s.leads)}%)`}</Typography.Text> : null}
              loading={stats.isPending}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('campaigns.stats.customers')} value={s?.customers ?? '—'} loading={stats.isPending} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('campaigns.stats.costPerLead')}
              value={(s && formatMoney(costPerLead(campaign.actual_cost, s.leads), campaign.currency)) ?? '—'}
              loading={stats.isPending}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('campaigns.profile')}>
            <Descriptions
              column={1}
              size="small"
              labelStyle={{ width: 110 }}
              items={[
                { key: 'channel', label: t('campaigns.fields.channel'), children: campaign.channel || '—' },
                {
                  key: 'dates',
                  label: t('campaigns.fields.dates'),
                  children:
                    campaign.start_date || campaign.end_date
                      ? `${formatDate(campaign.start_date) ?? '…'} ~ ${formatDate(campaign.end_date) ?? '…'}`
                      : '—',
                },
                { key: 'budget', label: t('campaigns.fields.budget'), children: money(campaign.budget) },
                { key: 'actual_cost', label: t('campaigns.fields.actual_cost'), children: money(campaign.actual_cost) },
                { key: 'won', label: t('campaigns.fields.won'), children: <Typography.Text type="secondary">{t('campaigns.wonPending')}</Typography.Text> },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('campaigns.leads')}>
            <CampaignLeads campaignId={campaign.id} />
          </Card>
        </Col>
      </Row>
      {editing && <CampaignFormModal campaign={campaign} onClose={() => setEditing(false)} />}
    </>
  );
}
