import { DownOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';

import { SETTABLE_STATUSES } from './statuses';
import type { Lead, LeadStatus } from './types';

/** Move a lead to another status; "convert" opens the conversion dialog instead. */
export function LeadStatusMenu({
  lead,
  onMove,
  onConvert,
  size,
}: {
  lead: Lead;
  onMove: (status: LeadStatus) => void;
  onConvert: () => void;
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          ...SETTABLE_STATUSES.map((s) => ({
            key: s,
            label: t(`leads.statuses.${s}`),
            disabled: s === lead.status,
          })),
          { type: 'divider' as const },
          { key: 'convert', label: t('leads.convert.button') },
        ],
        onClick: ({ key, domEvent }) => {
          domEvent.stopPropagation();
          if (key === 'convert') onConvert();
          else onMove(key as LeadStatus);
        },
      }}
    >
      <Button size={size} onClick={(e) => e.stopPropagation()} data-testid="lead-status-menu">
        {t('leads.changeStatus')} <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}
