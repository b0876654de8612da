/** Named types of the webhooks module, taken from the generated contract. */
import type { components, operations } from '../../api/types';

type Schemas = components['schemas'];
type JsonBodyOf<O extends keyof operations> = operations[O] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookEndpointCreated = Schemas['WebhookEndpointCreated'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryDetail = Schemas['WebhookDeliveryDetail'];
export type WebhookAttempt = Schemas['WebhookAttempt'];
export type DeliveryStatus = Schemas['DeliveryStatus'];
export type WebhookCreate = JsonBodyOf<'webhooks:create_webhook'>;
export type WebhookUpdate = JsonBodyOf<'webhooks:update_webhook'>;
