import { act, render } from '@testing-library/react';
import { Form, Input, type FormInstance } from 'antd';
import { describe, expect, it } from 'vitest';

import { ApiProblem, type ProblemBody } from '../api/problem';
import i18n from '../i18n';
import { applyProblemToForm, formFieldName, problemMessage } from './problems';

function makeProblem(overrides: Partial<ProblemBody>): ApiProblem {
  return new ApiProblem({
    type: 'about:blank',
    title: 'Server title',
    status: 400,
    detail: null,
    code: 'bad_request',
    request_id: null,
    errors: [],
    ...overrides,
  });
}

describe('problemMessage', () => {
  it('uses the catalogue text for a known code, in the current language', async () => {
    const problem = makeProblem({ status: 401, code: 'invalid_credentials', title: 'Invalid credentials' });
    await i18n.changeLanguage('zh-CN');
    expect(problemMessage(problem)).toBe('邮箱或密码错误。');
    await i18n.changeLanguage('en');
    expect(problemMessage(problem)).toBe('Wrong email or password.');
  });

  it("falls back to the problem's detail, then its title, for an unknown code", () => {
    expect(problemMessage(makeProblem({ code: 'brand_new_code', detail: 'Detail from server' }))).toBe(
      'Detail from server',
    );
    expect(problemMessage(makeProblem({ code: 'brand_new_code', title: 'Title from server' }))).toBe(
      'Title from server',
    );
  });

  it('translates anything that is not a problem as an unknown error', async () => {
    await i18n.changeLanguage('en');
    expect(problemMessage(new Error('boom'))).toBe('An unexpected error occurred. Please try again.');
  });
});

describe('formFieldName', () => {
  it('strips the request location prefix', () => {
    expect(formFieldName('body.email')).toBe('email');
    expect(formFieldName('email')).toBe('email');
    expect(formFieldName('query.limit')).toBe('limit');
  });
});

describe('applyProblemToForm', () => {
  function renderForm() {
    let form: FormInstance | undefined;
    function Harness() {
      const [instance] = Form.useForm();
      form = instance;
      return (
        <Form form={instance}>
          <Form.Item name="email">
            <Input />
          </Form.Item>
          <Form.Item name="name">
            <Input />
          </Form.Item>
        </Form>
      );
    }
    render(<Harness />);
    return form!;
  }

  it('puts field errors on the matching fields', () => {
    const form = renderForm();
    let applied = false;
    act(() => {
      applied = applyProblemToForm(
        form,
        makeProblem({
          status: 422,
          code: 'validation_error',
          errors: [
            { field: 'body.name', message: 'too long' },
            { field: 'unknown_field', message: 'ignored' },
          ],
        }),
      );
    });
    expect(applied).toBe(true);
    expect(form.getFieldError('name')).toEqual(['too long']);
    expect(form.getFieldError('email')).toEqual([]);
  });

  it('maps email_taken onto the email field in the current language', async () => {
    await i18n.changeLanguage('en');
    const form = renderForm();
    act(() => {
      applyProblemToForm(form, makeProblem({ status: 409, code: 'email_taken', title: 'Email taken' }));
    });
    expect(form.getFieldError('email')).toEqual(['A user with this email already exists.']);
  });

  it('puts custom field errors on their nested items, translated', () => {
    let form: FormInstance | undefined;
    function Harness() {
      const [instance] = Form.useForm();
      form = instance;
      return (
        <Form form={instance}>
          <Form.Item name="name">
            <Input />
          </Form.Item>
          <Form.Item name={['custom_fields', 'budget']}>
            <Input />
          </Form.Item>
          <Form.Item name={['custom_fields', 'since']}>
            <Input />
          </Form.Item>
          <Form.Item name="phones">
            <Input />
          </Form.Item>
        </Form>
      );
    }
    render(<Harness />);
    let applied = false;
    act(() => {
      applied = applyProblemToForm(
        form!,
        makeProblem({
          status: 422,
          code: 'invalid_custom_fields',
          errors: [
            { field: 'body.custom_fields.budget', message: 'must be a decimal amount such as "1000.00" (below 10^16)' },
            { field: 'body.custom_fields.since', message: 'required' },
            { field: 'body.custom_fields.gone', message: 'unknown custom field' },
            { field: 'body.phones.1', message: 'invalid phone' },
          ],
        }),
      );
    });
    expect(applied).toBe(true);
    expect(form!.getFieldError(['custom_fields', 'budget'])).toEqual([
      'must be a decimal amount such as "1000.00" (below 10^16)',
    ]);
    expect(form!.getFieldError(['custom_fields', 'since'])).toEqual(['必填']);
    // A key the form does not show lands on no field; a list item lands on its list.
    expect(form!.getFieldError('phones')).toEqual(['invalid phone']);
    expect(form!.getFieldError('name')).toEqual([]);
  });

  it('reports false when nothing matched, so the caller shows a general message', () => {
    const form = renderForm();
    expect(applyProblemToForm(form, makeProblem({ code: 'forbidden', status: 403 }))).toBe(false);
    expect(applyProblemToForm(form, new Error('x'))).toBe(false);
  });
});
