import { App as AntApp, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';

import { problemMessage } from '../../lib/problems';
import { TagSelect } from '../tags';
import { useBulkTag } from './api';

/** Add and/or remove tags on the selected customers in one call. */
export function BulkTagModal({
  customerIds,
  onClose,
  onDone,
}: {
  customerIds: string[];
  onClose: () => void;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ add: string[]; remove: string[] }>();
  const bulk = useBulkTag();
  return (
    <Modal
      open
      title={t('bulkTag.title', { count: customerIds.length })}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={bulk.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ add: [], remove: [] }}
        onFinish={({ add, remove }) => {
          if (add.length === 0 && remove.length === 0) {
            onClose();
            return;
          }
          bulk.mutate(
            { customer_ids: customerIds, add, remove },
            {
              onSuccess: (result) => {
                if (result.skipped.length > 0) {
                  void message.warning(t('bulkTag.partial', { count: result.updated, skipped: result.skipped.length }));
                } else {
                  void message.success(t('bulkTag.done', { count: result.updated }));
                }
                onDone?.();
                onClose();
              },
              onError: (error) => void message.error(problemMessage(error)),
            },
          );
        }}
      >
        <Form.Item name="add" label={t('bulkTag.add')}>
          <TagSelect multiple />
        </Form.Item>
        <Form.Item name="remove" label={t('bulkTag.remove')}>
          <TagSelect multiple />
        </Form.Item>
      </Form>
    </Modal>
  );
}
