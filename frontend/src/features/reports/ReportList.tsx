/**
 * 报表: the daily, weekly and monthly reports in your scope (yours; a manager's also the
 * team's and its reps'), newest period first, with the workbook one click away.
 */
import { DownloadOutlined, FileSearchOutlined, PlusOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Flex, Segmented, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { TeamSelect } from '../../components/TeamSelect';
import { UserSelect } from '../../components/UserSelect';
import { useMe } from '../auth/api';
import { useReportList, xlsxUrl, type ReportFilters } from './api';
import { GenerateReportModal } from './GenerateReportModal';
import { KINDS } from './periods';
import type { ReportKind, ReportSubjectKind, ReportSummary } from './types';

const KIND_COLORS: Record<ReportKind, string> = { daily: 'blue', weekly: 'purple', monthly: 'gold' };

export default function ReportList() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [kind, setKind] = useState<ReportKind | 'all'>('all');
  const [subjectKind, setSubjectKind] = useState<ReportSubjectKind | undefined>();
  const [userId, setUserId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [generating, setGenerating] = useState(false);
  const filters: ReportFilters = {
    kind: kind === 'all' ? undefined : kind,
    subject_kind: subjectKind,
    user_id: userId ?? undefined,
    team_id: teamId ?? undefined,
  };
  const list = useReportList(filters);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);

  const columns: TableColumnsType<ReportSummary> = [
    {
      key: 'period',
      title: t('reports.period'),
      width: 150,
      render: (_: unknown, r) => (
        <Space size={4}>
          <Tag color={KIND_COLORS[r.kind]}>{t(`reports.kinds.${r.kind}`)}</Tag>
          <Link to={`/reports/${r.id}`}>{r.period}</Link>
        </Space>
      ),
    },
    {
      key: 'subject',
      title: t('reports.subject'),
      ellipsis: true,
      render: (_: unknown, r) => (
        <Space size={6}>
          {r.subject_kind === 'team' ? <TeamOutlined /> : <UserOutlined />}
          <span>{r.subject_name}</span>
        </Space>
      ),
    },
    {
      key: 'generated',
      title: t('reports.generatedAt'),
      width: 280,
      render: (_: unknown, r) => (
        <Space size={4}>
          <span>{dayjs(r.generated_at).format('YYYY-MM-DD HH:mm')}</span>
          {r.partial && <Tag color="orange">{t('reports.partial')}</Tag>}
          {r.generated_by === null && <Tag>{t('reports.scheduled')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'actions',
      title: '',
      width: 96,
      align: 'right',
      render: (_: unknown, r) => (
        <Space size={4}>
          <Tooltip title={t('reports.view')}>
            <Link to={`/reports/${r.id}`} aria-label={t('reports.view')}>
              <Button size="small" type="text" icon={<FileSearchOutlined />} />
            </Link>
          </Tooltip>
          <Tooltip title={t('reports.download')}>
            <Button
              size="small"
              type="text"
              icon={<DownloadOutlined />}
              href={xlsxUrl(r.id, i18n.language)}
              aria-label={t('reports.download')}
              data-testid="report-download"
            />
          </Tooltip>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('reports.title')}
        description={t('reports.description')}
        extra={
          me.data && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setGenerating(true)} data-testid="report-generate">
              {t('reports.generate.open')}
            </Button>
          )
        }
      />
      <Flex wrap gap={8} align="center" style={{ marginBottom: 16 }}>
        <Segmented<ReportKind | 'all'>
          value={kind}
          onChange={setKind}
          options={[{ value: 'all', label: t('reports.allKinds') }, ...KINDS.map((k) => ({ value: k, label: t(`reports.kinds.${k}`) }))]}
          data-testid="report-kind"
        />
        <Select<ReportSubjectKind>
          allowClear
          placeholder={t('reports.allSubjects')}
          style={{ width: 130 }}
          value={subjectKind}
          onChange={(value) => setSubjectKind(value)}
          options={[
            { value: 'user', label: t('reports.subjectKinds.user') },
            { value: 'team', label: t('reports.subjectKinds.team') },
          ]}
        />
        <UserSelect value={userId} onChange={setUserId} placeholder={t('reports.anyRep')} style={{ width: 180 }} />
        <div style={{ minWidth: 180 }}>
          <TeamSelect value={teamId} onChange={setTeamId} placeholder={t('reports.anyTeam')} />
        </div>
      </Flex>
      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Table<ReportSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('reports.empty')}</Typography.Text> }}
        data-testid="report-table"
      />
      <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => void list.fetchNextPage()} shown={rows.length} />
      {generating && me.data && <GenerateReportModal open onClose={() => setGenerating(false)} userId={me.data.user.id} />}
    </>
  );
}
