import {
  ArrowLeftOutlined,
  CheckOutlined,
  CloseOutlined,
  DeleteOutlined,
  DollarOutlined,
  EditOutlined,
  MoreOutlined,
  SendOutlined,
  StopOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Dropdown,
  Flex,
  Form,
  Progress,
  Result,
  Row,
  Skeleton,
  Space,
  Statistic,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import { isApiProblem } from '../../api/problem';
import type { Contract } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDate, formatDateTime } from '../../lib/dates';
import { canWrite, useSession } from '../auth';
import { InvoicesPanel } from '../receivables/InvoicesPanel';
import { PaymentsPanel } from '../receivables/PaymentsPanel';
import { RecordPaymentModal } from '../receivables/RecordPaymentModal';
import { useUserDirectory } from '../users';
import { type ContractAction, useContract, useContractAction, useDeleteContract, usePaymentPlan } from './api';
import { ContractFormDrawer } from './ContractFormDrawer';
import { ContractStatusTag } from './ContractStatusTag';
import { formatMoney, isZero, percentOf } from './money';
import { PaymentPlanPanel } from './PaymentPlanPanel';
import { PlanEditorDrawer } from './PlanEditorDrawer';
import { cashProblemMessage } from './problems';
import { ReasonModal } from './ReasonModal';
import { APPROVER_ROLES } from './statuses';

type Dialog = 'edit' | 'plan' | 'payment' | 'submit' | 'approve' | 'reject' | 'terminate' | null;

function Amounts({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  const c = contract.currency;
  const money = (value: string) => formatMoney(value, c);
  const received = percentOf(contract.totals.received, contract.amount);
  return (
    <Card style={{ marginBottom: 16 }} data-testid="contract-amounts">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('contracts.fields.amount')} value={money(contract.amount)} data-testid="contract-amount" />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('contracts.totals.invoiced')} value={money(contract.totals.invoiced)} data-testid="contract-invoiced" />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('contracts.totals.received')}
            value={money(contract.totals.received)}
            valueStyle={{ color: '#389e0d' }}
            data-testid="contract-received"
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('contracts.totals.outstanding')}
            value={money(contract.totals.outstanding)}
            valueStyle={isZero(contract.totals.overdue) ? undefined : { color: '#cf1322' }}
            data-testid="contract-outstanding"
          />
          {!isZero(contract.totals.overdue) && (
            <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="contract-overdue">
              {t('contracts.overdueAmount', { amount: money(contract.totals.overdue) })}
            </Typography.Text>
          )}
        </Col>
      </Row>
      <Progress
        percent={received}
        showInfo
        format={(p) => t('contracts.receivedShare', { percent: p })}
        strokeColor="#52c41a"
        style={{ marginTop: 12, marginBottom: 0 }}
      />
    </Card>
  );
}

export default function ContractDetail() {
  const { contractId = '' } = useParams();
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const me = useSession();
  const users = useUserDirectory();
  const query = useContract(contractId);
  const plan = usePaymentPlan(contractId);
  const act = useContractAction();
  const remove = useDeleteContract();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [tab, setTab] = useState('plan');
  const [voidUnpaid, setVoidUnpaid] = useState(true);
  const writable = canWrite(me, 'contracts');
  const moneyWritable = canWrite(me, 'receivables');
  const approver = APPROVER_ROLES.has(me.user.role);

  if (query.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }
  if (query.isError) {
    if (isApiProblem(query.error) && query.error.status === 404) {
      return (
        <Result
          status="404"
          title={t('contracts.notFound')}
          extra={<Button onClick={() => void navigate('/contracts')}>{t('contracts.backToList')}</Button>}
        />
      );
    }
    return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  }

  const contract = query.data;
  const status = contract.status;
  const receivable = status === 'active' || status === 'expired' || status === 'terminated';
  const installments = plan.data?.installments ?? [];
  const userName = (id: string | null) => (id ? (users.byId.get(id)?.name ?? '…') : '—');

  const run = (step: ContractAction, done: string) =>
    act.mutateAsync({ contract, step }).then(
      () => void message.success(done),
      (error: unknown) => {
        void message.error(cashProblemMessage(error, contract.currency));
        if (isApiProblem(error) && error.status === 412) void query.refetch();
        throw error;
      },
    );

  const confirmDelete = () =>
    void modal.confirm({
      title: t('contracts.deleteConfirm', { number: contract.number }),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync(contract).then(
          () => {
            void message.success(t('contracts.deleted'));
            void navigate('/contracts');
          },
          (error: unknown) => void message.error(cashProblemMessage(error)),
        ),
    });

  const actions: React.ReactNode[] = [];
  if (writable && status !== 'terminated') {
    actions.push(
      <Button key="edit" icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="contract-edit">
        {t('common.edit')}
      </Button>,
    );
  }
  if (writable && status === 'draft') {
    actions.push(
      <Button key="submit" type="primary" icon={<SendOutlined />} onClick={() => setDialog('submit')} data-testid="contract-submit">
        {t('contracts.actions.submit')}
      </Button>,
    );
  }
  if (status === 'pending_approval' && approver && writable) {
    actions.push(
      <Button key="approve" type="primary" icon={<CheckOutlined />} onClick={() => setDialog('approve')} data-testid="contract-approve">
        {t('contracts.actions.approve')}
      </Button>,
      <Button key="reject" danger icon={<CloseOutlined />} onClick={() => setDialog('reject')} data-testid="contract-reject">
        {t('contracts.actions.reject')}
      </Button>,
    );
  }
  if (status === 'pending_approval' && !approver) {
    actions.push(
      <Tag key="waiting" color="processing" style={{ alignSelf: 'center' }}>
        {t('contracts.waitingForApproval')}
      </Tag>,
    );
  }
  if (receivable && moneyWritable && status !== 'terminated') {
    actions.push(
      <Button key="pay" type="primary" icon={<DollarOutlined />} onClick={() => setDialog('payment')} data-testid="record-payment">
        {t('payments.record')}
      </Button>,
    );
  }
  const more = [
    ...(writable && status === 'active'
      ? [{ key: 'terminate', icon: <StopOutlined />, danger: true, label: t('contracts.actions.terminate'), onClick: () => setDialog('terminate') }]
      : []),
    ...(writable && status === 'draft'
      ? [{ key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('common.delete'), onClick: confirmDelete }]
      : []),
  ];
  if (more.length > 0) {
    actions.push(
      <Dropdown key="more" trigger={['click']} menu={{ items: more }}>
        <Button icon={<MoreOutlined />} aria-label={t('common.more')} data-testid="contract-more" />
      </Dropdown>,
    );
  }

  const rejected = status === 'draft' && contract.decided_at && contract.decision_comment;
  const planEditable = moneyWritable && status !== 'terminated';

  return (
    <>
      <Flex vertical gap={4} style={{ marginBottom: 16 }}>
        <Link to="/contracts" style={{ fontSize: 13 }}>
          <ArrowLeftOutlined /> {t('contracts.backToList')}
        </Link>
        <Flex justify="space-between" align="flex-start" gap={16} wrap>
          <Flex vertical gap={6}>
            <Space size={8} wrap>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="contract-number">
                {contract.number}
              </Typography.Title>
              <ContractStatusTag status={status} />
              <Typography.Text style={{ fontSize: 16 }}>{contract.title}</Typography.Text>
            </Space>
            <Space size={16} wrap>
              <Typography.Text type="secondary">
                {t('contracts.fields.customer')}:{' '}
                <Link to={`/customers/${contract.customer_id}`} data-testid="contract-customer">
                  {contract.customer_name ?? '…'}
                </Link>
              </Typography.Text>
              <Typography.Text type="secondary">
                {t('contracts.fields.owner')}: <Typography.Text strong>{userName(contract.owner_id)}</Typography.Text>
              </Typography.Text>
              {contract.opportunity_id && (
                <Link to={`/opportunities/${contract.opportunity_id}`} style={{ fontSize: 14 }}>
                  {t('contracts.openDeal')}
                </Link>
              )}
              {(contract.starts_on || contract.ends_on) && (
                <Typography.Text type="secondary">
                  {t('contracts.fields.period')}: {formatDate(contract.starts_on) ?? '…'} ~ {formatDate(contract.ends_on) ?? '…'}
                </Typography.Text>
              )}
            </Space>
          </Flex>
          {actions.length > 0 && <Space wrap>{actions}</Space>}
        </Flex>
      </Flex>
      {rejected && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('contracts.rejectedBy', { name: userName(contract.decided_by), time: formatDateTime(contract.decided_at) })}
          description={contract.decision_comment}
          data-testid="contract-rejected"
        />
      )}
      {status === 'pending_approval' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('contracts.submittedBy', { name: userName(contract.submitted_by), time: formatDateTime(contract.submitted_at) })}
        />
      )}
      {status === 'terminated' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('contracts.terminatedAt', { time: formatDateTime(contract.terminated_at) })}
          description={contract.termination_reason}
        />
      )}
      {status === 'draft' && plan.data && installments.length === 0 && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('contracts.planHint')} />
      )}
      <Amounts contract={contract} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'plan',
              label: t('contracts.tabs.plan'),
              children: plan.isError ? (
                <ProblemAlert error={plan.error} onRetry={() => void plan.refetch()} />
              ) : plan.data ? (
                <PaymentPlanPanel
                  contract={contract}
                  plan={plan.data}
                  canEdit={planEditable}
                  canWriteOff={moneyWritable && receivable}
                  onEdit={() => setDialog('plan')}
                />
              ) : (
                <Skeleton active />
              ),
            },
            {
              key: 'payments',
              label: t('contracts.tabs.payments'),
              children: (
                <PaymentsPanel
                  contract={contract}
                  canRecord={receivable && moneyWritable && status !== 'terminated'}
                  canVoid={moneyWritable}
                  onRecord={() => setDialog('payment')}
                />
              ),
            },
            {
              key: 'invoices',
              label: t('contracts.tabs.invoices'),
              children: <InvoicesPanel contract={contract} writable={moneyWritable} />,
            },
            {
              key: 'details',
              label: t('contracts.tabs.details'),
              children: (
                <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
                  <Descriptions.Item label={t('contracts.fields.number')}>{contract.number}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.title')}>{contract.title}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.currency')}>{contract.currency}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.signed_on')}>{formatDate(contract.signed_on) ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.starts_on')}>{formatDate(contract.starts_on) ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.ends_on')}>{formatDate(contract.ends_on) ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.fromDeal')}>
                    {contract.opportunity_id ? (
                      <Link to={`/opportunities/${contract.opportunity_id}`} data-testid="contract-deal">
                        {t('contracts.openDeal')}
                      </Link>
                    ) : (
                      t('common.no')
                    )}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.created_at')}>{formatDateTime(contract.created_at)}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.submitted')}>
                    {contract.submitted_at ? `${userName(contract.submitted_by)} · ${formatDateTime(contract.submitted_at)}` : '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.decided')}>
                    {contract.decided_at
                      ? `${userName(contract.decided_by)} · ${formatDateTime(contract.decided_at)}${contract.decision_comment ? ` · ${contract.decision_comment}` : ''}`
                      : '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('contracts.fields.notes')} span={2}>
                    <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{contract.notes ?? '—'}</Typography.Paragraph>
                  </Descriptions.Item>
                </Descriptions>
              ),
            },
          ]}
        />
      </Card>

      {dialog === 'edit' && <ContractFormDrawer contract={contract} onClose={() => setDialog(null)} />}
      {dialog === 'plan' && plan.data && (
        <PlanEditorDrawer contract={contract} installments={plan.data.installments} onClose={() => setDialog(null)} />
      )}
      {dialog === 'payment' && (
        <RecordPaymentModal contract={contract} installments={installments} onClose={() => setDialog(null)} />
      )}
      {dialog === 'submit' && (
        <ReasonModal
          title={t('contracts.actions.submitTitle', { number: contract.number })}
          label={t('contracts.actions.comment')}
          required={false}
          maxLength={1000}
          okText={t('contracts.actions.submit')}
          testId="submit-modal"
          onClose={() => setDialog(null)}
          onSubmit={(comment) => run({ action: 'submit', comment: comment || null }, t('contracts.actions.submitted'))}
        />
      )}
      {dialog === 'approve' && (
        <ReasonModal
          title={t('contracts.actions.approveTitle', { number: contract.number })}
          label={t('contracts.actions.comment')}
          required={false}
          maxLength={1000}
          okText={t('contracts.actions.approve')}
          testId="approve-modal"
          onClose={() => setDialog(null)}
          onSubmit={(comment) => run({ action: 'approve', comment: comment || null }, t('contracts.actions.approved'))}
        />
      )}
      {dialog === 'reject' && (
        <ReasonModal
          title={t('contracts.actions.rejectTitle', { number: contract.number })}
          label={t('contracts.actions.rejectComment')}
          maxLength={1000}
          danger
          okText={t('contracts.actions.reject')}
          testId="reject-modal"
          onClose={() => setDialog(null)}
          onSubmit={(comment) => run({ action: 'reject', comment }, t('contracts.actions.rejected'))}
        />
      )}
      {dialog === 'terminate' && (
        <ReasonModal
          title={t('contracts.actions.terminateTitle', { number: contract.number })}
          label={t('contracts.actions.terminateReason')}
          maxLength={1000}
          danger
          okText={t('contracts.actions.terminate')}
          testId="terminate-modal"
          extra={
            <Form.Item style={{ marginBottom: 0 }}>
              <Checkbox checked={voidUnpaid} onChange={(e) => setVoidUnpaid(e.target.checked)}>
                {t('contracts.actions.voidUnpaid')}
              </Checkbox>
            </Form.Item>
          }
          onClose={() => setDialog(null)}
          onSubmit={(reason) =>
            run({ action: 'terminate', reason, void_unpaid_installments: voidUnpaid }, t('contracts.actions.terminated'))
          }
        />
      )}
    </>
  );
}
