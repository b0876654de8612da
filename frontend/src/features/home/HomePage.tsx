import { CheckOutlined, MinusOutlined } from '@ant-design/icons';
import { Card, Col, Collapse, Descriptions, Flex, Row, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { DataScope } from '../../api/types';
import { translateIfExists } from '../../i18n';
import { useSession } from '../auth';
import { Dashboard } from '../dashboard';
import { ServiceCards } from '../tickets';

const SCOPE_COLOR: Record<DataScope, string> = {
  none: 'default',
  own: 'cyan',
  team: 'blue',
  all: 'green',
};

interface PermissionRow {
  module: string;
  scope: DataScope;
  write: boolean;
}

export default function HomePage() {
  const { t } = useTranslation();
  const me = useSession();
  const rows: PermissionRow[] = Object.entries(me.permissions).map(([module, p]) => ({
    module,
    scope: p?.scope ?? 'none',
    write: p?.write ?? false,
  }));
  const seesTickets = (me.permissions.tickets?.scope ?? 'none') !== 'none';
  const languageName = translateIfExists(`language.${me.workspace.default_locale}`) ?? me.workspace.default_locale;

  const access = (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Descriptions column={1} size="small" title={t('home.workspace')}>
          <Descriptions.Item label={t('home.workspace')}>{me.workspace.name}</Descriptions.Item>
          <Descriptions.Item label={t('home.email')}>{me.user.email}</Descriptions.Item>
          <Descriptions.Item label={t('home.timezone')}>{me.workspace.timezone}</Descriptions.Item>
          <Descriptions.Item label={t('home.locale')}>{languageName}</Descriptions.Item>
        </Descriptions>
      </Col>
      <Col xs={24} lg={14}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('home.permissions')}
        </Typography.Title>
        <Table<PermissionRow>
          size="small"
          rowKey="module"
          pagination={false}
          dataSource={rows}
          columns={[
            {
              title: t('home.module'),
              dataIndex: 'module',
              render: (module: string) => translateIfExists(`modules.${module}`) ?? module,
            },
            {
              title: t('home.scope'),
              dataIndex: 'scope',
              render: (scope: DataScope) => (
                <Tag color={SCOPE_COLOR[scope]} bordered={false}>
                  {translateIfExists(`scopes.${scope}`) ?? scope}
                </Tag>
              ),
            },
            {
              title: t('home.write'),
              dataIndex: 'write',
              align: 'center',
              render: (write: boolean) =>
                write ? (
                  <CheckOutlined style={{ color: '#1f9d55' }} aria-label={t('common.yes')} />
                ) : (
                  <MinusOutlined style={{ color: '#bfbfbf' }} aria-label={t('common.no')} />
                ),
            },
          ]}
        />
      </Col>
    </Row>
  );

  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card size="small">
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="welcome">
              {t('home.welcome', { name: me.user.name })}
            </Typography.Title>
            <Tag color="blue" data-testid="home-role">
              {t(`roles.${me.user.role}`)}
            </Tag>
          </Flex>
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {t('home.intro', { workspace: me.workspace.name })}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col span={24}>
        <Dashboard />
      </Col>
      {seesTickets && (
        <Col span={24}>
          <ServiceCards compact />
        </Col>
      )}
      <Col span={24}>
        <Collapse
          size="small"
          data-testid="home-access"
          items={[{ key: 'access', label: t('dashboard.access'), children: access }]}
        />
      </Col>
    </Row>
  );
}
