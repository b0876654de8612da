import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  EditOutlined,
  ExperimentOutlined,
  HolderOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { App as AntApp, Button, Card, Col, Empty, Flex, Popconfirm, Row, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { type DragEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useCampaignDirectory } from '../campaigns/api';
import { useTeams } from '../teams';
import { useUserDirectory } from '../users';
import {
  type AssignmentRule,
  type PreviewLead,
  useDeleteRule,
  useReorderRules,
  useRules,
  useSetRuleActive,
} from './api';
import { RuleEditorDrawer } from './RuleEditorDrawer';
import { RulePreviewCard } from './RulePreviewCard';
import { catchesAll, moveRule, sampleLeadFor } from './rules';

const MANAGERS = new Set(['owner', 'admin', 'manager']);
const DRAG_TYPE = 'application/x-rapport-rule';

function Conditions({ rule }: { rule: AssignmentRule }) {
  const { t } = useTranslation();
  const campaigns = useCampaignDirectory();
  const c = rule.conditions;
  return (
    <Flex gap={4} wrap>
      {catchesAll(rule) && <Tag bordered={false}>{t('assignmentRules.everyLead')}</Tag>}
      {(c.sources ?? []).length > 0 && (
        <Tag bordered={false} color="blue">
          {t('assignmentRules.summary.sources', { list: (c.sources ?? []).join(t('common.listSeparator')) })}
        </Tag>
      )}
      {(c.campaign_ids ?? []).length > 0 && (
        <Tag bordered={false} color="purple">
          {t('assignmentRules.summary.campaigns', {
            list: (c.campaign_ids ?? []).map((id) => campaigns.byId.get(id)?.name ?? '…').join(t('common.listSeparator')),
          })}
        </Tag>
      )}
      {(c.provinces ?? []).length > 0 && (
        <Tag bordered={false} color="green">
          {t('assignmentRules.summary.provinces', { list: (c.provinces ?? []).join(t('common.listSeparator')) })}
        </Tag>
      )}
      {(c.cities ?? []).length > 0 && (
        <Tag bordered={false} color="green">
          {t('assignmentRules.summary.cities', { list: (c.cities ?? []).join(t('common.listSeparator')) })}
        </Tag>
      )}
      {Object.entries(c.custom ?? {}).map(([key, value]) => (
        <Tag key={key} bordered={false}>
          {key} = {typeof value === 'string' ? value : JSON.stringify(value)}
        </Tag>
      ))}
    </Flex>
  );
}

function Candidates({ rule }: { rule: AssignmentRule }) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  const teams = useTeams();
  if (rule.strategy === 'team') {
    const team = teams.data?.find((x) => x.id === rule.team_id);
    return <span>{t('assignmentRules.summary.team', { team: team?.name ?? '…' })}</span>;
  }
  const names = rule.user_ids.map((id) => {
    const name = users.byId.get(id)?.name ?? '…';
    return rule.strategy === 'weighted' ? `${name} ×${rule.weights[id] ?? 1}` : name;
  });
  return <span data-testid="rule-users-summary">{names.join(rule.strategy === 'round_robin' ? ' → ' : t('common.listSeparator'))}</span>;
}

/** 分配规则: tried top to bottom; the first whose conditions match picks the new lead's owner. */
export default function RuleList() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const manager = MANAGERS.has(me.user.role);
  const rules = useRules();
  const reorder = useReorderRules();
  const setActive = useSetRuleActive();
  const remove = useDeleteRule();
  const [editing, setEditing] = useState<AssignmentRule | 'new' | null>(null);
  const [testing, setTesting] = useState<{ rule: AssignmentRule; sample: PreviewLead } | null>(null);
  const [dragOver, setDragOver] = useState<number | null>(null);
  const list = rules.data ?? [];
  const nextPosition = list.reduce((max, r) => Math.max(max, r.position), 0) + 1;

  const move = (from: number, to: number) => {
    const next = moveRule(list, from, to);
    if (next.every((r, i) => r.id === list[i].id)) return;
    reorder.mutate(next, { onError: (error) => void message.error(problemMessage(error)) });
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
        title={t('assignmentRules.title')}
        description={t('assignmentRules.description')}
        extra={
          manager && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rule-create">
              {t('assignmentRules.create')}
            </Button>
          )
        }
      />
      {rules.isError && <ProblemAlert error={rules.error} onRetry={() => void rules.refetch()} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" loading={rules.isPending} data-testid="rule-list">
            {list.length === 0 ? (
              <Empty description={t('assignmentRules.empty')} />
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
                    data-testid="rule-row"
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
                            <Typography.Link strong onClick={() => setEditing(rule)} data-testid="rule-name">
                              {rule.name}
                            </Typography.Link>
                          ) : (
                            <Typography.Text strong data-testid="rule-name">
                              {rule.name}
                            </Typography.Text>
                          )}
                          <Tag color="geekblue" bordered={false}>
                            {t(`assignmentRules.strategies.${rule.strategy}`)}
                          </Tag>
                          {rule.capacity && (
                            <Tag bordered={false}>{t('assignmentRules.summary.capacity', { n: rule.capacity })}</Tag>
                          )}
                          {!rule.active && <Tag bordered={false}>{t('assignmentRules.inactive')}</Tag>}
                        </Space>
                        <Conditions rule={rule} />
                        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                          <Candidates rule={rule} />
                        </Typography.Text>
                      </Flex>
                      <Space size={2} wrap style={{ justifyContent: 'flex-end' }}>
                        <Tooltip title={t('assignmentRules.test')}>
                          <Button
                            type="text"
                            icon={<ExperimentOutlined />}
                            onClick={() => setTesting({ rule, sample: sampleLeadFor(rule) })}
                            aria-label={t('assignmentRules.test')}
                            data-testid="rule-test"
                          />
                        </Tooltip>
                        {manager && (
                          <>
                            <Switch
                              size="small"
                              checked={rule.active}
                              loading={setActive.isPending && setActive.variables?.rule.id === rule.id}
                              onChange={(active) =>
                                setActive.mutate(
                                  { rule, active },
                                  { onError: (error) => void message.error(problemMessage(error)) },
                                )
                              }
                              aria-label={t('assignmentRules.fields.active')}
                            />
                            <Button
                              type="text"
                              icon={<ArrowUpOutlined />}
                              disabled={index === 0 || reorder.isPending}
                              onClick={() => move(index, index - 1)}
                              aria-label={t('assignmentRules.moveUp')}
                            />
                            <Button
                              type="text"
                              icon={<ArrowDownOutlined />}
                              disabled={index === list.length - 1 || reorder.isPending}
                              onClick={() => move(index, index + 1)}
                              aria-label={t('assignmentRules.moveDown')}
                            />
                            <Button type="text" icon={<EditOutlined />} onClick={() => setEditing(rule)} aria-label={t('common.edit')} />
                            <Popconfirm
                              title={t('assignmentRules.deleteConfirm', { name: rule.name })}
                              okText={t('common.delete')}
                              cancelText={t('common.cancel')}
                              okButtonProps={{ danger: true }}
                              onConfirm={() =>
                                remove.mutate(rule, {
                                  onSuccess: () => void message.success(t('assignmentRules.deleted')),
                                  onError: (error) => void message.error(problemMessage(error)),
                                })
                              }
                            >
                              <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                            </Popconfirm>
                          </>
                        )}
                      </Space>
                    </Flex>
                  </div>
                ))}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('assignmentRules.fallthrough')}
                </Typography.Text>
              </Flex>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <RulePreviewCard rules={list} sample={testing?.sample ?? null} focusRule={testing?.rule ?? null} />
        </Col>
      </Row>
      {editing && (
        <RuleEditorDrawer
          rule={editing === 'new' ? undefined : editing}
          nextPosition={nextPosition}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
