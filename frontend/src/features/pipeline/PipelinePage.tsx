import { AppstoreOutlined, PlusOutlined, ReloadOutlined, SettingOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Empty, Flex, Segmented, Select, Skeleton, Space, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';

import { isApiProblem } from '../../api/problem';
import type { BoardDeal, PipelineStage } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { TeamSelect } from '../../components/TeamSelect';
import { UserSelect } from '../../components/UserSelect';
import { canWrite, useSession } from '../auth';
import { canManageSales } from '../products/permissions';
import { type BoardFilters, boardKeyOf, useBoard, useLoadMoreColumn, useMoveDeal, usePipelines } from './api';
import { openTotals } from './board';
import { LoseDialog, WinDialog } from './CloseDealDialogs';
import { DealFormDrawer } from './DealFormDrawer';
import { DealList } from './DealList';
import { dealProblemMessage } from './labels';
import { formatMoney } from './money';
import { PipelineBoardView } from './PipelineBoardView';

/** Won and lost columns show the deals closed in these last days (the server's default). */
const CLOSED_DAYS = 30;

type Dialog =
  | { kind: 'create' }
  | { kind: 'win'; deal: BoardDeal; stage?: PipelineStage }
  | { kind: 'lose'; deal: BoardDeal; stage?: PipelineStage };

/** 商机: the pipeline as a kanban (or a table), with the owner and team filters of your scope. */
export default function PipelinePage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const me = useSession();
  const writable = canWrite(me, 'opportunities');
  const scope = ['owner', 'admin'].includes(me.user.role) ? 'all' : (me.permissions.opportunities?.scope ?? 'own');
  const [params, setParams] = useSearchParams();
  const pipelines = usePipelines();
  const view = params.get('view') === 'list' ? 'list' : 'board';
  const pipeline =
    (pipelines.data ?? []).find((p) => p.id === params.get('pipeline')) ??
    (pipelines.data ?? []).find((p) => p.is_default) ??
    pipelines.data?.[0];
  const filters: BoardFilters = {
    owner_id: params.get('owner') ?? undefined,
    team_id: params.get('team') ?? undefined,
  };
  const board = useBoard(pipeline?.id, filters);
  const boardKey = boardKeyOf(pipeline?.id, filters);
  const more = useLoadMoreColumn(pipeline?.id, filters);
  const move = useMoveDeal(boardKey);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const summary = useMemo(() => (board.data ? openTotals(board.data) : []), [board.data]);
  const openCount = board.data?.columns.filter((c) => c.stage.kind === 'open').reduce((n, c) => n + c.count, 0) ?? 0;

  const setParam = (key: string, value: string | null | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const moveTo = (deal: BoardDeal, stage: PipelineStage) => {
    if (stage.kind === 'won') {
      setDialog({ kind: 'win', deal, stage });
      return;
    }
    if (stage.kind === 'lost') {
      setDialog({ kind: 'lose', deal, stage });
      return;
    }
    move.mutate(
      { deal, body: { stage_id: stage.id } },
      {
        onError: (error) => {
          // The server may still want a reason (a stage that became "lost" meanwhile).
          if (isApiProblem(error) && error.code === 'lost_reason_required') setDialog({ kind: 'lose', deal, stage });
          else void message.error(dealProblemMessage(error));
        },
      },
    );
  };

  const wonStage = pipeline?.stages.find((s) => s.kind === 'won');
  const lostStage = pipeline?.stages.find((s) => s.kind === 'lost');

  return (
    <>
      <PageHeader
        title={t('pipeline.title')}
        description={t('pipeline.description')}
        extra={
          <>
            <Segmented
              value={view}
              onChange={(v) => setParam('view', v === 'list' ? 'list' : null)}
              options={[
                { value: 'board', icon: <AppstoreOutlined />, label: t('pipeline.views.board') },
                { value: 'list', icon: <UnorderedListOutlined />, label: t('pipeline.views.list') },
              ]}
              data-testid="pipeline-view"
            />
            {canManageSales(me) && (
              <Tooltip title={t('pipeline.settings')}>
                <Button icon={<SettingOutlined />} onClick={() => void navigate('/settings/pipelines')} aria-label={t('pipeline.settings')} />
              </Tooltip>
            )}
            {writable && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })} data-testid="deal-create">
                {t('deals.create')}
              </Button>
            )}
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex gap={12} wrap align="center" justify="space-between">
          <Space wrap size={8}>
            <Select
              value={pipeline?.id}
              loading={pipelines.isPending}
              onChange={(id) => setParam('pipeline', id)}
              options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              style={{ minWidth: 200 }}
              aria-label={t('deals.fields.pipeline')}
              data-testid="pipeline-switcher"
            />
            {scope !== 'own' && (
              <>
                <UserSelect
                  value={filters.owner_id}
                  onChange={(id) => setParam('owner', id)}
                  placeholder={t('pipeline.filters.owner')}
                  style={{ width: 160 }}
                  data-testid="pipeline-owner-filter"
                />
                <div style={{ width: 180 }}>
                  <TeamSelect value={filters.team_id} onChange={(id) => setParam('team', id)} placeholder={t('pipeline.filters.team')} />
                </div>
              </>
            )}
            <Tooltip title={t('common.refresh')}>
              <Button icon={<ReloadOutlined />} onClick={() => void board.refetch()} loading={board.isFetching} aria-label={t('common.refresh')} />
            </Tooltip>
          </Space>
          {view === 'board' && board.data && (
            <Space size={16} wrap data-testid="pipeline-summary">
              <Typography.Text type="secondary">{t('pipeline.summary.open', { count: openCount })}</Typography.Text>
              {summary.map((total) => (
                <Typography.Text key={total.currency}>
                  <Typography.Text strong>{formatMoney(total.amount, total.currency, i18n.language)}</Typography.Text>
                  <Typography.Text type="secondary">
                    {' · '}
                    {t('pipeline.summary.weighted', { amount: formatMoney(total.weighted_amount, total.currency, i18n.language) })}
                  </Typography.Text>
                </Typography.Text>
              ))}
            </Space>
          )}
        </Flex>
      </Card>
      {pipelines.isError && <ProblemAlert error={pipelines.error} onRetry={() => void pipelines.refetch()} />}
      {pipelines.isSuccess && !pipeline && <Empty description={t('pipeline.noPipeline')} />}
      {pipeline && view === 'list' && (
        <Card>
          <DealList pipeline={pipeline} scope={filters} />
        </Card>
      )}
      {pipeline && view === 'board' && (
        <>
          {board.isError && <ProblemAlert error={board.error} onRetry={() => void board.refetch()} />}
          {board.isPending && <Skeleton active paragraph={{ rows: 8 }} />}
          {board.data && (
            <PipelineBoardView
              board={board.data}
              writable={writable}
              closedDays={CLOSED_DAYS}
              loadingColumn={more.loading}
              onLoadMore={(column) => {
                if (column.next_cursor) {
                  more.load(column.stage.id, column.next_cursor).catch((error: unknown) => void message.error(dealProblemMessage(error)));
                }
              }}
              onDrop={moveTo}
              onWin={(deal) => setDialog({ kind: 'win', deal, stage: wonStage })}
              onLose={(deal) => setDialog({ kind: 'lose', deal, stage: lostStage })}
            />
          )}
        </>
      )}
      {dialog?.kind === 'create' && (
        <DealFormDrawer
          defaults={{ pipeline_id: pipeline?.id }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'win' && (
        <WinDialog
          deal={dialog.deal}
          stage={dialog.stage}
          onConfirm={() =>
            dialog.stage
              ? move.mutateAsync({ deal: dialog.deal, body: { stage_id: dialog.stage.id } })
              : Promise.reject(new Error(t('pipeline.noWonStage')))
          }
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'lose' && (
        <LoseDialog
          deal={dialog.deal}
          stage={dialog.stage}
          onConfirm={(reasonId, note) =>
            dialog.stage
              ? move.mutateAsync({
                  deal: dialog.deal,
                  body: { stage_id: dialog.stage.id, lost_reason_id: reasonId, lost_note: note },
                })
              : Promise.reject(new Error(t('pipeline.noLostStage')))
          }
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
