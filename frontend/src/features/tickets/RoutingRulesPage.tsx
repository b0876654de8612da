import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Col, Empty, Flex, Popconfirm, Row, Space, Steps, Switch, Tag, Typography } from 'antd';
import { type DragEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useTeams } from '../teams';
import { useDeleteRoutingRule, usePatchRoutingRules, useRoutingRules } from './api';
import { catchesAll, nextRulePosition, reorderChanges, sortRules } from './routing';
import { RoutingRuleDrawer } from './RoutingRuleDrawer';
import { typeLabel } from './statuses';
import type { RoutingRule } from './types';

const MANAGERS = new Set(['owner', 'admin', 'manager']);
const DRAG_TYPE = 'application/x-rapport-routing-rule';

function Conditions({ rule }: { rule: RoutingRule }) {
  const { t } = useTranslation();
  const c = rule.conditions;
  const sep = t('common.listSeparator');
  return (
    <Flex gap={4} wrap>
      {catchesAll(rule) && <Tag bordered={false}>{t('tickets.routing.everyTicket')}</Tag>}
      {c.channels.length > 0 && (
        <Tag bordered={false} color="blue">
          {t('tickets.routing.summary.channels', { list: c.channels.map((ch) => t(`tickets.channels.${ch}`)).join(sep) })}
        </Tag>
      )}
      {c.types.length > 0 && (
        <Tag bordered={false} color="purple">
          {t('tickets.routing.summary.types', { list: c.types.map(typeLabel).join(sep) })}
        </Tag>
      )}
      {c.customer_levels.length > 0 && (
        <Tag bordered={false} color="gold">
          {t('tickets.routing.summary.levels', { list: c.customer_levels.join(sep) })}
        </Tag>
      )}
    </Flex>
  );
}

/** 工单分派规则: tried top to bottom; the first active rule that matches sends the ticket to its team. */
export default function RoutingRulesPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const manager = MANAGERS.has(me.user.role);
  const rules = useRoutingRules();
  const teams = useTeams();
  const patch = usePatchRoutingRules();
  const remove = useDeleteRoutingRule();
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  const [dragOver, setDragOver] = useState<number | null>(null);
  const list = sortRules(rules.data ?? []);
  const teamName = (id: string) => teams.data?.find((x) => x.id === id)?.name ?? '…';
  const fail = (error: unknown) => void message.error(problemMessage(error));

  const move = (from: number, to: number) => {
    const changes = reorderChanges(list, from, to);
    if (changes.length) patch.mutate(changes, { onError: fail });
  };

  const onDrop = (e: DragEvent, to: number) => {
    setDragOver(null);
    const from = Number(e.dataTransfer.getData(DRAG_TYPE));
    if (!Number.isInteger(from)) return;
    e.preventDefault();
    move(from, to);
  };

  return (
    <>
      <PageHeader
        title={t('tickets.routing.title')}
        description={t('tickets.routing.description')}
        extra={
          manager && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="routing-rule-create">
              {t('tickets.routing.create')}
            </Button>
          )
        }
      />
      {rules.isError && <ProblemAlert error={rules.error} onRetry={() => void rules.refetch()} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" loading={rules.isPending} data-testid="routing-rule-list">
            {list.length === 0 ? (
              <Empty description={t('tickets.routing.empty')} />
            ) : (
              <Flex vertical gap={8}>
                {list.map((rule, index) => (
                  <div
                    key={rule.id}
                    draggable={manager}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(DRAG_TYPE, String(index));
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                    onDragOver={(e) => {
                      if (!manager || !e.dataTransfer.types.includes(DRAG_TYPE)) return;
                      e.preventDefault();
                      setDragOver(index);
                    }}
                    onDragLeave={() => setDragOver(null)}
                    onDrop={(e) => onDrop(e, index)}
                    style={{
                      border: `1px solid ${dragOver === index ? '#1d5bd8' : '#e8ebf0'}`,
                      borderRadius: 8,
                      padding: '10px 12px',
                      background: rule.active ? '#fff' : '#fafafa',
                      opacity: rule.active ? 1 : 0.75,
                    }}
                    data-testid="routing-rule-row"
                  >
                    <Flex gap={12} align="flex-start">
                      <Flex vertical align="center" gap={2} style={{ width: 28, paddingTop: 2 }}>
                        {manager && <HolderOutlined style={{ cursor: 'grab', color: '#8c8c8c' }} />}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          #{index + 1}
                        </Typography.Text>
                      </Flex>
                      <Flex vertical gap={6} style={{ flex: 1, minWidth: 0 }}>
                        <Space size={8} wrap>
                          {manager ? (
                            <Typography.Link strong onClick={() => setEditing(rule)} data-testid="routing-rule-name">
                              {rule.name}
                            </Typography.Link>
                          ) : (
                            <Typography.Text strong data-testid="routing-rule-name">
                              {rule.name}
                            </Typography.Text>
                          )}
                          <Tag color="geekblue" bordered={false}>
                            {t(`tickets.routing.strategies.${rule.strategy}`)}
                          </Tag>
                          {rule.capacity !== null && rule.strategy !== 'none' && (
                            <Tag bordered={false}>{t('tickets.routing.summary.capacity', { n: rule.capacity })}</Tag>
                          )}
                          {!rule.active && <Tag bordered={false}>{t('tickets.routing.inactive')}</Tag>}
                        </Space>
                        <Conditions rule={rule} />
                        <Typography.Text type="secondary" style={{ fontSize: 13 }} data-testid="routing-rule-team">
                          {t('tickets.routing.summary.team', { team: teamName(rule.team_id) })}
                        </Typography.Text>
                      </Flex>
                      {manager && (
                        <Space size={2} wrap style={{ justifyContent: 'flex-end' }}>
                          <Switch
                            size="small"
                            checked={rule.active}
                            loading={patch.isPending && patch.variables?.some((c) => c.rule.id === rule.id && 'active' in c.body)}
                            onChange={(active) => patch.mutate([{ rule, body: { active } }], { onError: fail })}
                            aria-label={t('tickets.routing.fields.active')}
                            data-testid="routing-rule-active"
                          />
                          <Button
                            type="text"
                            icon={<ArrowUpOutlined />}
                            disabled={index === 0 || patch.isPending}
                            onClick={() => move(index, index - 1)}
                            aria-label={t('tickets.routing.moveUp')}
                          />
                          <Button
                            type="text"
                            icon={<ArrowDownOutlined />}
                            disabled={index === list.length - 1 || patch.isPending}
                            onClick={() => move(index, index + 1)}
                            aria-label={t('tickets.routing.moveDown')}
                          />
                          <Button type="text" icon={<EditOutlined />} onClick={() => setEditing(rule)} aria-label={t('common.edit')} />
                          <Popconfirm
                            title={t('tickets.routing.deleteConfirm', { name: rule.name })}
                            okText={t('common.delete')}
                            cancelText={t('common.cancel')}
                            okButtonProps={{ danger: true }}
                            onConfirm={() =>
                              remove.mutate(rule, { onSuccess: () => void message.success(t('tickets.routing.deleted')), onError: fail })
                            }
                          >
                            <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                          </Popconfirm>
                        </Space>
                      )}
                    </Flex>
                  </div>
                ))}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('tickets.routing.fallthrough')}
                </Typography.Text>
              </Flex>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('tickets.routing.howTitle')}>
            <Steps
              direction="vertical"
              size="small"
              current={-1}
              items={(['match', 'team', 'agent', 'fallback'] as const).map((k) => ({
                title: t(`tickets.routing.how.${k}.title`),
                description: t(`tickets.routing.how.${k}.text`),
              }))}
            />
          </Card>
        </Col>
      </Row>
      {editing && (
        <RoutingRuleDrawer rule={editing === 'new' ? undefined : editing} nextPosition={nextRulePosition(list)} onClose={() => setEditing(null)} />
      )}
    </>
  );
}
