import {
  ArrowLeftOutlined,
  CustomerServiceOutlined,
  DeleteOutlined,
  EditOutlined,
  MergeCellsOutlined,
  MoreOutlined,
  SwapOutlined,
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
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import { isApiProblem } from '../../api/problem';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime, fromNow } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import { canWrite, useSession } from '../auth';
import { useCustomFields } from '../custom-fields/api';
import { CustomFieldValue } from '../custom-fields/CustomFieldInput';
import { fieldLabel } from '../custom-fields/values';
import { CustomerRfmCard } from '../customer-value';
import { ReleaseButton } from '../pools/ReleaseButton';
import { TagChips } from '../tags';
import { TicketFormDrawer } from '../tickets';
import { useUserDirectory } from '../users';
import { useCustomer, useDeleteCustomer, useRestoreCustomer } from './api';
import { CollaboratorsCard } from './CollaboratorsCard';
import { ContactsPanel } from './ContactsPanel';
import { CustomerFormDrawer } from './CustomerFormDrawer';
import { CustomerTimeline } from './CustomerTimeline';
import { statusColor } from './filters';
import { FollowUpComposer } from './FollowUpComposer';
import { OwnershipLedger } from './OwnershipLedger';
import { TasksPanel } from './TasksPanel';
import { TransferModal } from './TransferModal';

export default function CustomerDetail() {
  const { customerId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const me = useSession();
  const writable = canWrite(me, 'customers');
  const users = useUserDirectory();
  const fields = useCustomFields('customer');
  const query = useCustomer(customerId);
  const remove = useDeleteCustomer();
  const restore = useRestoreCustomer();
  const [dialog, setDialog] = useState<'edit' | 'transfer' | 'ticket' | null>(null);

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
          title={t('customers.notFound')}
          extra={<Button onClick={() => void navigate('/customers')}>{t('customers.backToList')}</Button>}
        />
      );
    }
    return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  const customer = query.data;
  const deleted = customer.deleted_at !== null;
  const owner = customer.owner_id ? users.byId.get(customer.owner_id) : undefined;
  const editable = writable && !deleted;
  const ticketable = canWrite(me, 'tickets') && !deleted;
  const custom = customer.custom_fields as Record<string, unknown>;

  const confirmDelete = () =>
    void modal.confirm({
      title: t('customers.deleteConfirm', { name: customer.name }),
      content: t('customers.deleteHelp'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync(customer).then(
          () => {
            void message.success(t('customers.deleted'));
            void navigate('/customers');
          },
          (error: unknown) => void message.error(problemMessage(error)),
        ),
    });

  return (
    <>
      <Flex vertical gap={4} style={{ marginBottom: 16 }}>
        <Link to="/customers" style={{ fontSize: 13 }}>
          <ArrowLeftOutlined /> {t('customers.backToList')}
        </Link>
        <Flex justify="space-between" align="flex-start" gap={16} wrap>
          <Flex vertical gap={6}>
            <Space size={8} wrap>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="customer-name">
                {customer.name}
              </Typography.Title>
              <Tag color={statusColor(customer.status)} bordered={false}>
                {t(`customers.statuses.${customer.status}`)}
              </Tag>
              {customer.level && <Tag color="gold">{t('customers.levelTag', { level: customer.level })}</Tag>}
              <TagChips ids={customer.tag_ids} />
            </Space>
            <Space size={16} wrap>
              <Typography.Text type="secondary" data-testid="customer-owner">
                {t('customers.fields.owner')}:{' '}
                <Typography.Text strong>{owner?.name ?? (customer.owner_id ? '…' : t('customers.inPool'))}</Typography.Text>
              </Typography.Text>
              <Typography.Text type="secondary">
                {t('customers.fields.last_followed_at')}:{' '}
                {customer.last_followed_at ? fromNow(customer.last_followed_at) : t('customers.neverFollowed')}
              </Typography.Text>
              {customer.next_follow_up_at && (
                <Typography.Text type="secondary">
                  {t('customers.fields.next_follow_up_at')}: {formatDateTime(customer.next_follow_up_at)}
                </Typography.Text>
              )}
            </Space>
          </Flex>
          {(editable || ticketable) && (
            <Space>
              {ticketable && (
                <Button icon={<CustomerServiceOutlined />} onClick={() => setDialog('ticket')} data-testid="customer-new-ticket">
                  {t('tickets.create')}
                </Button>
              )}
              {editable && (
                <>
                  <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="customer-edit">
                    {t('common.edit')}
                  </Button>
                  <Button icon={<SwapOutlined />} onClick={() => setDialog('transfer')} data-testid="customer-transfer">
                    {t('transfer.button')}
                  </Button>
                  <ReleaseButton customer={customer} />
                  <Dropdown
                    trigger={['click']}
                    menu={{
                      items: [
                        {
                          key: 'merge',
                          icon: <MergeCellsOutlined />,
                          label: t('merge.button'),
                          onClick: () => void navigate(`/customers/${customer.id}/merge`),
                        },
                        { type: 'divider' },
                        { key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('common.delete'), onClick: confirmDelete },
                      ],
                    }}
                  >
                    <Button icon={<MoreOutlined />} aria-label={t('common.more')} data-testid="customer-more" />
                  </Dropdown>
                </>
              )}
            </Space>
          )}
        </Flex>
      </Flex>
      {deleted && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={
            customer.merged_into_id ? t('customers.mergedAway') : t('customers.inBin', { time: formatDateTime(customer.deleted_at) })
          }
          action={
            customer.merged_into_id ? (
              <Button size="small" onClick={() => void navigate(`/customers/${customer.merged_into_id}`)}>
                {t('customers.openSurvivor')}
              </Button>
            ) : (
              writable && (
                <Button
                  size="small"
                  loading={restore.isPending}
                  onClick={() =>
                    restore.mutate(customer.id, {
                      onSuccess: () => void message.success(t('customers.restored')),
                      onError: (error) => void message.error(problemMessage(error)),
                    })
                  }
                >
                  {t('customers.restore')}
                </Button>
              )
            )
          }
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            {editable && (
              <Card size="small" title={t('followUp.title')}>
                <FollowUpComposer customerId={customer.id} />
              </Card>
            )}
            <Card size="small">
              <Tabs
                defaultActiveKey="timeline"
                items={[
                  { key: 'timeline', label: t('customers.tabs.timeline'), children: <CustomerTimeline customerId={customer.id} /> },
                  { key: 'contacts', label: t('customers.tabs.contacts'), children: <ContactsPanel customerId={customer.id} writable={editable} /> },
                  { key: 'tasks', label: t('customers.tabs.tasks'), children: <TasksPanel customerId={customer.id} writable={editable} /> },
                  { key: 'ledger', label: t('customers.tabs.ledger'), children: <OwnershipLedger customerId={customer.id} /> },
                ]}
              />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <Card size="small" title={t('customers.profile')}>
              <Descriptions
                column={1}
                size="small"
                labelStyle={{ width: 120 }}
                items={[
                  { key: 'kind', label: t('customers.fields.kind'), children: t(`customers.kinds.${customer.kind}`) },
                  { key: 'short_name', label: t('customers.fields.short_name'), children: customer.short_name },
                  {
                    key: 'phones',
                    label: t('customers.fields.phones'),
                    children: customer.phones.length ? customer.phones.join(', ') : null,
                  },
                  { key: 'email', label: t('customers.fields.email'), children: customer.email },
                  { key: 'website', label: t('customers.fields.website'), children: customer.website },
                  { key: 'credit_code', label: t('customers.fields.credit_code'), children: customer.credit_code },
                  { key: 'industry', label: t('customers.fields.industry'), children: customer.industry },
                  { key: 'source', label: t('customers.fields.source'), children: customer.source },
                  {
                    key: 'region',
                    label: t('customers.columns.region'),
                    children: [customer.province, customer.city, customer.district].filter(Boolean).join(' / ') || null,
                  },
                  { key: 'address', label: t('customers.fields.address'), children: customer.address },
                  { key: 'created_at', label: t('customers.fields.created_at'), children: formatDateTime(customer.created_at) },
                  { key: 'updated_at', label: t('customers.fields.updated_at'), children: formatDateTime(customer.updated_at) },
                ].map((item) => ({ ...item, children: item.children || <Typography.Text type="secondary">—</Typography.Text> }))}
              />
              {(fields.data?.length ?? 0) > 0 && (
                <Descriptions
                  column={1}
                  size="small"
                  labelStyle={{ width: 120 }}
                  style={{ marginTop: 12, paddingTop: 12, borderTop: '1px dashed #e8ebf0' }}
                  items={(fields.data ?? []).map((field) => ({
                    key: field.key,
                    label: fieldLabel(field, i18n.language),
                    children: <CustomFieldValue field={field} value={custom[field.key]} />,
                  }))}
                />
              )}
            </Card>
            <CustomerRfmCard customerId={customer.id} rfm={customer.rfm} />
            <CollaboratorsCard customerId={customer.id} ownerId={customer.owner_id} writable={editable} />
          </Flex>
        </Col>
      </Row>
      {dialog === 'edit' && <CustomerFormDrawer customer={customer} onClose={() => setDialog(null)} />}
      {dialog === 'transfer' && <TransferModal customer={customer} onClose={() => setDialog(null)} />}
      {dialog === 'ticket' && (
        <TicketFormDrawer customerId={customer.id} customerName={customer.name} onClose={() => setDialog(null)} />
      )}
    </>
  );
}
