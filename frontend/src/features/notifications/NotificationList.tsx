/** The bell's dropdown: the latest notifications; loaded on first open. */
import { Badge, Button, Card, Empty, Flex, List, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import type { Notification } from '../../api/types';
import { translateIfExists } from '../../i18n';
import { fromNow } from '../../lib/dates';
import { useNotifications, useReadAllNotifications, useReadNotification } from './api';
import { notificationTarget } from './target';

export default function NotificationList({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useNotifications(true);
  const read = useReadNotification();
  const readAll = useReadAllNotifications();
  const items = list.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <Card
      size="small"
      title={t('notifications.title')}
      extra={
        <Button type="link" size="small" onClick={() => readAll.mutate()} loading={readAll.isPending} data-testid="notifications-read-all">
          {t('notifications.readAll')}
        </Button>
      }
      style={{ width: 380, boxShadow: 'none' }}
      styles={{ body: { padding: 0, maxHeight: 440, overflowY: 'auto' } }}
      bordered={false}
    >
      {list.isPending ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} style={{ padding: 16 }} />
      ) : (
        <List<Notification>
          size="small"
          dataSource={items}
          renderItem={(n) => {
            const unread = n.read_at === null;
            return (
              <List.Item
                style={{ cursor: 'pointer', background: unread ? '#f3f7ff' : undefined, paddingInline: 16 }}
                onClick={() => {
                  if (unread) read.mutate(n.id);
                  const target = notificationTarget(n);
                  if (target) {
                    onNavigate();
                    void navigate(target);
                  }
                }}
                data-testid="notification-item"
              >
                <Flex vertical gap={2} style={{ width: '100%' }}>
                  <Flex justify="space-between" gap={8}>
                    <Typography.Text strong={unread}>
                      {unread && <Badge status="processing" style={{ marginRight: 6 }} />}
                      {translateIfExists(`notifications.kinds.${n.kind}`) ?? n.kind}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {fromNow(n.created_at)}
                    </Typography.Text>
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }} ellipsis={{ tooltip: n.title }}>
                    {n.title}
                  </Typography.Text>
                </Flex>
              </List.Item>
            );
          }}
        />
      )}
      {list.hasNextPage && (
        <Flex justify="center" style={{ padding: 8 }}>
          <Button size="small" type="link" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
