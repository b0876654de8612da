import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Flex, Form, Input, InputNumber, Table, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';

import type { Product } from '../../api/types';
import { ProductSelect } from '../products/ProductSelect';
import { type DealFormValues, hasLines, type LineValues, lineTotalOf, linesTotal } from './dealForm';
import { formatMoney } from './money';

/**
 * The deal's line items: a product from the catalogue fills name, unit and list price; the
 * totals shown are worked out here for reading only, the server's are what is saved.
 */
export function LineItemsEditor({ form }: { form: FormInstance<DealFormValues> }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const items = Form.useWatch('items', form);
  const currency = Form.useWatch('currency', form) ?? 'CNY';

  const pick = (index: number, product: Product | null) => {
    const lines: LineValues[] = [...((form.getFieldValue('items') as LineValues[] | undefined) ?? [])];
    const line = { ...(lines[index] ?? {}) };
    if (!product) {
      lines[index] = { ...line, product_id: null, product_currency: null };
    } else {
      lines[index] = {
        ...line,
        product_id: product.id,
        product_currency: product.currency,
        name: product.name,
        unit: product.unit ?? '',
        unit_price: product.list_price,
        quantity: line.quantity ?? '1',
        discount: line.discount ?? '0',
      };
      // The only line sets the deal's currency; with more lines a mismatch is shown instead.
      const others = lines.filter((l, i) => i !== index && hasLines([l]));
      if (product.currency !== form.getFieldValue('currency') && others.length === 0) {
        form.setFieldValue('currency', product.currency);
        void message.info(t('deals.lines.currencyFollowed', { currency: product.currency }));
      }
    }
    form.setFieldValue('items', lines);
    form.setFields([{ name: ['items', index, 'product_id'], errors: [] }]);
  };

  return (
    <Form.List name="items">
      {(fields, { add, remove }) => (
        <>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={fields}
            locale={{ emptyText: t('deals.lines.empty') }}
            scroll={{ x: 'max-content' }}
            data-testid="line-items-editor"
            columns={[
              {
                key: 'product',
                title: t('deals.lines.product'),
                width: 180,
                render: (_: unknown, field) => {
                  const line = items?.[field.name];
                  const mismatch = Boolean(line?.product_currency && line.product_currency !== currency);
                  return (
                    <Form.Item
                      name={[field.name, 'product_id']}
                      style={{ marginBottom: 0 }}
                      help={mismatch ? t('deals.lines.currencyMismatch') : undefined}
                      validateStatus={mismatch ? 'warning' : undefined}
                    >
                      <ProductSelect onPick={(product) => pick(field.name, product)} data-testid={`line-product-${field.name}`} />
                    </Form.Item>
                  );
                },
              },
              {
                key: 'name',
                title: t('deals.lines.name'),
                width: 150,
                render: (_: unknown, field) => (
                  <Form.Item
                    name={[field.name, 'name']}
                    style={{ marginBottom: 0 }}
                    rules={[
                      {
                        validator: (_rule, value: string | undefined) => {
                          const line = form.getFieldValue(['items', field.name]) as LineValues | undefined;
                          return !line?.product_id && !value?.trim() && hasLines([line])
                            ? Promise.reject(new Error(t('deals.lines.nameRequired')))
                            : Promise.resolve();
                        },
                      },
                    ]}
                  >
                    <Input maxLength={200} data-testid={`line-name-${field.name}`} />
                  </Form.Item>
                ),
              },
              {
                key: 'quantity',
                title: t('deals.lines.quantity'),
                width: 80,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'quantity']} style={{ marginBottom: 0 }}>
                    <InputNumber<string> stringMode min="0.0001" style={{ width: '100%' }} data-testid={`line-quantity-${field.name}`} />
                  </Form.Item>
                ),
              },
              {
                key: 'unit',
                title: t('deals.lines.unit'),
                width: 80,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'unit']} style={{ marginBottom: 0 }}>
                    <Input maxLength={20} />
                  </Form.Item>
                ),
              },
              {
                key: 'unit_price',
                title: t('deals.lines.unitPrice'),
                width: 110,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'unit_price']} style={{ marginBottom: 0 }}>
                    <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} data-testid={`line-price-${field.name}`} />
                  </Form.Item>
                ),
              },
              {
                key: 'discount',
                title: t('deals.lines.discount'),
                width: 90,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'discount']} style={{ marginBottom: 0 }}>
                    <InputNumber<string> stringMode min="0" max="100" precision={2} suffix="%" style={{ width: '100%' }} />
                  </Form.Item>
                ),
              },
              {
                key: 'total',
                title: t('deals.lines.lineTotal'),
                width: 110,
                align: 'right',
                render: (_: unknown, field) => {
                  const total = lineTotalOf(items?.[field.name]);
                  return (
                    <Typography.Text data-testid={`line-total-${field.name}`}>
                      {total === null ? '—' : formatMoney(total, currency, i18n.language)}
                    </Typography.Text>
                  );
                },
              },
              {
                key: 'remove',
                width: 40,
                render: (_: unknown, field) => (
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                ),
              },
            ]}
          />
          <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
            <Button
              icon={<PlusOutlined />}
              onClick={() => add({ quantity: '1', discount: '0', name: '', unit: '' })}
              data-testid="line-add"
            >
              {t('deals.lines.add')}
            </Button>
            {hasLines(items) && (
              <Typography.Text>
                {t('deals.lines.total')}:{' '}
                <Typography.Text strong data-testid="lines-total">
                  {formatMoney(linesTotal(items), currency, i18n.language)}
                </Typography.Text>
              </Typography.Text>
            )}
          </Flex>
        </>
      )}
    </Form.List>
  );
}
