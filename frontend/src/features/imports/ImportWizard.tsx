import { ArrowLeftOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Progress,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import type { ImportDuplicatePolicy, ImportEntity, ImportJob, ImportRowError } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { currentLanguage } from '../../i18n';
import { fieldMessage, problemMessage } from '../../lib/problems';
import { errorsCsvUrl, isRunning, useDryRun, useImportFields, useImportJob, useRunImport } from './api';

const ENTITIES: readonly ImportEntity[] = ['customers', 'contacts', 'customers_with_contacts'];
const POLICIES: readonly ImportDuplicatePolicy[] = ['skip', 'update', 'create'];
const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function Counts({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const c = job.counts;
  if (!c) return null;
  const items: [string, number, string?][] = [
    [t('imports.counts.total'), c.total],
    [t('imports.counts.valid'), c.valid, '#1f9d55'],
    [t('imports.counts.invalid'), c.invalid, c.invalid ? '#d4380d' : undefined],
    [t('imports.counts.created'), c.created],
    [t('imports.counts.updated'), c.updated],
    [t('imports.counts.skipped'), c.skipped],
  ];
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="import-counts">
      {items.map(([label, value, color]) => (
        <Col key={label} xs={8} md={4}>
          <Statistic title={label} value={value} valueStyle={color ? { color } : undefined} />
        </Col>
      ))}
    </Row>
  );
}

function ErrorsTable({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  if (job.errors.length === 0) return null;
  return (
    <>
      <Flex justify="space-between" align="center" style={{ margin: '8px 0' }}>
        <Typography.Text strong>
          {t('imports.errorsTitle')}
          {job.errors_truncated && (
            <Typography.Text type="secondary"> · {t('imports.errorsTruncated', { count: job.errors.length })}</Typography.Text>
          )}
        </Typography.Text>
        <Button size="small" icon={<DownloadOutlined />} href={errorsCsvUrl(job.id, currentLanguage())}>
          {t('imports.downloadErrors')}
        </Button>
      </Flex>
      <Table<ImportRowError>
        rowKey={(e) => `${e.row}:${e.field}:${e.message}`}
        size="small"
        dataSource={job.errors}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { title: t('imports.row'), dataIndex: 'row', width: 70 },
          { title: t('imports.column'), dataIndex: 'column', width: 160 },
          { title: t('imports.field'), dataIndex: 'field', width: 140, render: (f: string) => <code>{f}</code> },
          { title: t('imports.message'), dataIndex: 'message', render: (m: string) => fieldMessage(m) },
        ]}
      />
    </>
  );
}

/** Upload → map columns → dry-run report → run with progress. */
export default function ImportWizard() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [entity, setEntity] = useState<ImportEntity>('customers');
  const [policy, setPolicy] = useState<ImportDuplicatePolicy>('skip');
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [dryRun, setDryRun] = useState<ImportJob | null>(null);
  const [runId, setRunId] = useState<string | undefined>();
  const fields = useImportFields(entity);
  const upload = useDryRun();
  const run = useRunImport();
  const job = useImportJob(runId);

  const fieldOptions = useMemo(
    () =>
      (fields.data ?? []).map((f) => ({
        value: f.field,
        label: `${i18n.language === 'en' ? f.label_en : f.label_zh}${f.required ? ' *' : ''}`,
      })),
    [fields.data, i18n.language],
  );
  const missingRequired = (fields.data ?? [])
    .filter((f) => f.required && !Object.values(mapping).includes(f.field))
    .map((f) => (i18n.language === 'en' ? f.label_en : f.label_zh));

  const check = (withMapping: boolean) => {
    if (!file) return;
    upload.mutate(
      { file, entity, duplicatePolicy: policy, mapping: withMapping ? mapping : undefined },
      {
        onSuccess: (result) => {
          setDryRun(result);
          if (withMapping) {
            setStep(2);
          } else {
            setMapping(Object.fromEntries(result.headers.map((h) => [h, result.mapping[h] ?? null])));
            setStep(1);
          }
        },
        onError: (error) => void message.error(problemMessage(error)),
      },
    );
  };

  const start = () => {
    if (!dryRun) return;
    run.mutate(dryRun.id, {
      onSuccess: (started) => {
        setRunId(started.id);
        setStep(3);
      },
      onError: (error) => void message.error(problemMessage(error)),
    });
  };

  const current = job.data;

  return (
    <>
      <Link to="/customers" style={{ fontSize: 13 }}>
        <ArrowLeftOutlined /> {t('customers.backToList')}
      </Link>
      <PageHeader title={t('imports.title')} description={t('imports.description')} />
      <Card>
        <Steps
          current={step}
          size="small"
          style={{ marginBottom: 24, maxWidth: 760 }}
          items={[
            { title: t('imports.steps.upload') },
            { title: t('imports.steps.mapping') },
            { title: t('imports.steps.check') },
            { title: t('imports.steps.run') },
          ]}
        />
        {step === 0 && (
          <Form layout="vertical" style={{ maxWidth: 640 }}>
            <Form.Item label={t('imports.entity')}>
              <Radio.Group
                value={entity}
                onChange={(e) => setEntity(e.target.value as ImportEntity)}
                optionType="button"
                options={ENTITIES.map((e) => ({ value: e, label: t(`imports.entities.${e}`) }))}
              />
            </Form.Item>
            <Form.Item label={t('imports.duplicatePolicy')} extra={t(`imports.policies.${policy}Help`)}>
              <Radio.Group
                value={policy}
                onChange={(e) => setPolicy(e.target.value as ImportDuplicatePolicy)}
                options={POLICIES.map((p) => ({ value: p, label: t(`imports.policies.${p}`) }))}
              />
            </Form.Item>
            <Form.Item label={t('imports.file')}>
              <Upload.Dragger
                accept={ACCEPT}
                maxCount={1}
                beforeUpload={(f) => {
                  setFile(f);
                  return false;
                }}
                onRemove={() => setFile(null)}
                fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('imports.drop')}</p>
                <p className="ant-upload-hint">{t('imports.dropHint')}</p>
              </Upload.Dragger>
            </Form.Item>
            <Button type="primary" disabled={!file} loading={upload.isPending} onClick={() => check(false)} data-testid="import-upload">
              {t('common.next')}
            </Button>
          </Form>
        )}
        {step === 1 && dryRun && (
          <>
            <Typography.Paragraph type="secondary">
              {t('imports.mappingHelp', { file: dryRun.filename, count: dryRun.headers.length })}
            </Typography.Paragraph>
            {missingRequired.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                message={t('imports.missingRequired', { fields: missingRequired.join(t('common.listSeparator')) })}
              />
            )}
            <Table
              rowKey={(h) => h}
              size="small"
              pagination={false}
              dataSource={dryRun.headers}
              style={{ maxWidth: 760, marginBottom: 16 }}
              columns={[
                { title: t('imports.fileColumn'), render: (_: unknown, header: string) => <Typography.Text strong>{header}</Typography.Text> },
                {
                  title: t('imports.targetField'),
                  render: (_: unknown, header: string) => (
                    <Select
                      allowClear
                      showSearch
                      optionFilterProp="label"
                      value={mapping[header] ?? undefined}
                      placeholder={t('imports.ignore')}
                      onChange={(value?: string) => setMapping((m) => ({ ...m, [header]: value ?? null }))}
                      options={fieldOptions.map((o) => ({
                        ...o,
                        disabled: o.value !== mapping[header] && Object.values(mapping).includes(o.value),
                      }))}
                      style={{ width: 280 }}
                    />
                  ),
                },
              ]}
            />
            <Space>
              <Button onClick={() => setStep(0)}>{t('common.previous')}</Button>
              <Button type="primary" loading={upload.isPending} onClick={() => check(true)} disabled={missingRequired.length > 0}>
                {t('imports.runCheck')}
              </Button>
            </Space>
          </>
        )}
        {step === 2 && dryRun && (
          <>
            {dryRun.status === 'failed' ? (
              <Alert type="error" showIcon message={dryRun.message ?? t('imports.failed')} style={{ marginBottom: 16 }} />
            ) : (
              <Alert
                type={dryRun.counts?.invalid ? 'warning' : 'success'}
                showIcon
                style={{ marginBottom: 16 }}
                message={
                  dryRun.counts?.invalid
                    ? t('imports.checkWithErrors', { invalid: dryRun.counts.invalid, valid: dryRun.counts.valid })
                    : t('imports.checkOk', { valid: dryRun.counts?.valid ?? 0 })
                }
              />
            )}
            <Counts job={dryRun} />
            <ErrorsTable job={dryRun} />
            <Space style={{ marginTop: 16 }}>
              <Button onClick={() => setStep(1)}>{t('common.previous')}</Button>
              <Button
                type="primary"
                loading={run.isPending}
                disabled={dryRun.status !== 'ready' || !dryRun.counts?.valid}
                onClick={start}
                data-testid="import-run"
              >
                {t('imports.start', { count: dryRun.counts?.valid ?? 0 })}
              </Button>
            </Space>
          </>
        )}
        {step === 3 && (
          <>
            {!current || isRunning(current) ? (
              <Flex vertical align="center" gap={12} style={{ padding: 32 }}>
                <Progress type="circle" percent={current?.progress ?? 0} />
                <Typography.Text type="secondary">
                  {current ? t(`imports.statuses.${current.status}`) : t('imports.statuses.queued')}
                </Typography.Text>
              </Flex>
            ) : current.status === 'succeeded' ? (
              <Result
                status="success"
                title={t('imports.succeeded')}
                subTitle={current.filename}
                extra={
                  <Space>
                    <Button type="primary" onClick={() => void navigate('/customers')}>
                      {t('imports.viewCustomers')}
                    </Button>
                    <Button
                      onClick={() => {
                        setStep(0);
                        setFile(null);
                        setDryRun(null);
                        setRunId(undefined);
                      }}
                    >
                      {t('imports.another')}
                    </Button>
                  </Space>
                }
              >
                <Counts job={current} />
                <ErrorsTable job={current} />
              </Result>
            ) : (
              <Result status="error" title={t('imports.failed')} subTitle={current.message}>
                <ErrorsTable job={current} />
              </Result>
            )}
            {current && (
              <Flex justify="center">
                <Tag bordered={false}>{t(`imports.statuses.${current.status}`)}</Tag>
              </Flex>
            )}
          </>
        )}
      </Card>
    </>
  );
}
