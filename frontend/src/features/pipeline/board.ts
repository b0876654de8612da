/**
 * Board column math for the optimistic update of a drag: the card leaves one column and heads
 * the other, and both columns' counts and per-currency totals follow at once. The server's
 * board replaces this as soon as it answers (or the old board comes back on a problem).
 */
import type { BoardColumn, BoardDeal, BoardTotal, PipelineBoard, PipelineStage } from '../../api/types';
import { addAmounts, subtractAmounts, toCents, weighted } from './money';

/** Where the deal sits on the board, or null when it is not on a loaded page. */
export function findDeal(board: PipelineBoard, dealId: string): { column: BoardColumn; deal: BoardDeal } | null {
  for (const column of board.columns) {
    const deal = column.deals.find((d) => d.id === dealId);
    if (deal) return { column, deal };
  }
  return null;
}

function withoutZero(totals: BoardTotal[]): BoardTotal[] {
  return totals.filter((t) => t.count > 0);
}

/** The column's totals with one deal taken out (`sign` −1) or put in (+1). */
export function adjustTotals(totals: readonly BoardTotal[], deal: Pick<BoardDeal, 'amount' | 'currency' | 'probability'>, sign: 1 | -1): BoardTotal[] {
  const w = weighted(deal.amount, deal.probability);
  const op = sign === 1 ? addAmounts : subtractAmounts;
  const found = totals.some((t) => t.currency === deal.currency);
  const next = totals.map((t) =>
    t.currency === deal.currency
      ? { ...t, count: t.count + sign, amount: op(t.amount, deal.amount), weighted_amount: op(t.weighted_amount, w) }
      : t,
  );
  if (!found && sign === 1) {
    next.push({ currency: deal.currency, count: 1, amount: addAmounts('0', deal.amount), weighted_amount: w });
    next.sort((a, b) => a.currency.localeCompare(b.currency));
  }
  return withoutZero(next);
}

/** The status a deal gets in a stage of this kind. */
export function statusFor(kind: PipelineStage['kind']): BoardDeal['status'] {
  return kind;
}

/**
 * The deal's probability after the move: a stage sets its default unless the deal's own
 * probability was set by hand, which the board does not say, so a deal whose probability
 * differs from its old stage's default is taken as set by hand. Closing stages set their own
 * probability whatever was set (as the server does).
 */
export function probabilityAfterMove(deal: BoardDeal, from: PipelineStage, to: PipelineStage): number {
  if (to.kind !== 'open') return to.probability;
  const manual = from.kind === 'open' && deal.probability !== from.probability;
  return manual ? deal.probability : to.probability;
}

/**
 * The board after moving `dealId` to `toStageId`: the card heads the target column (it is now
 * the most recently changed), counts and totals move with it. Unchanged when the deal is not
 * on the board or already in that column.
 */
export function moveOnBoard(board: PipelineBoard, dealId: string, toStageId: string, now = new Date()): PipelineBoard {
  const found = findDeal(board, dealId);
  const target = board.columns.find((c) => c.stage.id === toStageId);
  if (!found || !target || found.column.stage.id === toStageId) return board;
  const { column: source, deal } = found;
  const moved: BoardDeal = {
    ...deal,
    probability: probabilityAfterMove(deal, source.stage, target.stage),
    status: statusFor(target.stage.kind),
    stage_entered_at: now.toISOString(),
    updated_at: now.toISOString(),
    rotting: false,
  };
  return {
    ...board,
    columns: board.columns.map((column) => {
      if (column.stage.id === source.stage.id) {
        return {
          ...column,
          count: Math.max(0, column.count - 1),
          totals: adjustTotals(column.totals, deal, -1),
          deals: column.deals.filter((d) => d.id !== dealId),
        };
      }
      if (column.stage.id === toStageId) {
        return {
          ...column,
          count: column.count + 1,
          totals: adjustTotals(column.totals, moved, 1),
          deals: [moved, ...column.deals],
        };
      }
      return column;
    }),
  };
}

/** A further page of one column appended to the board (cards already shown are not repeated). */
export function appendColumnPage(board: PipelineBoard, page: BoardColumn): PipelineBoard {
  return {
    ...board,
    columns: board.columns.map((column) => {
      if (column.stage.id !== page.stage.id) return column;
      const seen = new Set(column.deals.map((d) => d.id));
      return {
        ...column,
        deals: [...column.deals, ...page.deals.filter((d) => !seen.has(d.id))],
        next_cursor: page.next_cursor,
        has_more: page.has_more,
      };
    }),
  };
}

/** Sum of the open columns per currency: the pipeline's total and weighted forecast. */
export function openTotals(board: PipelineBoard): BoardTotal[] {
  const byCurrency = new Map<string, BoardTotal>();
  for (const column of board.columns) {
    if (column.stage.kind !== 'open') continue;
    for (const t of column.totals) {
      const acc = byCurrency.get(t.currency);
      byCurrency.set(
        t.currency,
        acc
          ? {
              currency: t.currency,
              count: acc.count + t.count,
              amount: addAmounts(acc.amount, t.amount),
              weighted_amount: addAmounts(acc.weighted_amount, t.weighted_amount),
            }
          : { ...t },
      );
    }
  }
  return [...byCurrency.values()].sort((a, b) => {
    // the larger amount first: the currency most of the pipeline is in
    const d = (toCents(b.amount) ?? 0n) - (toCents(a.amount) ?? 0n);
    return d > 0n ? 1 : d < 0n ? -1 : a.currency.localeCompare(b.currency);
  });
}

/** The order after moving the stage at `index` one place up (−1) or down (+1). */
export function reordered(ids: readonly string[], index: number, direction: -1 | 1): string[] {
  const target = index + direction;
  if (target < 0 || target >= ids.length) return [...ids];
  const next = [...ids];
  [next[index], next[target]] = [next[target], next[index]];
  return next;
}
