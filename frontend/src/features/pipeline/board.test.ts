import { describe, expect, it } from 'vitest';

import type { BoardColumn, BoardDeal, PipelineBoard, PipelineStage } from '../../api/types';
import { adjustTotals, appendColumnPage, moveOnBoard, openTotals, probabilityAfterMove, reordered } from './board';

function stage(id: string, kind: PipelineStage['kind'], probability: number): PipelineStage {
  return {
    id,
    pipeline_id: 'p',
    name_zh: id,
    name_en: id,
    position: 0,
    probability,
    kind,
    rotting_days: 14,
    version: 1,
  };
}

function deal(id: string, amount: string, currency: string, probability: number, extra: Partial<BoardDeal> = {}): BoardDeal {
  return {
    id,
    name: id,
    customer_id: 'c',
    customer_name: '宁波港口机械设备有限公司',
    amount,
    currency,
    probability,
    expected_close_date: null,
    owner_id: null,
    status: 'open',
    stage_entered_at: '2026-11-01T00:00:00Z',
    rotting: true,
    updated_at: '2026-11-01T00:00:00Z',
    version: 1,
    ...extra,
  };
}

function column(s: PipelineStage, deals: BoardDeal[], totals: BoardColumn['totals'], count = deals.length): BoardColumn {
  return { stage: s, count, totals, deals, next_cursor: null, has_more: false };
}

const first = stage('first', 'open', 10);
const second = stage('second', 'open', 30);
const won = stage('won', 'won', 100);

function board(): PipelineBoard {
  return {
    pipeline_id: 'p',
    closed_since: '2026-11-01T00:00:00Z',
    columns: [
      column(
        first,
        [deal('a', '1000.00', 'CNY', 10), deal('b', '50.00', 'USD', 10)],
        [
          { currency: 'CNY', count: 4, amount: '5000.00', weighted_amount: '500.00' },
          { currency: 'USD', count: 1, amount: '50.00', weighted_amount: '5.00' },
        ],
        5,
      ),
      column(second, [], []),
      column(won, [], [{ currency: 'CNY', count: 1, amount: '10.00', weighted_amount: '10.00' }]),
    ],
  };
}

describe('moving a card', () => {
  it('moves counts and per-currency totals with it', () => {
    const after = moveOnBoard(board(), 'b', 'second', new Date('2026-11-30T00:00:00Z'));
    const [from, to] = after.columns;
    expect(from.count).toBe(4);
    expect(from.deals.map((d) => d.id)).toEqual(['a']);
    // the USD total disappears with its only deal
    expect(from.totals).toEqual([{ currency: 'CNY', count: 4, amount: '5000.00', weighted_amount: '500.00' }]);
    expect(to.count).toBe(1);
    expect(to.deals[0]).toMatchObject({ id: 'b', probability: 30, rotting: false, stage_entered_at: '2026-11-30T00:00:00.000Z' });
    expect(to.totals).toEqual([{ currency: 'USD', count: 1, amount: '50.00', weighted_amount: '15.00' }]);
  });

  it('puts the card at the head of a column that already has the currency', () => {
    const after = moveOnBoard(board(), 'a', 'won');
    const target = after.columns[2];
    expect(target.deals[0]).toMatchObject({ id: 'a', status: 'won', probability: 100 });
    expect(target.totals).toEqual([{ currency: 'CNY', count: 2, amount: '1010.00', weighted_amount: '1010.00' }]);
    expect(after.columns[0].totals[0]).toEqual({ currency: 'CNY', count: 3, amount: '4000.00', weighted_amount: '400.00' });
  });

  it('leaves the board alone for an unknown deal or the same column', () => {
    const before = board();
    expect(moveOnBoard(before, 'zzz', 'second')).toBe(before);
    expect(moveOnBoard(before, 'a', 'first')).toBe(before);
  });

  it("keeps a probability set by hand, and closing stages set their own", () => {
    expect(probabilityAfterMove(deal('x', '1', 'CNY', 10), first, second)).toBe(30);
    expect(probabilityAfterMove(deal('x', '1', 'CNY', 65), first, second)).toBe(65);
    expect(probabilityAfterMove(deal('x', '1', 'CNY', 65), first, won)).toBe(100);
  });
});

describe('column totals', () => {
  it('add a new currency in order and drop empty ones', () => {
    const totals = adjustTotals([{ currency: 'USD', count: 1, amount: '1.00', weighted_amount: '0.50' }], deal('x', '2.00', 'CNY', 50), 1);
    expect(totals.map((t) => t.currency)).toEqual(['CNY', 'USD']);
    expect(adjustTotals(totals, deal('x', '2.00', 'CNY', 50), -1).map((t) => t.currency)).toEqual(['USD']);
  });

  it('sum the open columns per currency, the largest first', () => {
    const b = board();
    b.columns[1] = column(second, [], [{ currency: 'USD', count: 2, amount: '10000.00', weighted_amount: '3000.00' }]);
    expect(openTotals(b)).toEqual([
      { currency: 'USD', count: 3, amount: '10050.00', weighted_amount: '3005.00' },
      { currency: 'CNY', count: 4, amount: '5000.00', weighted_amount: '500.00' },
    ]);
  });
});

describe('load more', () => {
  it('appends a column page without repeating cards', () => {
    const page = column(first, [deal('b', '50.00', 'USD', 10), deal('c', '1.00', 'CNY', 10)], [], 5);
    page.next_cursor = 'next';
    page.has_more = true;
    const after = appendColumnPage(board(), page).columns[0];
    expect(after.deals.map((d) => d.id)).toEqual(['a', 'b', 'c']);
    expect(after.next_cursor).toBe('next');
    expect(after.count).toBe(5);
  });
});

describe('stage order', () => {
  it('swaps a stage with its neighbour and ignores moves off the ends', () => {
    expect(reordered(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(reordered(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(reordered(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
  });
});
