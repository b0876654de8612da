import { ArrowLeftOutlined, EditOutlined, NodeIndexOutlined, SwapRightOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Progress,
  Result,
  Row,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import { isApiProblem } from '../../api/problem';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import { canWrite, useSession } from '../auth';
import { useCampaignDirectory } from '../campaigns/api';
import { useCustomFields } from '../custom-fields/api';
import { CustomFieldValue } from '../custom-fields/CustomFieldInput';
import { fieldLabel } from '../custom-fields/values';
import { useUserDirectory } from '../users';
import { useLead, useUpdateLead } from './api';
import { assignmentNoteText } from './assignmentNote';
import { ConvertModal } from './ConvertModal';
import { LeadFollowUpComposer, LeadFollowUpList } from './LeadFollowUps';
import { LeadFormDrawer } from './LeadFormDrawer';
import { LeadStatusMenu } from './LeadStatusMenu';
import { LeadStatusTag } from './LeadStatusTag';

type Translate = (key: string, options?: Record<string, unknown>) => string;

export default function LeadDetail() {
  const { leadId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const me = useSession();
  const users = useUserDirectory();
  const campaigns = useCampaignDirectory();
  const fields = useCustomFields('lead');
  const query = useLead(leadId);
  const update = useUpdateLead();
  const [dialog, setDialog] = useState<'edit' | 'convert' | null>(null);

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
          title={t('leads.notFound')}
          extra={<Button onClick={() => void navigate('/leads')}>{t('leads.backToList')}</Button>}
        />
      );
    }
    return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  const lead = query.data;
  const converted = lead.status === 'converted';
  const editable = canWrite(me, 'leads') && !converted;
  const owner = lead.owner_id ? users.byId.get(lead.owner_id) : undefined;
  const campaign = lead.campaign_id ? campaigns.byId.get(lead.campaign_id) : undefined;
  const custom = lead.custom_fields as Record<string, unknown>;
  const note = assignmentNoteText(lead.assignment_note, t as unknown as Translate);

  const move = (status: typeof lead.status) =>
    update.mutate(
      { lead, body: { status } },
      {
        onSuccess: () => void message.success(t('leads.moved', { status: t(`leads.statuses.${status}`) })),
        onError: (error) => void message.error(problemMessage(error)),
      },
    );

  return (
    <>
      <Flex vertical gap={4} style={{ marginBottom: 16 }}>
        <Link to="/leads" style={{ fontSize: 13 }}>
          <ArrowLeftOutlined /> {t('leads.backToList')}
        </Link>
        <Flex justify="space-between" align="flex-start" gap={16} wrap>
          <Flex vertical gap={6}>
            <Space size={8} wrap>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="lead-name">
                {lead.name}
              </Typography.Title>
              <LeadStatusTag status={lead.status} />
              {lead.company && <Typography.Text type="secondary">{lead.company}</Typography.Text>}
            </Space>
            <Typography.Text type="secondary" data-testid="lead-owner">
              {t('leads.fields.owner')}:{' '}
              <Typography.Text strong>{owner?.name ?? (lead.owner_id ? '…' : t('leads.unassigned'))}</Typography.Text>
            </Typography.Text>
          </Flex>
          {editable && (
            <Space>
              <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="lead-edit">
                {t('common.edit')}
              </Button>
              <LeadStatusMenu lead={lead} onMove={move} onConvert={() => setDialog('convert')} />
              <Button type="primary" icon={<SwapRightOutlined />} onClick={() => setDialog('convert')} data-testid="lead-convert">
                {t('leads.convert.button')}
              </Button>
            </Space>
          )}
        </Flex>
      </Flex>
      {converted && lead.converted_customer_id && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('leads.convertedAt', { time: formatDateTime(lead.converted_at) })}
          action={
            <Button size="small" onClick={() => void navigate(`/customers/${lead.converted_customer_id}`)}>
              {t('leads.openCustomer')}
            </Button>
          }
          data-testid="lead-converted"
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            {editable && (
              <Card size="small" title={t('followUp.title')}>
                <LeadFollowUpComposer leadId={lead.id} />
              </Card>
            )}
            <Card size="small" title={t('leads.followUps')}>
              <LeadFollowUpList leadId={lead.id} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <Card
              size="small"
              title={
                <Space size={6}>
                  <NodeIndexOutlined />
                  {t('leads.assignment')}
                </Space>
              }
              data-testid="lead-assignment"
            >
              <Flex vertical gap={6}>
                <Typography.Text>
                  {owner ? t('leads.assignedTo', { name: owner.name }) : t('leads.waiting')}
                </Typography.Text>
                {note && (
                  <Typography.Text type="secondary" data-testid="lead-assignment-note">
                    {note}
                  </Typography.Text>
                )}
                {lead.assigned_rule_id && (
                  <Link to="/assignment-rules" style={{ fontSize: 13 }}>
                    {t('leads.viewRules')}
                  </Link>
                )}
              </Flex>
            </Card>
            <Card size="small" title={t('leads.profile')}>
              <Descriptions
                column={1}
                size="small"
                labelStyle={{ width: 110 }}
                items={[
                  { key: 'title', label: t('leads.fields.title'), children: lead.title },
                  { key: 'phones', label: t('leads.fields.phones'), children: lead.phones.join(', ') },
                  { key: 'email', label: t('leads.fields.email'), children: lead.email },
                  {
                    key: 'region',
                    label: t('customers.columns.region'),
                    children: [lead.province, lead.city].filter(Boolean).join(' / '),
                  },
                  { key: 'source', label: t('leads.fields.source'), children: lead.source },
                  {
                    key: 'campaign',
                    label: t('leads.fields.campaign'),
                    children: lead.campaign_id ? (
                      <Link to={`/campaigns/${lead.campaign_id}`}>{campaign?.name ?? '…'}</Link>
                    ) : null,
                  },
                  {
                    key: 'score',
                    label: t('leads.fields.score'),
                    children: <Progress percent={lead.score} size="small" format={(p) => p} style={{ maxWidth: 180, margin: 0 }} />,
                  },
                  { key: 'notes', label: t('leads.fields.notes'), children: lead.notes },
                  { key: 'created_at', label: t('leads.fields.created_at'), children: formatDateTime(lead.created_at) },
                  { key: 'updated_at', label: t('leads.fields.updated_at'), children: formatDateTime(lead.updated_at) },
                ].map((item) => ({
                  ...item,
                  children: item.children || <Typography.Text type="secondary">—</Typography.Text>,
                }))}
              />
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
          </Flex>
        </Col>
      </Row>
      {dialog === 'edit' && <LeadFormDrawer lead={lead} onClose={() => setDialog(null)} />}
      {dialog === 'convert' && (
        <ConvertModal
          lead={lead}
          onClose={() => setDialog(null)}
          onConverted={(result) => {
            setDialog(null);
            void navigate(`/customers/${result.customer_id}`);
          }}
        />
      )}
    </>
  );
}
