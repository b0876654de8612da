/**
 * Query keys of the contract-to-cash screens, in one place because a payment or a plan change
 * touches several of them at once (the contract's totals, its plan, receivables, aging).
 */
export const contractKeys = {
  all: ['contracts'] as const,
  lists: () => [...contractKeys.all, 'list'] as const,
  list: (params: Record<string, string>) => [...contractKeys.lists(), params] as const,
  details: () => [...contractKeys.all, 'detail'] as const,
  detail: (id: string) => [...contractKeys.details(), id] as const,
  plan: (id: string) => [...contractKeys.detail(id), 'plan'] as const,
  settings: ['settings', 'contracts'] as const,
};

export const receivableKeys = {
  all: ['receivables'] as const,
  list: (params: Record<string, string>) => [...receivableKeys.all, 'list', params] as const,
  aging: (params: Record<string, string>) => [...receivableKeys.all, 'aging', params] as const,
  cashIn: (params: Record<string, string>) => [...receivableKeys.all, 'cash-in', params] as const,
};

export const paymentKeys = {
  all: ['payments'] as const,
  list: (params: Record<string, string>) => [...paymentKeys.all, 'list', params] as const,
};

export const invoiceKeys = {
  all: ['invoices'] as const,
  list: (params: Record<string, string>) => [...invoiceKeys.all, 'list', params] as const,
};

export const orderKeys = {
  all: ['orders'] as const,
  list: (params: Record<string, string>) => [...orderKeys.all, 'list', params] as const,
};

/** Every cached view of money owed or received: what a payment, plan or invoice change refreshes. */
export const moneyKeys = [contractKeys.all, receivableKeys.all, paymentKeys.all, invoiceKeys.all] as const;
