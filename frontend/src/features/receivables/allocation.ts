/**
 * What the record-payment dialog shows before it sends anything: where the money would go.
 * The server decides (and answers with its own allocation); this mirrors its rules — oldest
 * installment first, never more than an installment's outstanding amount — in integer cents.
 */
import type { Installment } from '../../api/types';
import { compareAmounts, fromCents, toCents } from '../contracts/money';

export interface AllocationLine {
  installment_id: string;
  amount: string;
}

export interface AllocationPreview {
  lines: AllocationLine[];
  allocated: string;
  /** Money left over once every open installment is paid: credit (needs "overpayment"). */
  unallocated: string;
}

/** Installments that can still take money, in the order the server fills them. */
export function openInstallments(installments: readonly Installment[]): Installment[] {
  return installments
    .filter((i) => i.status !== 'void' && (toCents(i.outstanding) ?? 0n) > 0n)
    .sort((a, b) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.number - b.number));
}

export function outstandingTotal(installments: readonly Installment[]): string {
  return fromCents(openInstallments(installments).reduce((acc, i) => acc + (toCents(i.outstanding) ?? 0n), 0n));
}

/** Automatic allocation: `amount` spread over the open installments, oldest due date first. */
export function allocateOldestFirst(installments: readonly Installment[], amount: string | null): AllocationPreview {
  let remaining = toCents(amount) ?? 0n;
  if (remaining < 0n) remaining = 0n;
  const lines: AllocationLine[] = [];
  let allocated = 0n;
  for (const inst of openInstallments(installments)) {
    if (remaining <= 0n) break;
    const open = toCents(inst.outstanding) ?? 0n;
    const take = remaining < open ? remaining : open;
    if (take > 0n) {
      lines.push({ installment_id: inst.id, amount: fromCents(take) });
      allocated += take;
      remaining -= take;
    }
  }
  return { lines, allocated: fromCents(allocated), unallocated: fromCents(remaining) };
}

export interface ManualCheck {
  lines: AllocationLine[];
  allocated: string;
  /** amount − allocated: positive means money not yet placed. */
  remaining: string;
  /** Installments given more than their outstanding amount. */
  overInstallment: string[];
  /** Allocations add up to more than the payment. */
  overPayment: boolean;
}

/** Manual allocation as typed (installment id → amount); blanks and zeros are left out. */
export function checkManual(
  installments: readonly Installment[],
  typed: Readonly<Record<string, string | null | undefined>>,
  amount: string | null,
): ManualCheck {
  const byId = new Map(installments.map((i) => [i.id, i]));
  const lines: AllocationLine[] = [];
  const overInstallment: string[] = [];
  let allocated = 0n;
  for (const [id, value] of Object.entries(typed)) {
    const cents = toCents(value ?? null);
    if (cents === null || cents <= 0n) continue;
    const inst = byId.get(id);
    if (!inst) continue;
    if (compareAmounts(fromCents(cents), inst.outstanding) > 0) overInstallment.push(id);
    lines.push({ installment_id: id, amount: fromCents(cents) });
    allocated += cents;
  }
  // Keep the plan's order, whatever order the fields were typed in.
  const order = new Map(openInstallments(installments).map((i, n) => [i.id, n]));
  lines.sort((a, b) => (order.get(a.installment_id) ?? 0) - (order.get(b.installment_id) ?? 0));
  const remaining = (toCents(amount) ?? 0n) - allocated;
  return {
    lines,
    allocated: fromCents(allocated),
    remaining: fromCents(remaining),
    overInstallment,
    overPayment: remaining < 0n,
  };
}
