import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';

import type { LoginRequest } from '../../api/types';
import { LanguageSwitcher } from '../../components/LanguageSwitcher';
import { applyProblemToForm, problemMessage } from '../../lib/problems';
import { useLogin } from './api';
import { safeNext } from './session';

export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginRequest>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();

  const onFinish = (values: LoginRequest) => {
    login.mutate(values, {
      onSuccess: () => {
        void navigate(safeNext(params.get('next')), { replace: true });
      },
      onError: (error) => {
        applyProblemToForm(form, error);
      },
    });
  };

  return (
    <div className="rapport-login">
      <div className="rapport-login-lang">
        <LanguageSwitcher />
      </div>
      <Card style={{ width: 400, maxWidth: '100%' }} styles={{ body: { padding: 32 } }}>
        <Space direction="vertical" size={4} style={{ width: '100%', marginBottom: 24 }}>
          <div className="rapport-logo" style={{ color: 'inherit', padding: 0, height: 40 }}>
            <span className="rapport-logo-mark" style={{ color: '#fff' }}>
              R
            </span>
            <span>{t('app.name')}</span>
          </div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('auth.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('auth.subtitle')}</Typography.Text>
        </Space>
        {login.isError && (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid="login-error"
            message={problemMessage(login.error)}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={onFinish}
          onValuesChange={() => {
            if (login.isError) login.reset();
          }}
          autoComplete="on"
        >
          <Form.Item
            name="email"
            label={t('auth.email')}
            rules={[
              { required: true, message: t('auth.emailRequired') },
              { type: 'email', message: t('auth.emailInvalid') },
            ]}
          >
            <Input
              prefix={<MailOutlined />}
              placeholder={t('auth.emailPlaceholder')}
              autoComplete="username"
              size="large"
              autoFocus
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[{ required: true, message: t('auth.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              placeholder={t('auth.passwordPlaceholder')}
              autoComplete="current-password"
              size="large"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={login.isPending}>
            {t('auth.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
