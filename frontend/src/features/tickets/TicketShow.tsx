import {
  ArrowLeftOutlined,
  CustomerServiceOutlined,
  EditOutlined,
  NodeIndexOutlined,
  SmileOutlined,
  UserAddOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Rate,
  Result,
  Row,
  Skeleton,
  Space,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import { isApiProblem } from '../../api/problem';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import { useNow } from '../../lib/useNow';
import { canWrite, useSession } from '../auth';
import { TagChips } from '../tags';
import { useTeams } from '../teams';
import { useUserDirectory } from '../users';
import { useAssignTicket, useReturnVisit, useSlaPolicies, useTicket, useTicketHistory } from './api';
import { AssignModal } from './AssignModal';
import { historyNoteText, ticketNoteText } from './notes';
import { csatUrl } from './csat';
import { SlaBadge } from './SlaBadge';
import { typeLabel } from './statuses';
import { ReplyBox, TicketConversation } from './TicketConversation';
import { TicketStatusActions } from './TicketStatusActions';
import { returnVisitBlocker } from './returnVisit';
import { ReturnVisitModal } from './ReturnVisitModal';
import { TicketEditDrawer } from './TicketEditDrawer';
import { PriorityTag, TicketStatusTag } from './TicketTags';
import type { Ticket } from './types';

type Translate = (key: string, options?: Record<string, unknown>) => string;

function SlaCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const now = useNow(15_000);
  const policies = useSlaPolicies();
  const policy = policies.data?.find((p) => p.id === ticket.sla.policy_id);
  const { first_response: first, resolution } = ticket.sla;
  const none = first.state === 'none' && resolution.state === 'none';
  return (
    <Card size="small" title={t('tickets.sla.title')} data-testid="ticket-sla">
      {none ? (
        <Typography.Text type="secondary">{t('tickets.sla.noPolicy')}</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          {(['firstResponse', 'resolution'] as const).map((which) => {
            const clock = which === 'firstResponse' ? first : resolution;
            if (clock.state === 'none') return null;
            const at = clock.met_at ?? clock.due_at;
            return (
              <Flex key={which} vertical gap={2}>
                <SlaBadge clock={clock} which={which} now={now} warningMinutes={policy?.warning_minutes} />
                {at && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {clock.met_at
                      ? t('tickets.sla.metAt', { time: formatDateTime(clock.met_at) })
                      : t('tickets.sla.dueAt', { time: formatDateTime(clock.due_at) })}
                  </Typography.Text>
                )}
              </Flex>
            );
          })}
          {ticket.sla.paused && <Typography.Text type="secondary">{t('tickets.sla.pausedHelp')}</Typography.Text>}
          {policy && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('tickets.sla.policy', { name: policy.name })}
            </Typography.Text>
          )}
        </Flex>
      )}
    </Card>
  );
}

function CsatCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const csat = ticket.csat;
  return (
    <Card
      size="small"
      title={
        <Space size={6}>
          <SmileOutlined />
          {t('tickets.csat.title')}
        </Space>
      }
      data-testid="ticket-csat"
    >
      {!csat ? (
        <Typography.Text type="secondary">{t('tickets.csat.notYet')}</Typography.Text>
      ) : csat.rating !== null ? (
        <Flex vertical gap={4}>
          <Space>
            <Rate disabled value={csat.rating} />
            <Typography.Text strong data-testid="ticket-csat-rating">
              {t('tickets.csat.score', { score: csat.rating })}
            </Typography.Text>
          </Space>
          {csat.comment && <Typography.Paragraph style={{ marginBottom: 0 }}>“{csat.comment}”</Typography.Paragraph>}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(csat.rated_at)}
          </Typography.Text>
        </Flex>
      ) : (
        <Flex vertical gap={4}>
          <Typography.Text>{t('tickets.csat.send')}</Typography.Text>
          <Typography.Text copyable code style={{ wordBreak: 'break-all' }} data-testid="ticket-csat-link">
            {csatUrl(window.location.origin, csat.token)}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('tickets.csat.expires', { time: formatDateTime(csat.expires_at) })}
          </Typography.Text>
        </Flex>
      )}
      {ticket.return_visit_score !== null && <ReturnVisitResult ticket={ticket} />}
    </Card>
  );
}

/** The logged return visit: its score, what the customer said, who called and when. */
function ReturnVisitResult({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const visit = useReturnVisit(ticket.return_visit_activity_id);
  const prefix = `[${ticket.number}] `;
  const content = visit.data?.content.startsWith(prefix) ? visit.data.content.slice(prefix.length) : visit.data?.content;
  return (
    <Flex vertical gap={4} style={{ marginTop: 12, paddingTop: 12, borderTop: '1px solid #f0f0f0' }} data-testid="ticket-return-visit">
      <Space size={6}>
        <CustomerServiceOutlined />
        <Typography.Text strong>{t('tickets.returnVisit.result')}</Typography.Text>
        <Rate disabled value={ticket.return_visit_score ?? 0} style={{ fontSize: 14 }} />
        <Typography.Text data-testid="ticket-return-visit-score">{t('tickets.csat.score', { score: ticket.return_visit_score })}</Typography.Text>
      </Space>
      {content && <Typography.Paragraph style={{ marginBottom: 0 }}>“{content}”</Typography.Paragraph>}
      {visit.data && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {(visit.data.author_id ? users.byId.get(visit.data.author_id)?.name : null) ?? '…'} · {formatDateTime(visit.data.occurred_at)}
        </Typography.Text>
      )}
    </Flex>
  );
}

function HistoryCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const history = useTicketHistory(ticket.id);
  return (
    <Card size="small" title={t('tickets.history')}>
      {history.isError && <ProblemAlert error={history.error} />}
      <Timeline
        style={{ marginBottom: -24 }}
        items={(history.data ?? []).map((item) => ({
          key: item.id,
          color: item.to_status === 'resolved' ? 'green' : item.to_status === 'closed' ? 'gray' : 'blue',
          children: (
            <Flex vertical gap={0}>
              <Typography.Text>
                {item.from_status
                  ? t('tickets.historyMove', {
                      from: t(`tickets.statuses.${item.from_status}`),
                      to: t(`tickets.statuses.${item.to_status}`),
                    })
                  : t('tickets.historyCreated')}
              </Typography.Text>
              {item.note && <Typography.Text type="secondary">{historyNoteText(item.note, t as unknown as Translate)}</Typography.Text>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {(item.actor_id ? users.byId.get(item.actor_id)?.name : null) ?? t('tickets.system')} · {formatDateTime(item.at)}
              </Typography.Text>
            </Flex>
          ),
        }))}
      />
    </Card>
  );
}

/** One ticket: the conversation with the reply box, status actions, SLA clocks, people, CSAT. */
export default function TicketShow() {
  const { ticketId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSession();
  const users = useUserDirectory();
  const teams = useTeams();
  const { message } = AntApp.useApp();
  const query = useTicket(ticketId);
  const assign = useAssignTicket();
  const [assigning, setAssigning] = useState(false);
  const [dialog, setDialog] = useState<'edit' | 'returnVisit' | null>(null);

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
          title={t('tickets.notFound')}
          extra={<Button onClick={() => void navigate('/tickets')}>{t('tickets.backToList')}</Button>}
        />
      );
    }
    return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  const ticket = query.data;
  const writable = canWrite(me, 'tickets');
  const assignee = ticket.assignee_id ? users.byId.get(ticket.assignee_id) : undefined;
  const team = ticket.team_id ? teams.data?.find((x) => x.id === ticket.team_id) : undefined;
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const note = ticketNoteText(ticket.assignment_note, t as unknown as Translate);
  const visitBlocker = returnVisitBlocker(ticket);
  const takeable = writable && !ticket.assignee_id && ticket.status !== 'resolved' && ticket.status !== 'closed';
  const take = () =>
    assign.mutate(
      { ticket, body: { assignee_id: me.user.id, reroute: false } },
      {
        onSuccess: () => void message.success(t('tickets.assign.taken')),
        onError: (error) => void message.error(problemMessage(error)),
      },
    );

  return (
    <>
      <Flex vertical gap={4} style={{ marginBottom: 16 }}>
        <Link to="/tickets" style={{ fontSize: 13 }}>
          <ArrowLeftOutlined /> {t('tickets.backToList')}
        </Link>
        <Flex justify="space-between" align="flex-start" gap={16} wrap>
          <Flex vertical gap={6}>
            <Space size={8} wrap>
              <Typography.Text type="secondary" data-testid="ticket-number">
                {ticket.number}
              </Typography.Text>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="ticket-subject">
                {ticket.subject}
              </Typography.Title>
              <TicketStatusTag status={ticket.status} />
              <PriorityTag priority={ticket.priority} />
            </Space>
            <Typography.Text type="secondary" data-testid="ticket-assignee">
              {t('tickets.fields.assignee')}:{' '}
              <Typography.Text strong>{assignee?.name ?? (ticket.assignee_id ? '…' : t('tickets.unassigned'))}</Typography.Text>
              {team && ` · ${team.name}`}
            </Typography.Text>
          </Flex>
          {writable && (
            <Space wrap>
              {takeable && (
                <Button icon={<UserAddOutlined />} onClick={take} loading={assign.isPending} data-testid="ticket-take">
                  {t('tickets.assign.take')}
                </Button>
              )}
              <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="ticket-edit">
                {t('common.edit')}
              </Button>
              <Button icon={<UserSwitchOutlined />} onClick={() => setAssigning(true)} data-testid="ticket-assign">
                {t('tickets.assign.button')}
              </Button>
              {visitBlocker !== 'notResolved' && (
                <Tooltip title={visitBlocker === 'noCustomer' ? t('tickets.returnVisit.needsCustomer') : undefined}>
                  <Button
                    icon={<CustomerServiceOutlined />}
                    disabled={visitBlocker !== null}
                    onClick={() => setDialog('returnVisit')}
                    data-testid="ticket-return-visit-log"
                  >
                    {ticket.return_visit_activity_id ? t('tickets.returnVisit.again') : t('tickets.returnVisit.button')}
                  </Button>
                </Tooltip>
              )}
              <TicketStatusActions ticket={ticket} />
            </Space>
          )}
        </Flex>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <Card size="small" title={t('tickets.conversation.title')}>
              <TicketConversation ticket={ticket} />
            </Card>
            {writable && ticket.status !== 'closed' && (
              <Card size="small">
                <ReplyBox ticket={ticket} />
              </Card>
            )}
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <SlaCard ticket={ticket} />
            <Card
              size="small"
              title={
                <Space size={6}>
                  <NodeIndexOutlined />
                  {t('tickets.assignment')}
                </Space>
              }
            >
              <Flex vertical gap={4}>
                <Typography.Text>
                  {assignee ? t('tickets.assignedTo', { name: assignee.name }) : t('tickets.waiting')}
                </Typography.Text>
                {note && (
                  <Typography.Text type="secondary" data-testid="ticket-assignment-note">
                    {note}
                  </Typography.Text>
                )}
              </Flex>
            </Card>
            <CsatCard ticket={ticket} />
            <Card size="small" title={t('tickets.details')}>
              <Descriptions
                column={1}
                size="small"
                labelStyle={{ width: 100 }}
                items={[
                  {
                    key: 'customer',
                    label: t('tickets.fields.customer'),
                    children: ticket.customer_id ? (
                      <Link to={`/customers/${ticket.customer_id}`}>{ticket.customer_name ?? '…'}</Link>
                    ) : (
                      dash
                    ),
                  },
                  { key: 'requester', label: t('tickets.fields.requester_name'), children: ticket.requester_name || dash },
                  { key: 'phone', label: t('tickets.fields.requester_phone'), children: ticket.requester_phone || dash },
                  { key: 'email', label: t('tickets.fields.requester_email'), children: ticket.requester_email || dash },
                  { key: 'channel', label: t('tickets.fields.channel'), children: t(`tickets.channels.${ticket.channel}`) },
                  { key: 'type', label: t('tickets.fields.type'), children: typeLabel(ticket.type) },
                  ...(ticket.tag_ids.length
                    ? [{ key: 'tags', label: t('tickets.edit.tags'), children: <TagChips ids={ticket.tag_ids} /> }]
                    : []),
                  { key: 'created', label: t('tickets.fields.created_at'), children: formatDateTime(ticket.created_at) },
                  {
                    key: 'resolved',
                    label: t('tickets.fields.resolved_at'),
                    children: formatDateTime(ticket.resolved_at) ?? dash,
                  },
                  ...(ticket.reopen_until
                    ? [{ key: 'reopen', label: t('tickets.fields.reopen_until'), children: formatDateTime(ticket.reopen_until) }]
                    : []),
                ]}
              />
            </Card>
            <HistoryCard ticket={ticket} />
          </Flex>
        </Col>
      </Row>
      {assigning && <AssignModal ticket={ticket} onClose={() => setAssigning(false)} />}
      {dialog === 'edit' && <TicketEditDrawer ticket={ticket} onClose={() => setDialog(null)} />}
      {dialog === 'returnVisit' && ticket.customer_id && (
        <ReturnVisitModal ticket={{ ...ticket, customer_id: ticket.customer_id }} onClose={() => setDialog(null)} />
      )}
    </>
  );
}
