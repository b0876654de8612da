import { Badge, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { DeliveryStatus, WebhookEndpoint } from './types';

export function EndpointStatus({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  if (endpoint.active) return <Badge status="success" text={t('webhooks.statusActive')} />;
  const reason = endpoint.disabled_reason ?? 'manual';
  return <Badge status={reason === 'manual' ? 'default' : 'error'} text={t(`webhooks.disabled.${reason}`)} />;
}

const DELIVERY_COLORS: Record<DeliveryStatus, string> = {
  pending: 'processing',
  delivered: 'success',
  failed: 'error',
};

export function DeliveryStatusTag({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={DELIVERY_COLORS[status]} bordered={false} data-testid={`delivery-status-${status}`}>
      {t(`webhooks.deliveryStatus.${status}`)}
    </Tag>
  );
}
