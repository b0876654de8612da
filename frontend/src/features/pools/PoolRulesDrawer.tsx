import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Col,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Space,
  Switch,
  TreeSelect,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { Pool } from '../../api/types';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { buildTeamTree, type TeamNode, useTeams } from '../teams';
import { useSavePool } from './api';
import { poolBody, type PoolFormValues, poolToForm } from './rulesForm';

interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

function toOptions(nodes: TeamNode[]): TreeOption[] {
  return nodes.map((n) => ({ value: n.team.id, title: n.team.name, children: toOptions(n.children) }));
}

/**
 * A pool's settings (owners and admins): who may claim from it, how much a rep may hold and
 * claim, whether contacts stay hidden until claimed, and when neglected customers return.
 */
export function PoolRulesDrawer({
  pool,
  onClose,
  onSaved,
}: {
  pool?: Pool;
  onClose: () => void;
  onSaved?: (pool: Pool) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<PoolFormValues>();
  const save = useSavePool();
  const teams = useTeams();
  const treeData = useMemo(() => toOptions(buildTeamTree(teams.data ?? [], i18n.language)), [teams.data, i18n.language]);
  const reclaim = Form.useWatch('reclaim', form);

  const onFinish = (values: PoolFormValues) =>
    save.mutate(
      { pool, body: poolBody(values) },
      {
        onSuccess: (saved) => {
          void message.success(pool ? t('pools.editor.saved') : t('pools.editor.created'));
          onSaved?.(saved);
          onClose();
        },
        onError: (error) => {
          if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
        },
      },
    );

  const days = t('pools.editor.days');
  return (
    <Drawer
      open
      width={620}
      title={pool ? t('pools.editor.editTitle', { name: pool.name }) : t('pools.editor.createTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="pool-form-submit">
            {pool ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form<PoolFormValues> form={form} layout="vertical" initialValues={poolToForm(pool)} onFinish={onFinish} data-testid="pool-form">
        <Row gutter={16}>
          <Col xs={24} sm={16}>
            <Form.Item name="name" label={t('pools.editor.name')} rules={[{ required: true, whitespace: true, message: t('pools.editor.nameRequired') }]}>
              <Input maxLength={100} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="is_default" label={t('pools.editor.isDefault')} valuePropName="checked" extra={t('pools.editor.isDefaultHelp')}>
              <Switch disabled={pool?.is_default} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="description" label={t('pools.editor.description')}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="member_team_ids" label={t('pools.editor.members')} extra={t('pools.editor.membersHelp')}>
              <TreeSelect
                multiple
                allowClear
                treeData={treeData}
                treeDefaultExpandAll
                treeNodeFilterProp="title"
                placeholder={t('pools.editor.everyone')}
                loading={teams.isPending}
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('pools.editor.claiming')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="holding_cap" label={t('pools.editor.holdingCap')} extra={t('pools.editor.holdingCapHelp')}>
              <InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} placeholder={t('pools.editor.unlimited')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="daily_claim_limit" label={t('pools.editor.dailyLimit')}>
              <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} placeholder={t('pools.editor.unlimited')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="cooldown_days" label={t('pools.editor.cooldown')} extra={t('pools.editor.cooldownHelp')}>
              <InputNumber min={0} max={3650} precision={0} style={{ width: '100%' }} addonAfter={days} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="mask_contacts" label={t('pools.editor.mask')} valuePropName="checked" extra={t('pools.editor.maskHelp')}>
              <Switch data-testid="pool-mask" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="cap_counts_won" label={t('pools.editor.capCountsWon')} valuePropName="checked" extra={t('pools.editor.capCountsWonHelp')}>
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="no_win_default" label={t('pools.editor.noWin')} extra={t('pools.editor.noWinHelp')}>
              <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} addonAfter={days} placeholder={t('pools.editor.noWinOff')} />
            </Form.Item>
            <Form.Item name="no_win_levels" hidden>
              <span />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('pools.editor.reclaiming')}
        </Divider>
        <Form.Item name="reclaim" valuePropName="checked" label={t('pools.editor.reclaim')}>
          <Switch />
        </Form.Item>
        {reclaim && (
          <>
            <Row gutter={16}>
              <Col xs={24} sm={12}>
                <Form.Item name="reclaim_default" label={t('pools.editor.reclaimDefault')}>
                  <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} addonAfter={days} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="warn_days_before" label={t('pools.editor.warn')} extra={t('pools.editor.warnHelp')}>
                  <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} addonAfter={days} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label={t('pools.editor.byLevel')} extra={t('pools.editor.byLevelHelp')}>
              <Form.List name="reclaim_levels">
                {(items, { add, remove }) => (
                  <Flex vertical>
                    {items.map((item) => (
                      <Flex key={item.key} gap={8} align="flex-start">
                        <Form.Item name={[item.name, 'level']} style={{ width: 120, marginBottom: 8 }} rules={[{ required: true, message: t('pools.editor.levelRequired') }]}>
                          <Input maxLength={20} placeholder={t('pools.editor.level')} />
                        </Form.Item>
                        <Form.Item name={[item.name, 'days']} style={{ width: 180, marginBottom: 8 }} rules={[{ required: true, message: t('pools.editor.daysRequired') }]}>
                          <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} addonAfter={days} />
                        </Form.Item>
                        <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(item.name)} aria-label={t('common.remove')} />
                      </Flex>
                    ))}
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} style={{ alignSelf: 'flex-start' }}>
                      {t('pools.editor.addLevel')}
                    </Button>
                  </Flex>
                )}
              </Form.List>
            </Form.Item>
          </>
        )}
        {!reclaim && <Typography.Text type="secondary">{t('pools.editor.neverReclaim')}</Typography.Text>}
      </Form>
    </Drawer>
  );
}
