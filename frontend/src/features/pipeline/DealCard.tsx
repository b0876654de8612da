import { CalendarOutlined, FieldTimeOutlined, MoreOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Flex, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import dayjs from 'dayjs';
import type { DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { BoardDeal, PipelineStage } from '../../api/types';
import { formatDate } from '../../lib/dates';
import { useUserDirectory } from '../users';
import { stageName } from './labels';
import { formatMoney } from './money';

export const DEAL_DRAG_TYPE = 'application/x-rapport-deal';

/** One deal on the board: what it is worth, for whom, whose, by when, and whether it rots. */
export function DealCard({
  deal,
  stage,
  stages,
  writable,
  dragging,
  onDragStart,
  onDragEnd,
  onMove,
  onWin,
  onLose,
}: {
  deal: BoardDeal;
  stage: PipelineStage;
  stages: PipelineStage[];
  writable: boolean;
  dragging: boolean;
  onDragStart: (deal: BoardDeal, event: DragEvent<HTMLDivElement>) => void;
  onDragEnd: () => void;
  onMove: (deal: BoardDeal, stage: PipelineStage) => void;
  onWin: (deal: BoardDeal) => void;
  onLose: (deal: BoardDeal) => void;
}) {
  const { t, i18n } = useTranslation();
  const users = useUserDirectory();
  const owner = deal.owner_id ? users.byId.get(deal.owner_id) : undefined;
  const overdue =
    deal.status === 'open' && deal.expected_close_date !== null && dayjs(deal.expected_close_date).isBefore(dayjs(), 'day');

  const menu: MenuProps['items'] = [
    {
      key: 'move',
      label: t('pipeline.card.moveTo'),
      children: stages
        .filter((s) => s.id !== stage.id)
        .map((s) => ({ key: `move:${s.id}`, label: stageName(s, i18n.language), onClick: () => onMove(deal, s) })),
    },
    ...(deal.status !== 'won' ? [{ key: 'win', label: t('deals.actions.win'), onClick: () => onWin(deal) }] : []),
    ...(deal.status !== 'lost' ? [{ key: 'lose', label: t('deals.actions.lose'), danger: true, onClick: () => onLose(deal) }] : []),
  ];

  return (
    <div
      className="deal-card"
      draggable={writable}
      onDragStart={(e) => onDragStart(deal, e)}
      onDragEnd={onDragEnd}
      data-testid="deal-card"
      data-deal-id={deal.id}
      style={{
        background: '#fff',
        border: '1px solid #e6e9ef',
        borderLeft: `3px solid ${deal.rotting ? '#fa8c16' : stage.kind === 'won' ? '#52c41a' : stage.kind === 'lost' ? '#ff4d4f' : '#1d5bd8'}`,
        borderRadius: 6,
        padding: '8px 10px',
        cursor: writable ? 'grab' : 'default',
        opacity: dragging ? 0.4 : 1,
        boxShadow: '0 1px 2px rgba(16, 24, 40, 0.04)',
      }}
    >
      <Flex justify="space-between" align="flex-start" gap={4}>
        <Link to={`/opportunities/${deal.id}`} draggable={false} style={{ minWidth: 0, flex: 1 }} data-testid="deal-card-link">
          <Typography.Text strong ellipsis={{ tooltip: deal.name }} style={{ color: 'inherit', display: 'block' }}>
            {deal.name}
          </Typography.Text>
        </Link>
        {writable && (
          <Dropdown trigger={['click']} menu={{ items: menu }}>
            <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('common.more')} style={{ marginTop: -2, marginRight: -6 }} />
          </Dropdown>
        )}
      </Flex>
      {deal.customer_name !== null && (
        <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }} data-testid="deal-card-customer">
          {deal.customer_name}
        </Typography.Text>
      )}
      <Flex justify="space-between" align="center" style={{ marginTop: 4 }}>
        <Typography.Text strong style={{ fontSize: 15 }} data-testid="deal-card-amount">
          {formatMoney(deal.amount, deal.currency, i18n.language)}
        </Typography.Text>
        {deal.rotting && (
          <Tooltip title={t('pipeline.card.rottingHelp', { days: stage.rotting_days ?? 0 })}>
            <Tag color="orange" bordered={false} icon={<FieldTimeOutlined />} style={{ marginInlineEnd: 0 }} data-testid="deal-card-rotting">
              {t('pipeline.card.rotting')}
            </Tag>
          </Tooltip>
        )}
      </Flex>
      <Flex gap={10} wrap style={{ marginTop: 4, fontSize: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <UserOutlined /> {owner?.name ?? (deal.owner_id ? '…' : t('pipeline.card.noOwner'))}
        </Typography.Text>
        {deal.expected_close_date && (
          <Typography.Text type={overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
            <CalendarOutlined /> {formatDate(deal.expected_close_date)}
          </Typography.Text>
        )}
        {stage.kind === 'open' && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {deal.probability}%
          </Typography.Text>
        )}
      </Flex>
    </div>
  );
}
