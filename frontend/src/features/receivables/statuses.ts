import type { InstallmentStatus, InvoiceType, PaymentMethod } from '../../api/types';

export const INSTALLMENT_STATUSES: readonly InstallmentStatus[] = ['pending', 'partially_paid', 'paid', 'overdue', 'void'];

export const PAYMENT_METHODS: readonly PaymentMethod[] = ['bank_transfer', 'cash', 'alipay', 'wechat_pay', 'cheque', 'other'];

export const INVOICE_TYPES: readonly InvoiceType[] = ['normal', 'special', 'other'];
