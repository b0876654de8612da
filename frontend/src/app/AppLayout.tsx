import {
  ApartmentOutlined,
  DownOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
} from '@ant-design/icons';
import { App as AntApp, Avatar, Button, Dropdown, Flex, Grid, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import { createElement, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';

import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { useLogout, useSession } from '../features/auth';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { problemMessage } from '../lib/problems';
import { activeNav, canSee, nav, type NavItem } from './nav';
import { initials } from '../lib/initials';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const { t } = useTranslation();
  const me = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = AntApp.useApp();
  const [collapsed, setCollapsed] = useState(false);
  // phones: the menu folds away completely and the header keeps only what fits
  const wide = Grid.useBreakpoint().md ?? true;

  const active = activeNav(location.pathname);

  const items = useMemo<MenuProps['items']>(() => {
    const toItem = (item: NavItem): NonNullable<MenuProps['items']>[number] => ({
      key: item.key,
      icon: createElement(item.icon),
      label: t(item.labelKey),
      ...(item.children ? { children: item.children.filter((c) => canSee(c, me)).map(toItem) } : {}),
    });
    return nav.filter((item) => canSee(item, me)).map(toItem);
  }, [t, me]);

  const pathOf = useMemo(() => {
    const map = new Map<string, string>();
    const walk = (list: NavItem[]) =>
      list.forEach((item) => {
        if (item.path) map.set(item.key, item.path);
        if (item.children) walk(item.children);
      });
    walk(nav);
    return map;
  }, []);

  const onLogout = () => {
    logout.mutate(undefined, {
      onSuccess: () => {
        void message.success(t('auth.loggedOut'));
        void navigate('/login', { replace: true });
      },
      onError: (error) => {
        void message.error(problemMessage(error));
      },
    });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={220}
        collapsedWidth={wide ? 80 : 0}
        breakpoint="lg"
        onBreakpoint={(broken) => setCollapsed(broken)}
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <div className="rapport-logo">
          <span className="rapport-logo-mark">R</span>
          {!collapsed && <span>{t('app.name')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={active.selected ? [active.selected] : []}
          defaultOpenKeys={active.open}
          onClick={({ key }) => {
            const path = pathOf.get(key);
            if (path) void navigate(path);
          }}
          data-testid="main-menu"
        />
      </Sider>
      <Layout>
        <Header
          style={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #e8ebf0',
            position: 'sticky',
            top: 0,
            zIndex: 10,
            paddingInline: wide ? undefined : 8,
          }}
        >
          <Space size={12}>
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!collapsed)}
              aria-label={collapsed ? t('header.expand') : t('header.collapse')}
            />
            {wide && <ApartmentOutlined style={{ color: '#1d5bd8' }} />}
            <Typography.Text
              strong
              ellipsis
              style={{ maxWidth: wide ? 360 : 110 }}
              data-testid="workspace-name"
              title={t('header.workspace')}
            >
              {me.workspace.name}
            </Typography.Text>
          </Space>
          <Space size={8}>
            <NotificationBell />
            <LanguageSwitcher />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    label: <span data-testid="logout">{t('header.logout')}</span>,
                    onClick: onLogout,
                  },
                ],
              }}
            >
              <Button type="text" style={{ height: 40 }} data-testid="user-menu">
                <Flex align="center" gap={8}>
                  <Avatar size="small" style={{ background: '#1d5bd8' }}>
                    {initials(me.user.name)}
                  </Avatar>
                  <Typography.Text ellipsis style={{ maxWidth: wide ? 200 : 64 }}>
                    {me.user.name}
                  </Typography.Text>
                  {wide && (
                    <Tag bordered={false} color="blue" style={{ marginInlineEnd: 0 }}>
                      {t(`roles.${me.user.role}`)}
                    </Tag>
                  )}
                  <DownOutlined style={{ fontSize: 10 }} />
                </Flex>
              </Button>
            </Dropdown>
          </Space>
        </Header>
        <Content style={{ padding: wide ? 24 : 8 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
