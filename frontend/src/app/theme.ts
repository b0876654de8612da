import type { ThemeConfig } from 'antd';

/** System UI fonts first, then the common Simplified Chinese faces of each platform. */
export const FONT_FAMILY = [
  '-apple-system',
  'BlinkMacSystemFont',
  '"Segoe UI"',
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Microsoft YaHei"',
  '"Noto Sans CJK SC"',
  '"Source Han Sans SC"',
  '"WenQuanYi Micro Hei"',
  '"Helvetica Neue"',
  'Helvetica',
  'Arial',
  'sans-serif',
].join(', ');

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1d5bd8',
    colorInfo: '#1d5bd8',
    colorSuccess: '#1f9d55',
    colorWarning: '#d48806',
    colorError: '#d4380d',
    borderRadius: 6,
    fontFamily: FONT_FAMILY,
    colorBgLayout: '#f4f6fa',
  },
  components: {
    Layout: {
      headerBg: '#ffffff',
      headerHeight: 56,
      headerPadding: '0 24px',
      siderBg: '#0f1c33',
      triggerBg: '#0b1526',
    },
    Menu: {
      darkItemBg: '#0f1c33',
      darkSubMenuItemBg: '#0b1526',
      darkItemSelectedBg: '#1d5bd8',
    },
    Table: { headerBg: '#f7f8fa' },
    Card: { paddingLG: 20 },
  },
};
