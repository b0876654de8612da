import { App as AntApp, Col, Form, Input, InputNumber, Modal, Row, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';

import type { Product, ProductCreate, ProductUpdate } from '../../api/types';
import { CURRENCIES } from '../pipeline/money';
import { applyDealProblem, dealProblemMessage } from '../pipeline/labels';
import { useSaveProduct } from './api';

interface ProductFormValues {
  sku: string;
  name: string;
  category?: string;
  unit?: string;
  list_price: string;
  currency: string;
  active: boolean;
  description?: string;
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Add a product to the catalogue, or change one (existing deals keep their prices). */
export function ProductFormModal({ product, onClose }: { product?: Product; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ProductFormValues>();
  const save = useSaveProduct();
  const initialValues: ProductFormValues = product
    ? {
        sku: product.sku,
        name: product.name,
        category: product.category ?? '',
        unit: product.unit ?? '',
        list_price: product.list_price,
        currency: product.currency,
        active: product.active,
        description: product.description ?? '',
      }
    : { sku: '', name: '', list_price: '', currency: 'CNY', active: true };

  const submit = (values: ProductFormValues) => {
    const body: ProductCreate | ProductUpdate = {
      sku: values.sku.trim(),
      name: values.name.trim(),
      category: blankToNull(values.category),
      unit: blankToNull(values.unit),
      list_price: String(values.list_price),
      currency: values.currency,
      active: values.active,
      description: blankToNull(values.description),
    };
    save.mutate(
      { product, body },
      {
        onSuccess: (saved) => {
          void message.success(t(product ? 'products.saved' : 'products.created', { name: saved.name }));
          onClose();
        },
        onError: (error) => {
          if (!applyDealProblem(form, error)) void message.error(dealProblemMessage(error));
        },
      },
    );
  };

  return (
    <Modal
      open
      title={product ? t('products.editTitle', { name: product.name }) : t('products.createTitle')}
      okText={product ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={600}
      okButtonProps={{ 'data-testid': 'product-form-submit' }}
    >
      <Form<ProductFormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} data-testid="product-form">
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item name="sku" label={t('products.fields.sku')} rules={[{ required: true, whitespace: true, message: t('products.skuRequired') }]}>
              <Input maxLength={60} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item name="name" label={t('products.fields.name')} rules={[{ required: true, whitespace: true, message: t('products.nameRequired') }]}>
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="category" label={t('products.fields.category')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="unit" label={t('products.fields.unit')} extra={t('products.unitHelp')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="list_price" label={t('products.fields.list_price')} rules={[{ required: true, message: t('products.priceRequired') }]}>
              <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="currency" label={t('products.fields.currency')}>
              <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="active" label={t('products.fields.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="description" label={t('products.fields.description')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
