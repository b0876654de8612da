import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { json, mockApi, problem } from '../../test/fetchMock';
import { renderAt } from '../../test/render';
import { ConvertModal } from './ConvertModal';
import type { Lead } from './types';

const lead: Lead = {
  id: 'l1',
  name: '王经理',
  company: '嘉兴新材料有限公司',
  title: null,
  phones: ['139 1234 5678'],
  email: null,
  province: null,
  city: null,
  source: null,
  campaign_id: null,
  status: 'qualified',
  owner_id: 'u-me',
  score: 0,
  notes: null,
  custom_fields: {},
  assigned_rule_id: null,
  assignment_note: null,
  converted_customer_id: null,
  converted_at: null,
  created_at: '2026-11-01T08:00:00Z',
  updated_at: '2026-11-01T08:00:00Z',
  version: 2,
};

const candidates = [
  {
    customer_id: 'c-mine',
    name: '嘉兴新材料',
    owner_id: 'u-me',
    owner_name: '王芳',
    in_your_scope: true,
    score: 1,
    reasons: [{ field: 'phone', value: '+8613912345678', score: 1, policy: 'warn' }],
  },
  {
    customer_id: 'c-other',
    name: '嘉兴新材料（上海）',
    owner_id: 'u-li',
    owner_name: '李雷',
    in_your_scope: false,
    score: 0.8,
    reasons: [{ field: 'name', value: '嘉兴新材料', score: 0.8, policy: 'warn' }],
  },
];

function converted(customerId: string, created: boolean) {
  return json({
    lead: { ...lead, status: 'converted', converted_customer_id: customerId },
    customer_id: customerId,
    contact_id: 'ct1',
    created_customer: created,
    extra: {},
  });
}

describe('ConvertModal', () => {
  it('offers to merge into a duplicate the user may see, names the owners, and merges', async () => {
    const bodies: unknown[] = [];
    mockApi({
      'POST /leads/l1/convert': async (request) => {
        const body = (await request.json()) as Record<string, unknown>;
        bodies.push(body);
        return body.merge_into_customer_id
          ? converted('c-mine', false)
          : problem(409, 'duplicate_customer', 'Possible duplicate customer', { candidates });
      },
    });
    const onConverted = vi.fn();
    renderAt(<ConvertModal lead={lead} onClose={() => {}} onConverted={onConverted} />);

    expect(screen.getByTestId('convert-customer-name')).toHaveValue('嘉兴新材料有限公司');
    fireEvent.click(screen.getByTestId('convert-submit'));
    const options = await screen.findAllByTestId('convert-candidate');
    expect(options).toHaveLength(2);
    expect(options[0]).toHaveTextContent('合并到「嘉兴新材料」');
    expect(options[0]).toHaveTextContent('负责人：王芳');
    // Someone else's customer outside the user's scope cannot be merged into from here.
    expect(within(options[1]).getByRole('radio')).toBeDisabled();
    expect(options[1]).toHaveTextContent('负责人：李雷');
    // The first mergeable candidate is chosen already.
    expect(within(options[0]).getByRole('radio')).toBeChecked();

    fireEvent.click(screen.getByTestId('convert-submit'));
    await waitFor(() => expect(onConverted).toHaveBeenCalled());
    expect(bodies).toEqual([
      { customer_name: '嘉兴新材料有限公司', force: false },
      { merge_into_customer_id: 'c-mine', force: false },
    ]);
    expect(onConverted.mock.calls[0][0]).toMatchObject({ customer_id: 'c-mine', created_customer: false });
  });

  it('creates a new customer anyway when chosen, unless the workspace blocks duplicates', async () => {
    const bodies: unknown[] = [];
    mockApi({
      'POST /leads/l1/convert': async (request) => {
        const body = (await request.json()) as Record<string, unknown>;
        bodies.push(body);
        return body.force ? converted('c-new', true) : problem(409, 'duplicate_customer', 'dup', { candidates: [candidates[1]] });
      },
    });
    const onConverted = vi.fn();
    renderAt(<ConvertModal lead={lead} onClose={() => {}} onConverted={onConverted} />);
    fireEvent.change(screen.getByTestId('convert-customer-name'), { target: { value: '嘉兴新材料二厂' } });
    fireEvent.click(screen.getByTestId('convert-submit'));
    const createNew = await screen.findByTestId('convert-create-new');
    expect(createNew).toHaveTextContent('仍然新建客户「嘉兴新材料二厂」');
    // Nothing mergeable: creating a new one is the preselected choice.
    expect(within(createNew).getByRole('radio')).toBeChecked();
    fireEvent.click(screen.getByTestId('convert-submit'));
    await waitFor(() => expect(onConverted).toHaveBeenCalled());
    expect(bodies[1]).toEqual({ customer_name: '嘉兴新材料二厂', force: true });
  });

  it('allows only merging when policy blocks a second record', async () => {
    mockApi({
      'POST /leads/l1/convert': () => problem(409, 'duplicate_blocked', 'blocked', { candidates }),
    });
    renderAt(<ConvertModal lead={lead} onClose={() => {}} onConverted={() => {}} />);
    fireEvent.click(screen.getByTestId('convert-submit'));
    const createNew = await screen.findByTestId('convert-create-new');
    expect(within(createNew).getByRole('radio')).toBeDisabled();
    expect(screen.getByText('工作区不允许重复客户，只能合并到已有客户。')).toBeInTheDocument();
  });
});
