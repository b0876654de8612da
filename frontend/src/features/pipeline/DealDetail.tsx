import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloseCircleOutlined,
  DeleteOutlined,
  EditOutlined,
  MoreOutlined,
  RollbackOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Dropdown,
  Flex,
  Result,
  Row,
  Skeleton,
  Space,
  Statistic,
  Steps,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import { isApiProblem } from '../../api/problem';
import type { Opportunity, OpportunityLine, Pipeline, PipelineStage, StageVisit } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDate, formatDateTime } from '../../lib/dates';
import { canWrite, useSession } from '../auth';
import { useCustomFields } from '../custom-fields/api';
import { CustomFieldValue } from '../custom-fields/CustomFieldInput';
import { fieldLabel } from '../custom-fields/values';
import { useCustomer } from '../customers/api';
import { useUserDirectory } from '../users';
import {
  useCampaignOptions,
  useCustomerContacts,
  useDeleteOpportunity,
  useLostReasons,
  useMoveDealPlain,
  useOpportunity,
  useOpportunityHistory,
  useStageIndex,
  useLoseDeal,
  useWinDeal,
} from './api';
import { CreateContractButton, LoseDialog, ReopenDialog, WinDialog } from './CloseDealDialogs';
import { DealFollowUps } from './DealFollowUps';
import { DealFormDrawer } from './DealFormDrawer';
import { formatDuration } from './duration';
import { dealProblemMessage, kindColor, reasonLabel, stageName, visitStageName } from './labels';
import { formatMoney, sumAmounts } from './money';

/** The stages as steps: the open ones in order, then where the deal closed (or "won"). */
function StageSteps({
  deal,
  pipeline,
  writable,
  onMove,
}: {
  deal: Opportunity;
  pipeline: Pipeline;
  writable: boolean;
  onMove: (stage: PipelineStage) => void;
}) {
  const { i18n } = useTranslation();
  const open = pipeline.stages.filter((s) => s.kind === 'open');
  const current = pipeline.stages.find((s) => s.id === deal.stage_id);
  const closing =
    current && current.kind !== 'open' ? current : pipeline.stages.find((s) => s.kind === 'won');
  const steps = [...open, ...(closing ? [closing] : [])];
  const index = steps.findIndex((s) => s.id === deal.stage_id);
  return (
    <Steps
      size="small"
      current={index < 0 ? 0 : index}
      status={deal.status === 'lost' ? 'error' : deal.status === 'won' ? 'finish' : 'process'}
      onChange={
        writable
          ? (i) => {
              const target = steps[i];
              if (target && target.kind === 'open' && target.id !== deal.stage_id) onMove(target);
            }
          : undefined
      }
      items={steps.map((s) => ({
        title: stageName(s, i18n.language),
        description: s.kind === 'open' ? `${s.probability}%` : undefined,
        disabled: !writable || s.kind !== 'open' || s.id === deal.stage_id,
      }))}
      data-testid="deal-stage-steps"
    />
  );
}

function LineItemsTable({ deal }: { deal: Opportunity }) {
  const { t, i18n } = useTranslation();
  const money = (v: string) => formatMoney(v, deal.currency, i18n.language);
  return (
    <Table<OpportunityLine>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={deal.items}
      locale={{ emptyText: t('deals.lines.noneOnDeal') }}
      scroll={{ x: 'max-content' }}
      data-testid="deal-lines"
      columns={[
        { key: 'name', title: t('deals.lines.name'), dataIndex: 'name' },
        { key: 'quantity', title: t('deals.lines.quantity'), dataIndex: 'quantity', align: 'right', render: (q: string, l) => `${q.replace(/\.?0+$/, '')}${l.unit ? ` ${l.unit}` : ''}` },
        { key: 'unit_price', title: t('deals.lines.unitPrice'), dataIndex: 'unit_price', align: 'right', render: money },
        { key: 'discount', title: t('deals.lines.discount'), dataIndex: 'discount', align: 'right', render: (d: string) => `${d.replace(/\.?0+$/, '') || '0'}%` },
        { key: 'line_total', title: t('deals.lines.lineTotal'), dataIndex: 'line_total', align: 'right', render: (v: string) => <Typography.Text strong>{money(v)}</Typography.Text> },
      ]}
      summary={(rows) =>
        rows.length > 0 ? (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={4} align="right">
              {t('deals.lines.total')}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              <Typography.Text strong data-testid="deal-lines-total">
                {money(sumAmounts(rows.map((r) => r.line_total)))}
              </Typography.Text>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        ) : null
      }
    />
  );
}

function StageHistory({ dealId }: { dealId: string }) {
  const { t, i18n } = useTranslation();
  const users = useUserDirectory();
  const history = useOpportunityHistory(dealId);
  const unit = (name: 'days' | 'hours' | 'minutes' | 'lessThanMinute', count: number) => t(`deals.duration.${name}`, { count });
  if (history.isError) return <ProblemAlert error={history.error} onRetry={() => void history.refetch()} />;
  return (
    <Table<StageVisit>
      rowKey="id"
      size="small"
      pagination={false}
      loading={history.isPending}
      dataSource={[...(history.data ?? [])].reverse()}
      scroll={{ x: 'max-content' }}
      onRow={() => ({ 'data-testid': 'stage-history-row' }) as React.HTMLAttributes<HTMLElement>}
      data-testid="stage-history"
      columns={[
        {
          key: 'stage',
          title: t('deals.history.stage'),
          render: (_: unknown, v) => (
            <Tag color={kindColor(v.stage_kind)} bordered={false}>
              {visitStageName(v, i18n.language)}
            </Tag>
          ),
        },
        { key: 'entered_at', title: t('deals.history.entered'), dataIndex: 'entered_at', render: (v: string) => formatDateTime(v) },
        {
          key: 'left_at',
          title: t('deals.history.left'),
          dataIndex: 'left_at',
          render: (v: string | null) => (v ? formatDateTime(v) : <Tag bordered={false}>{t('deals.history.current')}</Tag>),
        },
        {
          key: 'duration',
          title: t('deals.history.duration'),
          dataIndex: 'seconds_in_stage',
          render: (s: number) => formatDuration(s, unit),
        },
        {
          key: 'moved_by',
          title: t('deals.history.movedBy'),
          dataIndex: 'moved_by',
          render: (id: string | null) => (id ? (users.byId.get(id)?.name ?? '…') : '—'),
        },
      ]}
    />
  );
}

type Dialog = 'edit' | 'win' | 'lose' | 'reopen' | null;

/** One deal: where it stands, what is in it, how it got here, and what happens next. */
export default function DealDetail() {
  const { opportunityId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const me = useSession();
  const writable = canWrite(me, 'opportunities');
  const users = useUserDirectory();
  const query = useOpportunity(opportunityId);
  const deal = query.data;
  const customer = useCustomer(deal?.customer_id);
  const contacts = useCustomerContacts(deal?.contact_id ? deal.customer_id : null);
  const { byId: stages } = useStageIndex();
  const reasons = useLostReasons(true);
  const fields = useCustomFields('opportunity');
  const campaigns = useCampaignOptions(Boolean(deal?.campaign_id));
  const win = useWinDeal();
  const lose = useLoseDeal();
  const move = useMoveDealPlain();
  const remove = useDeleteOpportunity();
  const [dialog, setDialog] = useState<Dialog>(null);

  if (query.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }
  if (query.isError || !deal) {
    if (isApiProblem(query.error) && query.error.status === 404) {
      return (
        <Result
          status="404"
          title={t('deals.notFound')}
          extra={<Button onClick={() => void navigate('/pipeline')}>{t('deals.backToBoard')}</Button>}
        />
      );
    }
    return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  }

  const found = stages.get(deal.stage_id);
  const pipeline = found?.pipeline;
  const stage = found?.stage;
  const owner = deal.owner_id ? users.byId.get(deal.owner_id) : undefined;
  const reason = deal.lost_reason_id ? (reasons.data ?? []).find((r) => r.id === deal.lost_reason_id) : undefined;
  const contact = (contacts.data ?? []).find((c) => c.id === deal.contact_id);
  const campaign = (campaigns.data ?? []).find((c) => c.id === deal.campaign_id);
  const editable = writable;
  const custom = deal.custom_fields as Record<string, unknown>;

  const moveTo = (target: PipelineStage) =>
    move.mutate(
      { id: deal.id, body: { stage_id: target.id } },
      {
        onSuccess: () => void message.success(t('deals.moved', { stage: stageName(target, i18n.language) })),
        onError: (error) => void message.error(dealProblemMessage(error)),
      },
    );

  const confirmDelete = () =>
    void modal.confirm({
      title: t('deals.deleteConfirm', { name: deal.name }),
      content: t('deals.deleteHelp'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync(deal).then(
          () => {
            void message.success(t('deals.deleted'));
            void navigate('/pipeline');
          },
          (error: unknown) => void message.error(dealProblemMessage(error)),
        ),
    });

  return (
    <>
      <Flex vertical gap={4} style={{ marginBottom: 16 }}>
        <Link to={pipeline ? `/pipeline?pipeline=${pipeline.id}` : '/pipeline'} style={{ fontSize: 13 }}>
          <ArrowLeftOutlined /> {t('deals.backToBoard')}
        </Link>
        <Flex justify="space-between" align="flex-start" gap={16} wrap>
          <Flex vertical gap={6}>
            <Space size={8} wrap>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="deal-name">
                {deal.name}
              </Typography.Title>
              <Tag color={kindColor(deal.status)} bordered={false} data-testid="deal-status">
                {t(`deals.statuses.${deal.status}`)}
              </Tag>
              {deal.rotting && <Tag color="orange">{t('pipeline.card.rotting')}</Tag>}
            </Space>
            <Space size={16} wrap>
              <Typography.Text type="secondary">
                {t('deals.fields.customer')}:{' '}
                {customer.isError ? (
                  '—'
                ) : (
                  <Link to={`/customers/${deal.customer_id}`} data-testid="deal-customer-link">
                    {customer.data?.name ?? '…'}
                  </Link>
                )}
              </Typography.Text>
              <Typography.Text type="secondary">
                {t('deals.fields.owner')}: <Typography.Text strong>{owner?.name ?? '—'}</Typography.Text>
              </Typography.Text>
              {pipeline && (
                <Typography.Text type="secondary">
                  {t('deals.fields.pipeline')}: {pipeline.name}
                </Typography.Text>
              )}
            </Space>
          </Flex>
          {editable && (
            <Space wrap>
              {deal.status === 'open' && (
                <>
                  <Button type="primary" icon={<CheckCircleOutlined />} onClick={() => setDialog('win')} data-testid="deal-win">
                    {t('deals.actions.win')}
                  </Button>
                  <Button danger icon={<CloseCircleOutlined />} onClick={() => setDialog('lose')} data-testid="deal-lose">
                    {t('deals.actions.lose')}
                  </Button>
                </>
              )}
              {deal.status !== 'open' && (
                <Button icon={<RollbackOutlined />} onClick={() => setDialog('reopen')} data-testid="deal-reopen">
                  {t('deals.actions.reopen')}
                </Button>
              )}
              <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="deal-edit">
                {t('common.edit')}
              </Button>
              <Dropdown
                trigger={['click']}
                menu={{ items: [{ key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('common.delete'), onClick: confirmDelete }] }}
              >
                <Button icon={<MoreOutlined />} aria-label={t('common.more')} />
              </Dropdown>
            </Space>
          )}
        </Flex>
      </Flex>
      {deal.status === 'won' && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('deals.wonBanner', { date: formatDate(deal.won_at) })}
          description={t('deals.win.nextStep')}
          action={<CreateContractButton dealId={deal.id} />}
          data-testid="deal-won-banner"
        />
      )}
      {deal.status === 'lost' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('deals.lostBanner', {
            date: formatDate(deal.lost_at),
            reason: reason ? reasonLabel(reason, i18n.language) : '—',
          })}
          description={deal.lost_note ?? undefined}
          data-testid="deal-lost-banner"
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Row gutter={[24, 16]} align="middle">
          <Col xs={24} md={6}>
            <Statistic
              title={t('deals.fields.amount')}
              value={formatMoney(deal.amount, deal.currency, i18n.language)}
              valueStyle={{ fontSize: 22 }}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('deals.probabilityLine', { probability: deal.probability })}
              {deal.probability_manual ? ` · ${t('deals.probabilityManual')}` : ''}
            </Typography.Text>
          </Col>
          <Col xs={24} md={18}>
            {pipeline ? (
              <StageSteps deal={deal} pipeline={pipeline} writable={editable} onMove={moveTo} />
            ) : (
              <Skeleton.Input active block />
            )}
          </Col>
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small">
            <Tabs
              defaultActiveKey="lines"
              items={[
                {
                  key: 'lines',
                  label: t('deals.tabs.lines', { count: deal.items.length }),
                  children: <LineItemsTable deal={deal} />,
                },
                { key: 'history', label: t('deals.tabs.history'), children: <StageHistory dealId={deal.id} /> },
                {
                  key: 'follow-ups',
                  label: t('deals.tabs.followUps'),
                  children: <DealFollowUps deal={deal} writable={editable} />,
                },
              ]}
              data-testid="deal-tabs"
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('deals.details')}>
            <Descriptions
              column={1}
              size="small"
              labelStyle={{ width: 110 }}
              items={[
                { key: 'stage', label: t('deals.fields.stage'), children: stage ? stageName(stage, i18n.language) : null },
                { key: 'stage_entered_at', label: t('deals.fields.stage_entered_at'), children: formatDateTime(deal.stage_entered_at) },
                { key: 'expected_close_date', label: t('deals.fields.expected_close_date'), children: formatDate(deal.expected_close_date) },
                { key: 'contact', label: t('deals.fields.contact'), children: contact?.name },
                { key: 'source', label: t('deals.fields.source'), children: deal.source },
                { key: 'campaign', label: t('deals.fields.campaign'), children: campaign?.name },
                {
                  key: 'lead',
                  label: t('deals.fields.lead'),
                  children: deal.lead_id ? <Link to={`/leads/${deal.lead_id}`}>{t('deals.fromLead')}</Link> : null,
                },
                { key: 'won_at', label: t('deals.fields.won_at'), children: formatDateTime(deal.won_at) },
                { key: 'lost_at', label: t('deals.fields.lost_at'), children: formatDateTime(deal.lost_at) },
                { key: 'created_at', label: t('deals.fields.created_at'), children: formatDateTime(deal.created_at) },
                { key: 'updated_at', label: t('deals.fields.updated_at'), children: formatDateTime(deal.updated_at) },
              ]
                .filter((item) => item.children || !['won_at', 'lost_at', 'lead'].includes(item.key))
                .map((item) => ({ ...item, children: item.children || <Typography.Text type="secondary">—</Typography.Text> }))}
            />
            {deal.notes && (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12, paddingTop: 12, borderTop: '1px dashed #e8ebf0' }}>
                {deal.notes}
              </Typography.Paragraph>
            )}
            {(fields.data?.length ?? 0) > 0 && (
              <Descriptions
                column={1}
                size="small"
                labelStyle={{ width: 110 }}
                style={{ marginTop: 12, paddingTop: 12, borderTop: '1px dashed #e8ebf0' }}
                items={(fields.data ?? []).map((field) => ({
                  key: field.key,
                  label: fieldLabel(field, i18n.language),
                  children: <CustomFieldValue field={field} value={custom[field.key]} />,
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
      {dialog === 'edit' && <DealFormDrawer deal={deal} onClose={() => setDialog(null)} />}
      {dialog === 'win' && (
        <WinDialog
          deal={deal}
          onConfirm={() => win.mutateAsync({ id: deal.id, body: {} })}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'lose' && (
        <LoseDialog
          deal={deal}
          onConfirm={(reasonId, note) => lose.mutateAsync({ id: deal.id, body: { lost_reason_id: reasonId, lost_note: note } })}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'reopen' && pipeline && (
        <ReopenDialog
          deal={deal}
          stages={pipeline.stages}
          onConfirm={(stageId) => move.mutateAsync({ id: deal.id, body: { stage_id: stageId } })}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
