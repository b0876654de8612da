import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { json, mockApi, problem } from '../../test/fetchMock';
import { page } from '../../test/fixtures';
import { renderAt } from '../../test/render';
import { UserFormModal } from './UserFormModal';

describe('UserFormModal', () => {
  it('shows email_taken on the email field, translated', async () => {
    const { calls } = mockApi({
      'GET /teams': () => json(page([])),
      'GET /roles': () => json({ data: [] }),
      'POST /users': () => problem(409, 'email_taken', 'Email already registered'),
    });
    const onClose = vi.fn();
    renderAt(<UserFormModal onClose={onClose} />);

    fireEvent.change(screen.getByLabelText('邮箱'), { target: { value: 'taken@example.com' } });
    fireEvent.change(screen.getByLabelText('姓名'), { target: { value: '韩梅梅' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'long-enough-1' } });
    fireEvent.click(screen.getByTestId('user-form-submit'));

    expect(await screen.findByText('该邮箱已被其他用户使用。')).toBeInTheDocument();
    expect(onClose).not.toHaveBeenCalled();
    const post = calls.find((r) => r.method === 'POST');
    await waitFor(() => expect(post).toBeDefined());
    expect(await post!.clone().json()).toEqual({
      email: 'taken@example.com',
      name: '韩梅梅',
      password: 'long-enough-1',
      role: 'sales',
      team_id: null,
    });
  });
});
