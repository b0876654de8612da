export { webhookKeys, useWebhooks } from './api';
export { isEventType, matchesEventType } from './eventTypes';
