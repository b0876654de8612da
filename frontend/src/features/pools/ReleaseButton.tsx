import { RollbackOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import type { Customer } from '../../api/types';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { usePools, useReleaseCustomer } from './api';

/** Return (退回) a customer to a pool; the reason is required and lands in the ledger. */
export function ReleaseButton({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string; pool_id?: string }>();
  const pools = usePools(open);
  const release = useReleaseCustomer();
  if (!customer.owner_id) return null;
  return (
    <>
      <Button icon={<RollbackOutlined />} onClick={() => setOpen(true)} data-testid="customer-release">
        {t('pools.release')}
      </Button>
      {open && (
        <Modal
          open
          title={t('pools.releaseTitle', { name: customer.name })}
          okText={t('pools.release')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          onOk={() => form.submit()}
          onCancel={() => setOpen(false)}
          confirmLoading={release.isPending}
          destroyOnHidden
        >
          <Typography.Paragraph type="secondary">{t('pools.releaseHelp')}</Typography.Paragraph>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ pool_id: customer.pool_id ?? undefined }}
            onFinish={(values) =>
              release.mutate(
                { customerId: customer.id, body: { reason: values.reason.trim(), pool_id: values.pool_id ?? null } },
                {
                  onSuccess: () => {
                    void message.success(t('pools.released'));
                    setOpen(false);
                    void navigate('/customers');
                  },
                  onError: (error) => {
                    if (!applyProblemToForm(form, error)) void message.error(problemMessage(error));
                  },
                },
              )
            }
          >
            <Form.Item name="pool_id" label={t('pools.targetPool')}>
              <Select
                allowClear
                loading={pools.isPending}
                placeholder={t('pools.defaultPool')}
                options={(pools.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('pools.reason')}
              rules={[{ required: true, whitespace: true, message: t('pools.reasonRequired') }]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} placeholder={t('pools.reasonPlaceholder')} />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </>
  );
}
