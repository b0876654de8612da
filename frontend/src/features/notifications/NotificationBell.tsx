import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Popover, Spin } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useUnreadCount } from './api';

const NotificationList = lazy(() => import('./NotificationList'));

/** The header bell: unread count, and the latest notifications on click. */
export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useUnreadCount();
  const [open, setOpen] = useState(false);
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      content={
        // Mounted only while open (the list and its widgets load on first use).
        <Suspense
          fallback={
            <Flex justify="center" style={{ width: 380, padding: 24 }}>
              <Spin />
            </Flex>
          }
        >
          <NotificationList onNavigate={() => setOpen(false)} />
        </Suspense>
      }
      styles={{ body: { padding: 0 } }}
      destroyOnHidden
    >
      <Button type="text" aria-label={t('notifications.title')} data-testid="notification-bell">
        <Badge count={unread.data ?? 0} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 17 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
