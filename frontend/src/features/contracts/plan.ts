/** The payment-plan editor's arithmetic: rows as typed, their sum against the contract amount. */
import dayjs, { type Dayjs } from 'dayjs';

import type { Installment, PlanInstallment } from '../../api/types';
import { compareAmounts, fromCents, normalizeAmount, splitEvenly, subtractAmounts, sumAmounts, toCents } from './money';

export interface PlanRow {
  /** Stable React key of the row. */
  key: string;
  /** The existing installment this row keeps; absent for a new one. */
  id?: string;
  due_date: Dayjs | null;
  amount: string | null;
  note?: string | null;
  /** Already paid on it: the amount cannot go below this, and the row cannot be removed. */
  paid?: string;
}

export interface PlanSummary {
  planned: string;
  /** planned − contract amount: negative when short, positive when too much. */
  difference: string;
  matches: boolean;
}

export function summarizePlan(rows: readonly Pick<PlanRow, 'amount'>[], contractAmount: string): PlanSummary {
  const planned = sumAmounts(rows.map((r) => r.amount));
  const difference = subtractAmounts(planned, contractAmount);
  return { planned, difference, matches: compareAmounts(planned, contractAmount) === 0 };
}

let counter = 0;
export function rowKey(): string {
  counter += 1;
  return `row-${counter}`;
}

/** The live installments of a plan as editor rows (void ones are history and stay out). */
export function rowsFromPlan(installments: readonly Installment[]): PlanRow[] {
  return installments
    .filter((i) => i.status !== 'void')
    .map((i) => ({
      key: i.id,
      id: i.id,
      due_date: dayjs(i.due_date),
      amount: i.amount,
      note: i.note,
      paid: i.paid,
    }));
}

/**
 * `count` equal installments of `total`, due one `stepMonths` apart from `firstDue`; the
 * cents that do not divide go on the last one.
 */
export function evenPlan(total: string, count: number, firstDue: Dayjs, stepMonths = 1): PlanRow[] {
  return splitEvenly(total, count).map((amount, n) => ({
    key: rowKey(),
    due_date: firstDue.add(n * stepMonths, 'month'),
    amount,
    note: null,
  }));
}

/** Whether a row may be sent: a due date and a positive amount. */
export function rowComplete(row: PlanRow): boolean {
  const cents = toCents(row.amount);
  return row.due_date !== null && cents !== null && cents > 0n;
}

/** The request body of PUT /contracts/{id}/payment-plan. */
export function planBody(rows: readonly PlanRow[]): { installments: PlanInstallment[] } {
  return {
    installments: rows.map((row) => ({
      ...(row.id ? { id: row.id } : {}),
      due_date: (row.due_date as Dayjs).format('YYYY-MM-DD'),
      amount: normalizeAmount(row.amount) ?? '0.00',
      note: row.note?.trim() ? row.note.trim() : null,
    })),
  };
}

/** Rows whose new amount is below what was already paid on them. */
export function belowPaid(row: PlanRow): boolean {
  if (!row.paid) return false;
  const paid = toCents(row.paid) ?? 0n;
  const amount = toCents(row.amount) ?? 0n;
  return paid > 0n && amount < paid;
}

/** Puts the remaining difference on the last row, so the plan adds up (the "fix it" button). */
export function absorbDifference(rows: readonly PlanRow[], contractAmount: string): PlanRow[] {
  if (rows.length === 0) return [...rows];
  const { difference } = summarizePlan(rows, contractAmount);
  const last = rows[rows.length - 1];
  const fixed = (toCents(last.amount) ?? 0n) - (toCents(difference) ?? 0n);
  return [...rows.slice(0, -1), { ...last, amount: fromCents(fixed) }];
}

/**
 * The split tool: rows that already carry payments stay as they are (the server refuses to
 * drop them); what they leave of the contract amount is split into `count` new installments.
 */
export function splitRest(
  rows: readonly PlanRow[],
  contractAmount: string,
  count: number,
  firstDue: Dayjs,
  stepMonths = 1,
): PlanRow[] {
  const kept = rows.filter((row) => (toCents(row.paid) ?? 0n) > 0n);
  const rest = subtractAmounts(contractAmount, sumAmounts(kept.map((row) => row.amount)));
  return [...kept, ...evenPlan(rest, count, firstDue, stepMonths)];
}
