import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { makeUser, page } from '../../test/fixtures';
import { json, mockApi, problem } from '../../test/fetchMock';
import { renderAt } from '../../test/render';
import { LeadBoard } from './LeadBoard';
import type { Lead } from './types';

function lead(overrides: Partial<Lead>): Lead {
  return {
    id: 'l1',
    name: '赵先生',
    company: '宁波甬江电器有限公司',
    title: null,
    phones: [],
    email: null,
    province: null,
    city: null,
    source: null,
    campaign_id: null,
    status: 'new',
    owner_id: 'u-li',
    score: 0,
    notes: null,
    custom_fields: {},
    assigned_rule_id: null,
    assignment_note: null,
    converted_customer_id: null,
    converted_at: null,
    created_at: '2026-11-01T08:00:00Z',
    updated_at: '2026-11-01T08:00:00Z',
    version: 3,
    ...overrides,
  };
}

function board(leads: Lead[], patch: (request: Request) => Response | Promise<Response>) {
  const patches: { ifMatch: string | null; body: unknown }[] = [];
  mockApi({
    'GET /users': () => json(page([makeUser({ id: 'u-li', name: '李雷' })])),
    'GET /leads': (request) => {
      const status = new URL(request.url).searchParams.get('status');
      return json(page(leads.filter((l) => l.status === status)));
    },
    'PATCH /leads/l1': async (request) => {
      patches.push({ ifMatch: request.headers.get('If-Match'), body: await request.clone().json() });
      return patch(request);
    },
  });
  renderAt(<LeadBoard filters={{}} writable onConvert={() => {}} />);
  return patches;
}

describe('LeadBoard', () => {
  it('moves a card with its status menu: one PATCH with If-Match, shown in the new column', async () => {
    const leads = [lead({})];
    const patches = board(leads, () => {
      leads[0] = lead({ status: 'qualified', version: 4 });
      return json(leads[0]);
    });
    const column = (status: string) => screen.getByTestId(`lead-column-${status}`);
    await within(column('new')).findByText('赵先生');
    await within(column('new')).findByText(/李雷/);

    fireEvent.click(within(column('new')).getByTestId('lead-status-menu'));
    fireEvent.click(await screen.findByRole('menuitem', { name: '有意向' }));

    await within(column('qualified')).findByText('赵先生');
    expect(patches).toEqual([{ ifMatch: 'W/"3"', body: { status: 'qualified' } }]);
  });

  it('puts the card back and says why when the server refuses', async () => {
    board([lead({})], () => problem(412, 'precondition_failed', 'Stale'));
    const column = (status: string) => screen.getByTestId(`lead-column-${status}`);
    await within(column('new')).findByText('赵先生');
    fireEvent.click(within(column('new')).getByTestId('lead-status-menu'));
    fireEvent.click(await screen.findByRole('menuitem', { name: '无效' }));
    await screen.findByText(/状态未能修改：该记录已被他人修改/);
    await waitFor(() => expect(within(column('new')).getByText('赵先生')).toBeInTheDocument());
    expect(within(column('unqualified')).queryByText('赵先生')).toBeNull();
  });
});
