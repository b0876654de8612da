import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { DuplicateCandidate } from '../../api/types';
import i18n from '../../i18n';
import { renderAt } from '../../test/render';
import { DuplicateWarning } from './DuplicateWarning';

function candidate(overrides: Partial<DuplicateCandidate>): DuplicateCandidate {
  return {
    customer_id: 'c1',
    name: '上海星辰贸易有限公司',
    owner_id: 'u-li',
    owner_name: '李雷',
    in_your_scope: false,
    score: 1,
    reasons: [{ field: 'phone', value: '+8613800138000', score: 1, policy: 'warn' }],
    ...overrides,
  };
}

describe('DuplicateWarning', () => {
  it("names each candidate's owner and offers a dispute only for someone else's", () => {
    const onDispute = vi.fn();
    renderAt(
      <DuplicateWarning
        blocked={false}
        myId="u-me"
        onDispute={onDispute}
        candidates={[
          candidate({}),
          candidate({ customer_id: 'c2', name: '星辰贸易（北京）', owner_id: 'u-me', owner_name: '王芳', in_your_scope: true }),
        ]}
      />,
    );
    const rows = screen.getAllByTestId('duplicate-candidate');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByTestId('duplicate-owner')).toHaveTextContent('负责人：李雷');
    expect(within(rows[0]).getByText('电话 +8613800138000')).toBeInTheDocument();
    expect(within(rows[1]).getByTestId('duplicate-owner')).toHaveTextContent('负责人：王芳 · 您负责的客户');
    expect(within(rows[1]).queryByTestId('raise-dispute')).toBeNull();
    // Only a candidate in scope links to its page.
    expect(within(rows[0]).queryByRole('link')).toBeNull();
    expect(within(rows[1]).getByRole('link')).toHaveAttribute('href', '/customers/c2');

    fireEvent.click(within(rows[0]).getByTestId('raise-dispute'));
    expect(onDispute).toHaveBeenCalledWith(expect.objectContaining({ customer_id: 'c1', owner_name: '李雷' }));
  });

  it('says when policy blocks the save, and shows name similarity, in English too', async () => {
    await i18n.changeLanguage('en');
    renderAt(
      <DuplicateWarning
        blocked
        myId="u-me"
        candidates={[
          candidate({
            owner_name: null,
            owner_id: null,
            reasons: [{ field: 'name', value: '星辰贸易', score: 0.734, policy: 'block' }],
          }),
        ]}
      />,
    );
    expect(screen.getByText('The workspace does not allow a second record of this customer')).toBeInTheDocument();
    expect(screen.getByTestId('duplicate-owner')).toHaveTextContent('In a pool (no owner)');
    expect(screen.getByText('Name 73% similar')).toBeInTheDocument();
    expect(screen.queryByTestId('raise-dispute')).toBeNull();
  });

  it('renders nothing without candidates', () => {
    const { container } = renderAt(<DuplicateWarning blocked={false} myId="u" candidates={[]} />);
    expect(container.querySelector('[data-testid="duplicate-warning"]')).toBeNull();
  });
});
