import type { FormInstance } from 'antd';

import { isApiProblem } from '../api/problem';
import i18n, { translateIfExists } from '../i18n';

/**
 * The message to show for a failed call, in the user's language: the catalogue's text for the
 * problem's stable code when there is one, otherwise what the server said (detail, then title).
 */
export function problemMessage(error: unknown): string {
  if (isApiProblem(error)) {
    const translated = translateIfExists(`errors.${error.code}`);
    if (translated !== null) return translated;
    return error.detail || error.title || i18n.t('errors.unknown');
  }
  return i18n.t('errors.unknown');
}

/** Problem codes that belong to one form field even when the server names no field. */
const FIELD_OF_CODE: Record<string, string> = {
  email_taken: 'email',
  tag_exists: 'name',
  custom_field_exists: 'key',
  external_id_taken: 'external_id',
};

/** The server's (English) field messages that the catalogue translates; others show as sent. */
const FIELD_MESSAGES: Record<string, string> = {
  required: 'errors.field.required',
  'cannot be null': 'errors.field.required',
  'unknown custom field': 'errors.field.unknownField',
  'must be a number': 'errors.field.number',
  'must be a date (YYYY-MM-DD)': 'errors.field.date',
  'must be true or false': 'errors.field.boolean',
  'must be a user id': 'errors.field.user',
  'unknown user': 'errors.field.user',
  'unknown or inactive user': 'errors.field.user',
  'already in use': 'errors.field.taken',
  'not a valid e-mail address': 'errors.field.email',
};

export function fieldMessage(message: string): string {
  const key = FIELD_MESSAGES[message];
  return (key && translateIfExists(key)) || message;
}

/** `body.email` / `query.limit` / `email` → `email`; nested paths keep their tail. */
export function formFieldName(field: string): string {
  return field.replace(/^(body|query|path)\./, '');
}

function hasPath(values: unknown, path: readonly string[]): boolean {
  let node = values;
  for (const part of path) {
    if (!node || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

/**
 * The form field a server path belongs to: the longest registered prefix of it, so
 * `body.custom_fields.budget` lands on the `['custom_fields', 'budget']` item and
 * `body.phones.1` on `phones`. Null when the form has no such field.
 */
export function formFieldPath(field: string, values: unknown): string[] | null {
  const parts = formFieldName(field).split('.');
  for (let n = parts.length; n > 0; n -= 1) {
    const path = parts.slice(0, n);
    if (hasPath(values, path)) return path;
  }
  return null;
}

/**
 * Puts a problem's field errors onto the matching antd Form fields. Returns true when at least
 * one field got a message, so the caller knows whether a general message is still needed.
 */
export function applyProblemToForm(form: FormInstance, error: unknown): boolean {
  if (!isApiProblem(error)) return false;
  const values: unknown = form.getFieldsValue();
  const byField = new Map<string, { name: string[]; errors: string[] }>();
  for (const item of error.errors) {
    const name = formFieldPath(item.field, values);
    if (!name) continue;
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(fieldMessage(item.message));
    byField.set(key, entry);
  }
  const codeField = FIELD_OF_CODE[error.code];
  if (byField.size === 0 && codeField && hasPath(values, [codeField])) {
    byField.set(codeField, { name: [codeField], errors: [problemMessage(error)] });
  }
  if (byField.size === 0) return false;
  form.setFields([...byField.values()].map(({ name, errors }) => ({ name: name.length === 1 ? name[0] : name, errors })));
  return true;
}
