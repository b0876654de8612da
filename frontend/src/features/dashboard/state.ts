/** Which of its four states a widget is in. */
export interface WidgetQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

export type WidgetState = 'loading' | 'error' | 'empty' | 'ready';

export function widgetState(query: WidgetQuery, empty: boolean): WidgetState {
  if (query.isError) return 'error';
  if (query.isPending) return 'loading';
  return empty ? 'empty' : 'ready';
}
