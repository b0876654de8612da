import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type { Order, OrderListQuery } from '../../api/types';
import { orderKeys } from '../contracts/keys';

export const ORDERS_PAGE_SIZE = 50;

/** The channels shops and ERPs send most; the filter also takes any other name typed. */
export const KNOWN_CHANNELS = ['tmall', 'jd', 'pinduoduo', 'douyin', 'wechat_shop', 'erp', 'offline'] as const;

export interface OrderFilters {
  channel?: string;
  status?: OrderListQuery['status'];
  matched?: 'true' | 'false';
  customer_id?: string;
}

function params(filters: OrderFilters): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
  );
}

/** Keyset pages of orders; `matched: 'false'` is the review list of orders without a customer. */
export function useOrderList(filters: OrderFilters) {
  const query = params(filters);
  return useInfiniteQuery({
    queryKey: orderKeys.list(query),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/orders', {
          params: {
            query: {
              channel: filters.channel || undefined,
              status: filters.status || undefined,
              customer_id: filters.customer_id || undefined,
              matched: filters.matched === undefined ? undefined : filters.matched === 'true',
              limit: ORDERS_PAGE_SIZE,
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

export function useMatchOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ order, customerId }: { order: Order; customerId: string }) =>
      unwrap(
        await api.POST('/orders/{order_id}/match', {
          params: { path: { order_id: order.id }, header: { 'If-Match': ifMatch(order.version) } },
          body: { customer_id: customerId },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orderKeys.all }),
  });
}
