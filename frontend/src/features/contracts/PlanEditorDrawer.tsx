import { DeleteOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  DatePicker,
  Drawer,
  Flex,
  Input,
  InputNumber,
  Popover,
  Space,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiProblem } from '../../api/problem';
import type { Contract, Installment } from '../../api/types';
import { fieldMessage } from '../../lib/problems';
import { useReplacePlan } from './api';
import { compareAmounts, formatMoney, isZero } from './money';
import {
  absorbDifference,
  belowPaid,
  planBody,
  type PlanRow,
  rowComplete,
  rowKey,
  rowsFromPlan,
  splitRest,
  summarizePlan,
} from './plan';
import { cashProblemMessage } from './problems';

/** Field errors of a refused plan, by row index (`body.installments.2.amount` → row 2). */
function rowErrors(error: unknown): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (!isApiProblem(error)) return out;
  for (const item of error.errors) {
    const match = /installments\.(\d+)\./.exec(item.field);
    if (!match) continue;
    const n = Number(match[1]);
    out.set(n, [...(out.get(n) ?? []), fieldMessage(item.message)]);
  }
  return out;
}

function SplitTool({ onApply }: { onApply: (count: number, first: Dayjs, step: number) => void }) {
  const { t } = useTranslation();
  const [count, setCount] = useState<number>(3);
  const [first, setFirst] = useState<Dayjs | null>(() => dayjs().add(1, 'month').startOf('day'));
  const [step, setStep] = useState<number>(1);
  return (
    <Flex vertical gap={8} style={{ width: 280 }} data-testid="plan-split">
      <Flex align="center" justify="space-between" gap={8}>
        <span>{t('contracts.plan.splitCount')}</span>
        <InputNumber min={1} max={120} value={count} onChange={(v) => setCount(v ?? 1)} data-testid="plan-split-count" />
      </Flex>
      <Flex align="center" justify="space-between" gap={8}>
        <span>{t('contracts.plan.splitFirst')}</span>
        <DatePicker value={first} onChange={setFirst} allowClear={false} style={{ width: 140 }} data-testid="plan-split-first" />
      </Flex>
      <Flex align="center" justify="space-between" gap={8}>
        <span>{t('contracts.plan.splitEvery')}</span>
        <InputNumber min={1} max={24} value={step} onChange={(v) => setStep(v ?? 1)} addonAfter={t('contracts.plan.months')} style={{ width: 140 }} />
      </Flex>
      <Button type="primary" disabled={!first} onClick={() => first && onApply(count, first, step)} data-testid="plan-split-apply">
        {t('contracts.plan.splitApply')}
      </Button>
    </Flex>
  );
}

/**
 * The whole plan edited at once and saved in one call. The sum against the contract amount
 * is shown live; the server refuses a plan that does not add up (422 plan_sum_mismatch) and
 * its reasons appear on the form.
 */
export function PlanEditorDrawer({
  contract,
  installments,
  onClose,
}: {
  contract: Contract;
  installments: Installment[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const replace = useReplacePlan();
  const [rows, setRows] = useState<PlanRow[]>(() => rowsFromPlan(installments));
  const [error, setError] = useState<unknown>(null);
  const summary = useMemo(() => summarizePlan(rows, contract.amount), [rows, contract.amount]);
  const errorsByRow = useMemo(() => rowErrors(error), [error]);
  const currency = contract.currency;
  const complete = rows.every(rowComplete);
  const tooLow = rows.some(belowPaid);

  const change = (key: string, patch: Partial<PlanRow>) => {
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
    setError(null);
  };

  const addRow = () => {
    const last = rows[rows.length - 1];
    const due = last?.due_date ? last.due_date.add(1, 'month') : dayjs().add(1, 'month').startOf('day');
    const missing = compareAmounts(summary.difference, '0') < 0 ? summary.difference.replace(/^-/, '') : null;
    setRows([...rows, { key: rowKey(), due_date: due, amount: missing, note: null }]);
    setError(null);
  };

  const save = () => {
    setError(null);
    replace.mutate(
      { contract, installments: planBody(rows).installments },
      {
        onSuccess: () => {
          void message.success(t('contracts.plan.saved'));
          onClose();
        },
        onError: setError,
      },
    );
  };

  const columns: TableColumnsType<PlanRow> = [
    {
      key: 'n',
      title: t('contracts.plan.number'),
      width: 56,
      render: (_: unknown, __: PlanRow, n: number) => t('contracts.plan.nth', { n: n + 1 }),
    },
    {
      key: 'due_date',
      title: t('contracts.plan.dueDate'),
      width: 160,
      render: (_: unknown, row) => (
        <DatePicker
          value={row.due_date}
          onChange={(value) => change(row.key, { due_date: value })}
          status={row.due_date ? undefined : 'error'}
          style={{ width: '100%' }}
          data-testid="plan-due"
        />
      ),
    },
    {
      key: 'amount',
      title: t('contracts.plan.amount', { currency }),
      width: 180,
      render: (_: unknown, row, n) => {
        const problems = errorsByRow.get(n) ?? [];
        const low = belowPaid(row);
        return (
          <Flex vertical gap={2}>
            <InputNumber<string>
              stringMode
              min="0"
              precision={2}
              value={row.amount ?? undefined}
              onChange={(value) => change(row.key, { amount: value ?? null })}
              status={low || problems.length > 0 ? 'error' : undefined}
              style={{ width: '100%' }}
              data-testid="plan-amount"
            />
            {low && (
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                {t('contracts.plan.belowPaid', { paid: formatMoney(row.paid, currency) })}
              </Typography.Text>
            )}
            {problems.map((p) => (
              <Typography.Text key={p} type="danger" style={{ fontSize: 12 }}>
                {p}
              </Typography.Text>
            ))}
          </Flex>
        );
      },
    },
    {
      key: 'note',
      title: t('contracts.plan.note'),
      render: (_: unknown, row) => (
        <Input
          value={row.note ?? ''}
          maxLength={500}
          onChange={(e) => change(row.key, { note: e.target.value })}
          placeholder={t('contracts.plan.notePlaceholder')}
        />
      ),
    },
    {
      key: 'paid',
      title: t('contracts.plan.paid'),
      width: 110,
      align: 'right',
      render: (_: unknown, row) => (row.paid && !isZero(row.paid) ? formatMoney(row.paid, currency) : '—'),
    },
    {
      key: 'remove',
      width: 48,
      render: (_: unknown, row) => (
        <Button
          type="text"
          danger
          icon={<DeleteOutlined />}
          disabled={Boolean(row.paid && !isZero(row.paid))}
          title={row.paid && !isZero(row.paid) ? t('contracts.plan.cannotRemovePaid') : t('common.remove')}
          aria-label={t('common.remove')}
          onClick={() => {
            setRows(rows.filter((r) => r.key !== row.key));
            setError(null);
          }}
        />
      ),
    },
  ];

  const short = compareAmounts(summary.difference, '0') < 0;
  const differenceText = formatMoney(summary.difference.replace(/^-/, ''), currency);

  return (
    <Drawer
      open
      width={860}
      title={t('contracts.plan.editTitle', { number: contract.number })}
      onClose={onClose}
      maskClosable={!replace.isPending}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={replace.isPending}
            disabled={!complete || tooLow}
            onClick={save}
            data-testid="plan-save"
          >
            {t('contracts.plan.save')}
          </Button>
        </Space>
      }
    >
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Space wrap>
          <Button icon={<PlusOutlined />} onClick={addRow} data-testid="plan-add">
            {t('contracts.plan.addRow')}
          </Button>
          <Popover
            trigger="click"
            placement="bottomLeft"
            content={
              <SplitTool
                onApply={(count, first, step) => {
                  setRows(splitRest(rows, contract.amount, count, first, step));
                  setError(null);
                }}
              />
            }
          >
            <Button icon={<ThunderboltOutlined />} data-testid="plan-split-open">
              {t('contracts.plan.split')}
            </Button>
          </Popover>
          {!summary.matches && rows.length > 0 && (
            <Button type="link" onClick={() => setRows(absorbDifference(rows, contract.amount))} data-testid="plan-absorb">
              {t('contracts.plan.absorb')}
            </Button>
          )}
        </Space>
      </Flex>
      {error !== null && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} message={cashProblemMessage(error, currency)} data-testid="plan-error" />
      )}
      <Table<PlanRow>
        rowKey="key"
        size="small"
        dataSource={rows}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('contracts.plan.emptyEditor') }}
        data-testid="plan-editor"
        onRow={() => ({ 'data-testid': 'plan-row' }) as React.HTMLAttributes<HTMLElement>}
      />
      <Flex
        justify="space-between"
        align="center"
        wrap
        gap={12}
        style={{ marginTop: 16, padding: '10px 14px', background: '#fafafa', borderRadius: 6 }}
        data-testid="plan-summary"
      >
        <Space size={24} wrap>
          <span>
            {t('contracts.plan.sum')}:{' '}
            <Typography.Text strong data-testid="plan-sum">
              {formatMoney(summary.planned, currency)}
            </Typography.Text>
          </span>
          <span>
            {t('contracts.fields.amount')}: <Typography.Text strong>{formatMoney(contract.amount, currency)}</Typography.Text>
          </span>
        </Space>
        <Typography.Text type={summary.matches ? 'success' : 'danger'} strong data-testid="plan-difference">
          {summary.matches
            ? t('contracts.plan.matches')
            : short
              ? t('contracts.plan.short', { amount: differenceText })
              : t('contracts.plan.over', { amount: differenceText })}
        </Typography.Text>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        {t('contracts.plan.help')}
      </Typography.Paragraph>
    </Drawer>
  );
}
