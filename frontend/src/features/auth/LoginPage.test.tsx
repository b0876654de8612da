import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import i18n from '../../i18n';
import { mockApi, problem } from '../../test/fetchMock';
import { renderAt } from '../../test/render';
import LoginPage from './LoginPage';

function submit(email: string, password: string) {
  fireEvent.change(screen.getByLabelText(/邮箱|Email/), { target: { value: email } });
  fireEvent.change(screen.getByLabelText(/密码|Password/), { target: { value: password } });
  // antd spaces out two-character Chinese button labels ("登 录").
  fireEvent.click(screen.getByRole('button', { name: /登\s*录|Sign in/ }));
}

describe('LoginPage', () => {
  it('shows the translated error for invalid_credentials (zh-CN by default)', async () => {
    mockApi({ 'POST /auth/login': () => problem(401, 'invalid_credentials', 'Invalid credentials') });
    renderAt(<LoginPage />, '/login');
    expect(screen.getByRole('heading', { name: '登录 Rapport' })).toBeInTheDocument();
    submit('someone@example.com', 'wrong-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('邮箱或密码错误。');
    expect(screen.queryByText('Invalid credentials')).not.toBeInTheDocument();
  });

  it('shows too_many_attempts in English after switching language', async () => {
    await i18n.changeLanguage('en');
    mockApi({ 'POST /auth/login': () => problem(429, 'too_many_attempts', 'Too many attempts') });
    renderAt(<LoginPage />, '/login');
    submit('someone@example.com', 'whatever');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many sign-in attempts. Please wait a moment and try again.',
    );
  });

  it('validates the form before calling the API', async () => {
    const { fetchMock } = mockApi({});
    renderAt(<LoginPage />, '/login');
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByText('请输入邮箱')).toBeInTheDocument();
    expect(screen.getByText('请输入密码')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
