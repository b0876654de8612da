import { ArrowLeftOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Empty, Flex, Radio, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import type { Customer } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { translateIfExists } from '../../i18n';
import { ProblemAlert } from '../../components/ProblemAlert';
import { problemMessage } from '../../lib/problems';
import { useDebounced } from '../../lib/useDebounced';
import { useCustomer, useCustomerSearch, useDuplicateCheck, useMergeCustomer } from './api';
import { buildDuplicateCheck } from './form';
import { defaultChoices, MERGEABLE_FIELDS, type MergeableField, type Side, takeFromDuplicate } from './merge';

function display(field: MergeableField | 'name', c: Customer): string {
  const value = c[field];
  if (value === null || value === '') return '—';
  if (field === 'status') return translateIfExists(`customers.statuses.${c.status}`) ?? c.status;
  if (field === 'kind') return translateIfExists(`customers.kinds.${c.kind}`) ?? c.kind;
  return String(value);
}

/** Pick a duplicate of this customer, choose per field which side wins, merge. */
export default function MergePage() {
  const { customerId = '' } = useParams();
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const survivorQuery = useCustomer(customerId);
  const survivor = survivorQuery.data;
  const [duplicateId, setDuplicateId] = useState<string | undefined>();
  const duplicateQuery = useCustomer(duplicateId);
  const duplicate = duplicateQuery.data;
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 300);
  const found = useCustomerSearch(q, Boolean(survivor));
  // Likely duplicates first: the same check the create form runs, against this customer.
  const identity = survivor
    ? buildDuplicateCheck({
        name: survivor.name,
        phones: survivor.phones,
        email: survivor.email ?? undefined,
        credit_code: survivor.credit_code ?? undefined,
      })
    : null;
  const suggestions = useDuplicateCheck(identity && survivor ? { ...identity, exclude_id: survivor.id } : null);
  const [overrides, setOverrides] = useState<Partial<Record<MergeableField, Side>>>({});
  const merge = useMergeCustomer();

  const choices = useMemo(
    () => (survivor && duplicate ? { ...defaultChoices(survivor, duplicate), ...overrides } : null),
    [survivor, duplicate, overrides],
  );

  if (survivorQuery.isPending) return <Skeleton active />;
  if (survivorQuery.isError || !survivor) return <ProblemAlert error={survivorQuery.error} />;

  const suggested = (suggestions.data?.candidates ?? []).filter((c) => c.in_your_scope && c.customer_id !== survivor.id);
  const options = [
    ...suggested.map((c) => ({
      value: c.customer_id,
      label: (
        <Space size={6}>
          {c.name}
          <Tag color="orange" bordered={false}>
            {t('merge.suggested')}
          </Tag>
        </Space>
      ),
      search: c.name,
    })),
    ...(found.data ?? [])
      .filter((c) => c.id !== survivor.id && !suggested.some((s) => s.customer_id === c.id))
      .map((c) => ({ value: c.id, label: <span>{c.name}</span>, search: c.name })),
  ];

  const rows = duplicate && choices ? (['name', ...MERGEABLE_FIELDS] as const) : [];

  const submit = () => {
    if (!duplicate || !choices) return;
    void modal.confirm({
      title: t('merge.confirmTitle'),
      content: t('merge.confirmText', { duplicate: duplicate.name, survivor: survivor.name }),
      okText: t('merge.submit'),
      cancelText: t('common.cancel'),
      onOk: () =>
        merge
          .mutateAsync({
            id: survivor.id,
            body: { duplicate_id: duplicate.id, take_from_duplicate: takeFromDuplicate(choices, survivor, duplicate) },
          })
          .then(
            () => {
              void message.success(t('merge.done'));
              void navigate(`/customers/${survivor.id}`);
            },
            (error: unknown) => void message.error(problemMessage(error)),
          ),
    });
  };

  return (
    <>
      <Link to={`/customers/${survivor.id}`} style={{ fontSize: 13 }}>
        <ArrowLeftOutlined /> {survivor.name}
      </Link>
      <PageHeader title={t('merge.title')} description={t('merge.description', { name: survivor.name })} />
      <Card>
        <Flex gap={12} align="center" wrap style={{ marginBottom: 16 }}>
          <Typography.Text strong>{t('merge.pick')}</Typography.Text>
          <Select
            showSearch
            value={duplicateId}
            onChange={(value) => {
              setDuplicateId(value);
              setOverrides({});
            }}
            onSearch={setSearch}
            filterOption={false}
            loading={found.isFetching}
            placeholder={t('merge.pickPlaceholder')}
            options={options}
            style={{ width: 420 }}
            notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('merge.noMatches')} />}
            data-testid="merge-pick"
          />
        </Flex>
        {duplicateQuery.isError && <ProblemAlert error={duplicateQuery.error} />}
        {duplicate && choices ? (
          <>
            <Table
              rowKey={(field) => field}
              size="small"
              pagination={false}
              dataSource={[...rows]}
              columns={[
                { title: t('merge.field'), width: 140, render: (_: unknown, field) => t(`customers.fields.${field}`) },
                {
                  title: (
                    <Space>
                      {t('merge.keep')}
                      <Typography.Text type="secondary">{survivor.name}</Typography.Text>
                    </Space>
                  ),
                  render: (_: unknown, field) =>
                    field === 'name' ? (
                      display(field, survivor)
                    ) : (
                      <Radio
                        checked={choices[field] === 'survivor'}
                        onChange={() => setOverrides((o) => ({ ...o, [field]: 'survivor' }))}
                      >
                        {display(field, survivor)}
                      </Radio>
                    ),
                },
                {
                  title: (
                    <Space>
                      {t('merge.duplicate')}
                      <Typography.Text type="secondary">{duplicate.name}</Typography.Text>
                    </Space>
                  ),
                  render: (_: unknown, field) =>
                    field === 'name' ? (
                      <Typography.Text type="secondary">{display(field, duplicate)}</Typography.Text>
                    ) : (
                      <Radio
                        checked={choices[field] === 'duplicate'}
                        disabled={duplicate[field] === null || duplicate[field] === survivor[field]}
                        onChange={() => setOverrides((o) => ({ ...o, [field]: 'duplicate' }))}
                      >
                        {display(field, duplicate)}
                      </Radio>
                    ),
                },
              ]}
            />
            <Alert type="info" showIcon style={{ margin: '16px 0' }} message={t('merge.moves')} />
            <Flex justify="flex-end">
              <Button type="primary" danger icon={<MergeCellsOutlined />} loading={merge.isPending} onClick={submit} data-testid="merge-submit">
                {t('merge.submit')}
              </Button>
            </Flex>
          </>
        ) : (
          <Empty description={t('merge.pickFirst')} />
        )}
      </Card>
    </>
  );
}
