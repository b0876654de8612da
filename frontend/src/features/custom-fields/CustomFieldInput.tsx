import { Checkbox, DatePicker, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { CustomField } from '../../api/types';
import { UserSelect } from '../../components/UserSelect';
import { formatDate } from '../../lib/dates';
import { useUserDirectory } from '../users';
import { fieldLabel, valueText } from './values';

/** The control for one custom field's value, by type. */
export function CustomFieldControl({ field, ...rest }: { field: CustomField; id?: string }) {
  const { t } = useTranslation();
  const props = rest as Record<string, unknown>;
  switch (field.type) {
    case 'long_text':
      return <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={10_000} {...props} />;
    case 'number':
      return <InputNumber<string> stringMode style={{ width: '100%' }} {...props} />;
    case 'money':
      return (
        <InputNumber<string> stringMode precision={2} min="0" prefix="¥" style={{ width: '100%' }} {...props} />
      );
    case 'date':
      return <DatePicker style={{ width: '100%' }} {...props} />;
    case 'select':
      return (
        <Select
          allowClear
          placeholder={t('customFields.choose')}
          options={field.options.map((o) => ({ value: o, label: o }))}
          {...props}
        />
      );
    case 'multi_select':
      return (
        <Select
          mode="multiple"
          allowClear
          placeholder={t('customFields.choose')}
          options={field.options.map((o) => ({ value: o, label: o }))}
          {...props}
        />
      );
    case 'boolean':
      return <Switch {...props} />;
    case 'user':
      return <UserSelect {...props} />;
    default:
      return <Input maxLength={200} {...props} />;
  }
}

/** Form items for every definition, under `custom_fields.<key>` of the surrounding form. */
export function CustomFieldItems({ fields }: { fields: readonly CustomField[] }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      {fields.map((field) => (
        <Form.Item
          key={field.id}
          name={['custom_fields', field.key]}
          label={fieldLabel(field, i18n.language)}
          valuePropName={field.type === 'boolean' ? 'checked' : 'value'}
          rules={
            field.required && field.type !== 'boolean'
              ? [{ required: true, message: t('customFields.required', { label: fieldLabel(field, i18n.language) }) }]
              : []
          }
        >
          <CustomFieldControl field={field} />
        </Form.Item>
      ))}
    </>
  );
}

/** A stored value for reading. */
export function CustomFieldValue({ field, value }: { field: CustomField; value: unknown }) {
  const { t } = useTranslation();
  const users = useUserDirectory();
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  switch (field.type) {
    case 'boolean':
      return <Checkbox checked={value === true} disabled>{value === true ? t('common.yes') : t('common.no')}</Checkbox>;
    case 'money':
      return <span>¥{Number(valueText(value)).toLocaleString(undefined, { minimumFractionDigits: 2 })}</span>;
    case 'date':
      return <span>{formatDate(valueText(value))}</span>;
    case 'multi_select':
      return <span>{(value as string[]).join('、')}</span>;
    case 'user':
      return <span>{users.byId.get(valueText(value))?.name ?? valueText(value)}</span>;
    case 'long_text':
      return <span style={{ whiteSpace: 'pre-wrap' }}>{valueText(value)}</span>;
    default:
      return <span>{valueText(value)}</span>;
  }
}
