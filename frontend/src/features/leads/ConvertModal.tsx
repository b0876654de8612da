import { UserOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Flex, Form, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { problemMessage } from '../../lib/problems';
import { useConvertLead } from './api';
import { type ConvertConflict, convertConflict, CREATE_NEW, defaultChoice } from './convert';
import type { ConvertResult, Lead } from './types';

/**
 * Lead → customer + contact. When the server finds the customer already exists, the user
 * chooses: merge into one of the candidates (those in their scope), or create a new one anyway
 * (unless the workspace forbids it).
 */
export function ConvertModal({
  lead,
  onClose,
  onConverted,
}: {
  lead: Lead;
  onClose: () => void;
  onConverted: (result: ConvertResult) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const convert = useConvertLead();
  const [customerName, setCustomerName] = useState(lead.company || lead.name);
  const [conflict, setConflict] = useState<ConvertConflict | null>(null);
  const [choice, setChoice] = useState<string | undefined>();

  const run = (body: Parameters<typeof convert.mutate>[0]['body']) =>
    convert.mutate(
      { leadId: lead.id, body },
      {
        onSuccess: (result) => {
          void message.success(
            result.created_customer ? t('leads.convert.created') : t('leads.convert.merged'),
          );
          onConverted(result);
        },
        onError: (error) => {
          const found = convertConflict(error);
          if (found) {
            setConflict(found);
            setChoice(defaultChoice(found));
          } else {
            void message.error(problemMessage(error));
          }
        },
      },
    );

  const onOk = () => {
    const name = customerName.trim() || null;
    if (!conflict) run({ customer_name: name, force: false });
    else if (choice === CREATE_NEW) run({ customer_name: name, force: true });
    else if (choice) run({ merge_into_customer_id: choice, force: false });
  };

  return (
    <Modal
      open
      title={t('leads.convert.title', { name: lead.name })}
      okText={conflict && choice && choice !== CREATE_NEW ? t('leads.convert.merge') : t('leads.convert.submit')}
      cancelText={t('common.cancel')}
      onOk={onOk}
      onCancel={onClose}
      okButtonProps={{ disabled: conflict !== null && !choice, 'data-testid': 'convert-submit' }}
      confirmLoading={convert.isPending}
      destroyOnHidden
      width={600}
    >
      <div data-testid="convert-dialog">
        {!conflict ? (
          <>
            <Typography.Paragraph type="secondary">{t('leads.convert.help')}</Typography.Paragraph>
            <Form layout="vertical">
              <Form.Item label={t('leads.convert.customerName')}>
                <Input
                  value={customerName}
                  onChange={(e) => setCustomerName(e.target.value)}
                  maxLength={200}
                  data-testid="convert-customer-name"
                />
              </Form.Item>
            </Form>
          </>
        ) : (
          <>
            <Alert
              type={conflict.blocked ? 'error' : 'warning'}
              showIcon
              style={{ marginBottom: 16 }}
              message={conflict.blocked ? t('leads.convert.blocked') : t('leads.convert.duplicates')}
            />
            <Radio.Group value={choice} onChange={(e) => setChoice(e.target.value as string)} style={{ width: '100%' }}>
              <Flex vertical gap={10}>
                {conflict.candidates.map((c) => (
                  <div key={c.customer_id} data-testid="convert-candidate">
                    <Radio value={c.customer_id} disabled={!c.in_your_scope}>
                      <Flex vertical gap={2}>
                        <span>{t('leads.convert.mergeInto', { name: c.name })}</span>
                        <Space size={6} wrap>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            <UserOutlined />{' '}
                            {c.owner_name ? t('duplicates.owner', { name: c.owner_name }) : t('duplicates.noOwner')}
                          </Typography.Text>
                          {c.reasons.map((r) => (
                            <Tag key={`${r.field}:${r.value}`} bordered={false} color={r.policy === 'block' ? 'red' : 'orange'}>
                              {r.value}
                            </Tag>
                          ))}
                          {!c.in_your_scope && (
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {t('leads.convert.outOfScope')}
                            </Typography.Text>
                          )}
                        </Space>
                      </Flex>
                    </Radio>
                  </div>
                ))}
                <div data-testid="convert-create-new">
                  <Radio value={CREATE_NEW} disabled={conflict.blocked}>
                    {t('leads.convert.createAnyway', { name: customerName.trim() || lead.company || lead.name })}
                  </Radio>
                </div>
              </Flex>
            </Radio.Group>
          </>
        )}
      </div>
    </Modal>
  );
}
