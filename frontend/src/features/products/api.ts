import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type { Product, ProductCreate, ProductListQuery, ProductUpdate } from '../../api/types';

export const PRODUCTS_PAGE_SIZE = 50;

export type ProductFilters = Pick<ProductListQuery, 'q' | 'category' | 'active' | 'sort'>;

export const productKeys = {
  all: ['products'] as const,
  lists: () => [...productKeys.all, 'list'] as const,
  list: (filters: ProductFilters) => [...productKeys.lists(), filters] as const,
  search: (q: string) => [...productKeys.all, 'search', q] as const,
  detail: (id: string) => [...productKeys.all, 'detail', id] as const,
};

function withoutEmpty<T extends object>(filters: T): T {
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as T;
}

/** Keyset pages of the catalogue. */
export function useProductList(filters: ProductFilters) {
  const clean = withoutEmpty(filters);
  return useInfiniteQuery({
    queryKey: productKeys.list(clean),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/products', {
          params: { query: { ...clean, limit: PRODUCTS_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

/** A few active products by name or SKU, for the line item picker. */
export function useProductSearch(q: string) {
  return useQuery({
    queryKey: productKeys.search(q),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/products', { params: { query: { q: q || undefined, active: true, limit: 30 } }, signal }),
      ).data,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function useProduct(id: string | null | undefined) {
  return useQuery({
    queryKey: productKeys.detail(id ?? ''),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/products/{product_id}', { params: { path: { product_id: id! } }, signal })),
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
  });
}

export function useSaveProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ product, body }: { product?: Product; body: ProductCreate | ProductUpdate }) =>
      product
        ? unwrap(
            await api.PATCH('/products/{product_id}', {
              params: { path: { product_id: product.id }, header: { 'If-Match': ifMatch(product.version) } },
              body,
            }),
          )
        : unwrap(await api.POST('/products', { body: body as ProductCreate })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: productKeys.all }),
  });
}

export function useDeleteProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (product: Product) => {
      await api.DELETE('/products/{product_id}', {
        params: { path: { product_id: product.id }, header: { 'If-Match': ifMatch(product.version) } },
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: productKeys.all }),
  });
}
