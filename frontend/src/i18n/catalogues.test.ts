import { describe, expect, it } from 'vitest';

import en from './en.json';
import zhCN from './zh-CN.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('translation catalogues', () => {
  const zh = flatten(zhCN);
  const english = flatten(en);

  it('have exactly the same keys', () => {
    const onlyZh = [...zh.keys()].filter((key) => !english.has(key));
    const onlyEn = [...english.keys()].filter((key) => !zh.has(key));
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] });
  });

  it('use the same interpolation variables for each key', () => {
    const mismatched = [...zh.keys()]
      .filter((key) => english.has(key))
      .filter((key) => placeholders(zh.get(key)!).join() !== placeholders(english.get(key)!).join());
    expect(mismatched).toEqual([]);
  });

  it('have no empty texts', () => {
    const empty = [...zh, ...english].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('translate every API error code the contract names', () => {
    const codes = [
      'invalid_credentials',
      'not_authenticated',
      'too_many_attempts',
      'forbidden',
      'not_found',
      'validation_error',
      'conflict',
      'email_taken',
      'team_not_empty',
      'precondition_failed',
      'csrf_failed',
      'bad_request',
      'invalid_cursor',
      'duplicate_customer',
      'duplicate_blocked',
      'owns_records',
      'already_claimed',
      'holding_cap_reached',
      'daily_claim_limit',
      'cooldown',
      'invalid_custom_fields',
      'unique_violation',
      'invalid_reference',
      'dispute_open',
      'tag_exists',
      'custom_field_exists',
      'invalid_mapping',
      'unsupported_file_type',
    ];
    expect(codes.filter((code) => !zh.has(`errors.${code}`))).toEqual([]);
  });
});
