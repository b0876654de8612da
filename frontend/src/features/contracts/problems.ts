import type { FormInstance } from 'antd';

import { isApiProblem } from '../../api/problem';
import i18n, { translateIfExists } from '../../i18n';
import { applyProblemToForm, formFieldPath, problemMessage } from '../../lib/problems';
import { formatMoney } from './money';

/**
 * A failed contract, payment or invoice call in the user's language: the catalogue's text for
 * the problem's code under `contracts.errors` (with the amounts the server sent along), else
 * the app-wide message.
 */
export function cashProblemMessage(error: unknown, currency?: string): string {
  if (isApiProblem(error)) {
    const ext = error.extensions;
    const money = (key: string) => (typeof ext[key] === 'string' ? formatMoney(ext[key], currency ?? null) : '');
    const withAmounts =
      error.code === 'plan_sum_mismatch' && typeof ext.difference === 'string'
        ? translateIfExists('contracts.errors.plan_sum_mismatch_amounts', {
            planned: money('planned'),
            amount: money('contract_amount'),
            difference: formatMoney(ext.difference.replace(/^-/, ''), currency ?? null),
          })
        : error.code === 'exceeds_outstanding' && typeof ext.outstanding === 'string'
          ? translateIfExists('contracts.errors.exceeds_outstanding_amount', { outstanding: money('outstanding') })
          : null;
    if (withAmounts) return withAmounts;
    const translated = translateIfExists(`contracts.errors.${error.code}`);
    if (translated !== null) return translated;
  }
  return problemMessage(error);
}

/**
 * Puts a refused call's field errors on the form. Codes the catalogue explains (an amount
 * above what is outstanding, an invoice over the contract) carry the translated sentence
 * instead of the server's English field message. True when a field took the message.
 */
export function applyCashProblem(form: FormInstance, error: unknown, currency?: string): boolean {
  if (!isApiProblem(error) || !i18n.exists(`contracts.errors.${error.code}`)) return applyProblemToForm(form, error);
  const values: unknown = form.getFieldsValue();
  // A path that ends on a group of fields (`allocations`, keyed by installment) is no field.
  const leaf = (name: string[]) => {
    const value = name.reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], values);
    return !(value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype);
  };
  const names = error.errors
    .map((e) => formFieldPath(e.field, values))
    .filter((n): n is string[] => n !== null && leaf(n));
  if (names.length === 0) return false;
  const message = cashProblemMessage(error, currency);
  form.setFields(names.map((name) => ({ name: name.length === 1 ? name[0] : name, errors: [message] })));
  return true;
}
