import {
  CustomerServiceOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  MailOutlined,
  PhoneOutlined,
  TeamOutlined,
  WechatOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

import type { ActivityKind } from '../../api/types';

/** The kinds a rep logs by hand; return visits come from the service desk. */
export const COMPOSER_KINDS: readonly ActivityKind[] = ['call', 'visit', 'meeting', 'email', 'wechat', 'note'];

export const ACTIVITY_ICONS: Record<ActivityKind, ReactNode> = {
  call: <PhoneOutlined />,
  visit: <EnvironmentOutlined />,
  meeting: <TeamOutlined />,
  email: <MailOutlined />,
  wechat: <WechatOutlined />,
  note: <FileTextOutlined />,
  return_visit: <CustomerServiceOutlined />,
};

export const ACTIVITY_COLORS: Record<ActivityKind, string> = {
  call: '#1d5bd8',
  visit: '#1f9d55',
  meeting: '#722ed1',
  email: '#13a8a8',
  wechat: '#52c41a',
  note: '#8c8c8c',
  return_visit: '#d48806',
};
