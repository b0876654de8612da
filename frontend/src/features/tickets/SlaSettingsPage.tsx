import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { TeamSelect } from '../../components/TeamSelect';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useSession } from '../auth';
import { useCalendars, useCreateTicketForm, useDeleteCalendar, useDeletePolicy, useSlaPolicies, useTicketForms, useTicketSettings } from './api';
import { CalendarDrawer } from './CalendarDrawer';
import { weeklyMinutes, draftFromCalendar } from './calendar';
import { PolicyDrawer } from './PolicyDrawer';
import { amountOf } from './policy';
import { PRIORITIES, PRIORITY_COLORS, typeLabel } from './statuses';
import type { BusinessCalendar, SlaPolicy, TicketForm, TicketFormCreate } from './types';

const MANAGERS = new Set(['owner', 'admin', 'manager']);
const TABS = ['policies', 'calendars', 'forms'] as const;
type TabKey = (typeof TABS)[number];

function useMinutesText() {
  const { t } = useTranslation();
  return (minutes: number | null | undefined) => {
    if (minutes === null || minutes === undefined) return '—';
    const a = amountOf(minutes);
    return t(`tickets.policies.amount.${a.unit}`, { n: a.value });
  };
}

function PoliciesPanel({ manager }: { manager: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const policies = useSlaPolicies();
  const calendars = useCalendars();
  const remove = useDeletePolicy();
  const text = useMinutesText();
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const calendarName = (id: string | null) => (id ? (calendars.data?.find((c) => c.id === id)?.name ?? '…') : t('tickets.policies.aroundTheClock'));
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        {manager && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="policy-create">
            {t('tickets.policies.create')}
          </Button>
        )}
        <Typography.Text type="secondary">{t('tickets.policies.help')}</Typography.Text>
      </Space>
      {policies.isError && <ProblemAlert error={policies.error} onRetry={() => void policies.refetch()} />}
      <Table<SlaPolicy>
        rowKey="id"
        size="middle"
        loading={policies.isPending}
        dataSource={[...(policies.data ?? [])].sort((a, b) => a.position - b.position)}
        pagination={false}
        scroll={{ x: 980 }}
        locale={{ emptyText: t('tickets.policies.empty') }}
        data-testid="policies-table"
        columns={[
          {
            key: 'name',
            title: t('tickets.policies.name'),
            render: (_: unknown, p) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{p.name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {p.customer_levels.length ? t('tickets.policies.forLevels', { levels: p.customer_levels.join(', ') }) : t('tickets.policies.allCustomers')}
                </Typography.Text>
              </Space>
            ),
          },
          { key: 'calendar', title: t('tickets.policies.calendar'), width: 160, render: (_: unknown, p) => calendarName(p.calendar_id) },
          {
            key: 'targets',
            title: t('tickets.policies.targets'),
            width: 380,
            render: (_: unknown, p) => (
              <Space direction="vertical" size={2}>
                {PRIORITIES.filter((pr) => p.targets[pr]).map((pr) => (
                  <span key={pr}>
                    <Tag color={PRIORITY_COLORS[pr]} style={{ width: 48, textAlign: 'center' }}>
                      {t(`tickets.priorities.${pr}`)}
                    </Tag>
                    {t('tickets.policies.targetLine', {
                      first: text(p.targets[pr]?.first_response_minutes),
                      resolution: text(p.targets[pr]?.resolution_minutes),
                    })}
                  </span>
                ))}
              </Space>
            ),
          },
          {
            key: 'active',
            title: t('tickets.policies.active'),
            width: 90,
            render: (_: unknown, p) => (p.active ? <Tag color="green">{t('tickets.policies.on')}</Tag> : <Tag>{t('tickets.policies.off')}</Tag>),
          },
          ...(manager
            ? [
                {
                  key: 'actions',
                  title: t('common.actions'),
                  width: 120,
                  render: (_: unknown, p: SlaPolicy) => (
                    <Space size={0}>
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} aria-label={t('common.edit')} />
                      <Popconfirm
                        title={t('tickets.policies.deleteConfirm', { name: p.name })}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        onConfirm={() => remove.mutate(p, { onError: (e) => void message.error(problemMessage(e)) })}
                      >
                        <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <PolicyDrawer policy={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function CalendarsPanel({ manager }: { manager: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const calendars = useCalendars();
  const remove = useDeleteCalendar();
  const [editing, setEditing] = useState<BusinessCalendar | 'new' | null>(null);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        {manager && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="calendar-create">
            {t('tickets.calendars.create')}
          </Button>
        )}
        <Typography.Text type="secondary">{t('tickets.calendars.help')}</Typography.Text>
      </Space>
      {calendars.isError && <ProblemAlert error={calendars.error} onRetry={() => void calendars.refetch()} />}
      <Table<BusinessCalendar>
        rowKey="id"
        size="middle"
        loading={calendars.isPending}
        dataSource={calendars.data ?? []}
        pagination={false}
        locale={{ emptyText: t('tickets.calendars.empty') }}
        data-testid="calendars-table"
        columns={[
          { key: 'name', title: t('tickets.calendars.name'), render: (_: unknown, c) => <Typography.Text strong>{c.name}</Typography.Text> },
          { key: 'zone', title: t('tickets.calendars.timezone'), dataIndex: 'timezone', width: 160 },
          {
            key: 'week',
            title: t('tickets.calendars.weekly'),
            width: 260,
            render: (_: unknown, c) => {
              const draft = draftFromCalendar(c);
              const days = draft.weekly.map((p, i) => (p.length ? t(`tickets.weekdaysShort.${(i + 1) as 1 | 2 | 3 | 4 | 5 | 6 | 7}`) : null)).filter(Boolean);
              return `${days.join(' ')} · ${t('tickets.calendars.perWeek', { hours: Math.round((weeklyMinutes(draft.weekly) / 60) * 10) / 10 })}`;
            },
          },
          {
            key: 'days',
            title: t('tickets.calendars.specialDays'),
            width: 200,
            render: (_: unknown, c) => t('tickets.calendars.specialCount', { holidays: c.holidays.length, workdays: c.workdays.length }),
          },
          ...(manager
            ? [
                {
                  key: 'actions',
                  title: t('common.actions'),
                  width: 120,
                  render: (_: unknown, c: BusinessCalendar) => (
                    <Space size={0}>
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(c)} aria-label={t('common.edit')} data-testid="calendar-edit" />
                      <Popconfirm
                        title={t('tickets.calendars.deleteConfirm', { name: c.name })}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        onConfirm={() => remove.mutate(c, { onError: (e) => void message.error(problemMessage(e)) })}
                      >
                        <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <CalendarDrawer calendar={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function CreateIntakeForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<TicketFormCreate>();
  const create = useCreateTicketForm();
  const settings = useTicketSettings();
  return (
    <Modal
      open
      title={t('tickets.forms.createTitle')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'intake-form-submit' }}
      destroyOnHidden
    >
      <Form<TicketFormCreate>
        form={form}
        layout="vertical"
        initialValues={{ name: '', type: 'question', priority: 'normal', team_id: null }}
        onFinish={(values) =>
          create.mutate(
            { ...values, name: values.name.trim(), team_id: values.team_id ?? null },
            {
              onSuccess: () => {
                void message.success(t('tickets.forms.created'));
                onClose();
              },
              onError: (error) => {
                if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
              },
            },
          )
        }
      >
        <Form.Item name="name" label={t('tickets.forms.name')} rules={[{ required: true, whitespace: true, message: t('tickets.policies.nameRequired') }]}>
          <Input maxLength={150} />
        </Form.Item>
        <Form.Item name="type" label={t('tickets.fields.type')}>
          <Select options={(settings.data?.types ?? ['question']).map((type) => ({ value: type, label: typeLabel(type) }))} />
        </Form.Item>
        <Form.Item name="priority" label={t('tickets.fields.priority')}>
          <Select options={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))} />
        </Form.Item>
        <Form.Item name="team_id" label={t('tickets.forms.team')} extra={t('tickets.forms.teamHelp')}>
          <TeamSelect />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FormsPanel({ manager }: { manager: boolean }) {
  const { t } = useTranslation();
  const forms = useTicketForms();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        {manager && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="intake-form-create">
            {t('tickets.forms.create')}
          </Button>
        )}
        <Typography.Text type="secondary">{t('tickets.forms.help')}</Typography.Text>
      </Space>
      {forms.isError && <ProblemAlert error={forms.error} onRetry={() => void forms.refetch()} />}
      <Table<TicketForm>
        rowKey="id"
        size="middle"
        loading={forms.isPending}
        dataSource={forms.data ?? []}
        pagination={false}
        locale={{ emptyText: t('tickets.forms.empty') }}
        data-testid="intake-forms-table"
        columns={[
          { key: 'name', title: t('tickets.forms.name'), render: (_: unknown, f) => <Typography.Text strong>{f.name}</Typography.Text> },
          { key: 'type', title: t('tickets.fields.type'), width: 110, render: (_: unknown, f) => typeLabel(f.type) },
          { key: 'priority', title: t('tickets.fields.priority'), width: 100, render: (_: unknown, f) => <Tag color={PRIORITY_COLORS[f.priority]}>{t(`tickets.priorities.${f.priority}`)}</Tag> },
          {
            key: 'endpoint',
            title: t('tickets.forms.endpoint'),
            render: (_: unknown, f) => (
              <Typography.Text code copyable style={{ wordBreak: 'break-all', fontSize: 12 }}>
                {`${window.location.origin}/api/v1/public/forms/${f.token}/tickets`}
              </Typography.Text>
            ),
          },
          {
            key: 'active',
            title: t('tickets.policies.active'),
            width: 90,
            render: (_: unknown, f) => (f.active ? <Tag color="green">{t('tickets.policies.on')}</Tag> : <Tag>{t('tickets.policies.off')}</Tag>),
          },
        ]}
      />
      {creating && <CreateIntakeForm onClose={() => setCreating(false)} />}
    </>
  );
}

/** SLA 与工作时间: SLA policies, business calendars and the public intake forms. */
export default function SlaSettingsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const manager = MANAGERS.has(me.user.role);
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: TabKey = (TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as TabKey) : 'policies';
  return (
    <>
      <PageHeader title={t('tickets.settings.title')} description={t('tickets.settings.description')} />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'policies' ? {} : { tab: key }, { replace: true })}
          items={[
            { key: 'policies', label: t('tickets.settings.policies'), children: <PoliciesPanel manager={manager} /> },
            { key: 'calendars', label: t('tickets.settings.calendars'), children: <CalendarsPanel manager={manager} /> },
            { key: 'forms', label: t('tickets.settings.forms'), children: <FormsPanel manager={manager} /> },
          ]}
        />
      </Card>
    </>
  );
}
