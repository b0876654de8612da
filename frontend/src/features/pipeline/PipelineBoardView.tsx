import { Badge, Button, Empty, Flex, Tooltip, Typography } from 'antd';
import { useMemo, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { BoardColumn, BoardDeal, PipelineBoard, PipelineStage } from '../../api/types';
import { DEAL_DRAG_TYPE, DealCard } from './DealCard';
import { stageName } from './labels';
import { formatMoney } from './money';

const KIND_ACCENT: Record<PipelineStage['kind'], string> = { open: '#1d5bd8', won: '#52c41a', lost: '#ff4d4f' };

function ColumnTotals({ column }: { column: BoardColumn }) {
  const { t, i18n } = useTranslation();
  if (column.totals.length === 0) {
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        —
      </Typography.Text>
    );
  }
  return (
    <Flex vertical gap={0}>
      {column.totals.map((total) => (
        <Typography.Text
          key={total.currency}
          style={{ fontSize: 12 }}
          data-testid="column-total"
          data-currency={total.currency}
          data-amount={total.amount}
          data-weighted={total.weighted_amount}
        >
          <Typography.Text strong style={{ fontSize: 12 }}>
            {formatMoney(total.amount, total.currency, i18n.language)}
          </Typography.Text>
          {column.stage.kind === 'open' && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {' · '}
              {t('pipeline.column.weighted', { amount: formatMoney(total.weighted_amount, total.currency, i18n.language) })}
            </Typography.Text>
          )}
        </Typography.Text>
      ))}
    </Flex>
  );
}

/**
 * The kanban: one column per stage. A card dragged onto another column is moved there with one
 * server call; won and lost columns ask first (a win offers the contract, a loss needs a reason).
 */
export function PipelineBoardView({
  board,
  writable,
  closedDays,
  loadingColumn,
  onLoadMore,
  onDrop,
  onWin,
  onLose,
}: {
  board: PipelineBoard;
  writable: boolean;
  closedDays: number;
  loadingColumn: string | null;
  onLoadMore: (column: BoardColumn) => void;
  onDrop: (deal: BoardDeal, to: PipelineStage) => void;
  onWin: (deal: BoardDeal, from: PipelineStage) => void;
  onLose: (deal: BoardDeal, from: PipelineStage) => void;
}) {
  const { t, i18n } = useTranslation();
  const [dragging, setDragging] = useState<{ deal: BoardDeal; from: string } | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const stages = useMemo(() => board.columns.map((c) => c.stage), [board.columns]);

  const start = (deal: BoardDeal, from: string, event: DragEvent<HTMLDivElement>) => {
    event.dataTransfer.setData(DEAL_DRAG_TYPE, deal.id);
    event.dataTransfer.setData('text/plain', deal.name);
    event.dataTransfer.effectAllowed = 'move';
    setDragging({ deal, from });
  };
  const end = () => {
    setDragging(null);
    setOver(null);
  };

  return (
    <div style={{ overflowX: 'auto', paddingBottom: 8 }} data-testid="pipeline-board">
      <Flex gap={12} align="flex-start" style={{ minWidth: 'min-content' }}>
        {board.columns.map((column) => {
          const { stage } = column;
          const accepting = dragging !== null && dragging.from !== stage.id;
          const highlighted = accepting && over === stage.id;
          return (
            <div
              key={stage.id}
              data-testid="board-column"
              data-stage-id={stage.id}
              data-stage-kind={stage.kind}
              data-count={column.count}
              onDragOver={(e) => {
                if (!accepting) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                if (over !== stage.id) setOver(stage.id);
              }}
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget as Node | null) && over === stage.id) setOver(null);
              }}
              onDrop={(e) => {
                e.preventDefault();
                const deal = dragging?.deal;
                end();
                if (deal && accepting) onDrop(deal, stage);
              }}
              style={{
                width: 272,
                flex: '0 0 272px',
                background: highlighted ? '#e8f0fe' : '#f4f6f9',
                border: highlighted ? '1px dashed #1d5bd8' : '1px solid transparent',
                borderRadius: 8,
                transition: 'background 120ms',
              }}
            >
              <div style={{ padding: '10px 12px 8px', borderTop: `3px solid ${KIND_ACCENT[stage.kind]}`, borderRadius: '8px 8px 0 0' }}>
                <Flex justify="space-between" align="center" gap={6}>
                  <Flex align="center" gap={6} style={{ minWidth: 0 }}>
                    <Typography.Text strong ellipsis data-testid="column-name">
                      {stageName(stage, i18n.language)}
                    </Typography.Text>
                    <Badge
                      count={column.count}
                      showZero
                      overflowCount={9999}
                      color={stage.kind === 'won' ? '#52c41a' : stage.kind === 'lost' ? '#8c8c8c' : '#1d5bd8'}
                      data-testid="column-count"
                    />
                  </Flex>
                  <Tooltip
                    title={
                      stage.kind === 'open'
                        ? t('pipeline.column.probabilityHelp')
                        : t('pipeline.column.closedHelp', { days: closedDays })
                    }
                  >
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {stage.kind === 'open' ? `${stage.probability}%` : t('pipeline.column.recent', { days: closedDays })}
                    </Typography.Text>
                  </Tooltip>
                </Flex>
                <div style={{ marginTop: 4, minHeight: 20 }}>
                  <ColumnTotals column={column} />
                </div>
              </div>
              <Flex
                vertical
                gap={8}
                style={{ padding: '0 8px 10px', minHeight: 80, maxHeight: 'calc(100vh - 330px)', overflowY: 'auto' }}
              >
                {column.deals.map((deal) => (
                  <DealCard
                    key={deal.id}
                    deal={deal}
                    stage={stage}
                    stages={stages}
                    writable={writable}
                    dragging={dragging?.deal.id === deal.id}
                    onDragStart={(d, e) => start(d, stage.id, e)}
                    onDragEnd={end}
                    onMove={(d, to) => onDrop(d, to)}
                    onWin={(d) => onWin(d, stage)}
                    onLose={(d) => onLose(d, stage)}
                  />
                ))}
                {column.deals.length === 0 && (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pipeline.column.empty')} style={{ margin: '12px 0' }} />
                )}
                {column.has_more && column.next_cursor && (
                  <Button
                    size="small"
                    type="dashed"
                    block
                    loading={loadingColumn === stage.id}
                    onClick={() => onLoadMore(column)}
                    data-testid="column-load-more"
                  >
                    {t('pipeline.column.loadMore', { shown: column.deals.length, count: column.count })}
                  </Button>
                )}
              </Flex>
            </div>
          );
        })}
      </Flex>
    </div>
  );
}
