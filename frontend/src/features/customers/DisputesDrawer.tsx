import { App as AntApp, Badge, Button, Drawer, Empty, Input, List, Popconfirm, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Dispute, DisputeStatus } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useUserDirectory } from '../users';
import { useCustomer, useDecideDispute, useDisputes } from './api';

const DECIDERS = new Set(['owner', 'admin', 'manager']);
const STATUS_COLORS: Record<DisputeStatus, string> = { open: 'processing', upheld: 'success', rejected: 'default' };

function DecideButtons({ dispute }: { dispute: Dispute }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const decide = useDecideDispute();
  const [note, setNote] = useState('');
  const run = (decision: 'upheld' | 'rejected') =>
    decide.mutate(
      { id: dispute.id, body: { decision, note: note.trim() || null } },
      {
        onSuccess: () => void message.success(t(`disputes.decided.${decision}`)),
        onError: (error) => void message.error(problemMessage(error)),
      },
    );
  const noteInput = (
    <Input.TextArea
      value={note}
      onChange={(e) => setNote(e.target.value)}
      placeholder={t('disputes.note')}
      autoSize={{ minRows: 2 }}
      style={{ width: 260, marginTop: 8 }}
    />
  );
  return (
    <Space size={0}>
      <Popconfirm
        title={t('disputes.upholdConfirm')}
        description={noteInput}
        okText={t('disputes.uphold')}
        cancelText={t('common.cancel')}
        onConfirm={() => run('upheld')}
      >
        <Button type="link" size="small" loading={decide.isPending}>
          {t('disputes.uphold')}
        </Button>
      </Popconfirm>
      <Popconfirm
        title={t('disputes.rejectConfirm')}
        description={noteInput}
        okText={t('disputes.reject')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onConfirm={() => run('rejected')}
      >
        <Button type="link" size="small" danger loading={decide.isPending}>
          {t('disputes.reject')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

/** The disputed customer's name when the caller may read it (a claimant often may not). */
function CustomerName({ id }: { id: string }) {
  const { t } = useTranslation();
  const customer = useCustomer(id);
  return <>{customer.data?.name ?? t('disputes.customerLink')}</>;
}

/** Ownership disputes: yours (reps), your team's (managers), all (admins); managers decide. */
export function DisputesDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const me = useSession();
  const users = useUserDirectory();
  const [status, setStatus] = useState<DisputeStatus | 'all'>('open');
  const disputes = useDisputes(status === 'all' ? undefined : status);
  const canDecide = DECIDERS.has(me.user.role);
  const name = (id: string | null) => (id ? (users.byId.get(id)?.name ?? '—') : '—');

  return (
    <Drawer open width={560} title={t('disputes.title')} onClose={onClose}>
      <Segmented
        value={status}
        onChange={(value) => setStatus(value)}
        options={(['open', 'upheld', 'rejected', 'all'] as const).map((s) => ({
          value: s,
          label: s === 'all' ? t('common.all') : t(`disputes.statuses.${s}`),
        }))}
        style={{ marginBottom: 16 }}
      />
      {disputes.isError && <ProblemAlert error={disputes.error} onRetry={() => void disputes.refetch()} />}
      <List<Dispute>
        loading={disputes.isPending}
        dataSource={disputes.data?.data ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('disputes.empty')} /> }}
        renderItem={(dispute) => (
          <List.Item
            actions={canDecide && dispute.status === 'open' ? [<DecideButtons key="decide" dispute={dispute} />] : []}
          >
            <List.Item.Meta
              title={
                <Space size={8}>
                  <Link to={`/customers/${dispute.customer_id}`} onClick={onClose}>
                    <CustomerName id={dispute.customer_id} />
                  </Link>
                  <Badge status={STATUS_COLORS[dispute.status] as 'processing'} text={t(`disputes.statuses.${dispute.status}`)} />
                </Space>
              }
              description={
                <Space direction="vertical" size={2}>
                  <Typography.Text type="secondary">
                    {t('disputes.summary', {
                      claimant: name(dispute.claimant_id),
                      owner: name(dispute.owner_at_claim_id),
                      time: formatDateTime(dispute.created_at),
                    })}
                  </Typography.Text>
                  <Typography.Text>{dispute.evidence}</Typography.Text>
                  {dispute.decision_note && (
                    <Tag bordered={false}>{t('disputes.noteShown', { note: dispute.decision_note })}</Tag>
                  )}
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </Drawer>
  );
}
